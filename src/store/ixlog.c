/*
 * ixlog.c - the records of index.log, spelled and read (see ixlog.h).
 *
 * Every write appends records and every read of the index walks them, so
 * the lines jerry writes are matched by hand, byte for byte; a line in any
 * other spelling (keys in another order, edited by hand) goes to jansson
 * and means the same.
 */
#define _GNU_SOURCE
#include "ixlog.h"
#include "../domain/domain.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char MAGIC[] = "jerry_index_log";
static const char HIST_HEAD[] = "{\"id\":\"", HIST_MID[] = "\",\"history\":";
static const char PUT_HEAD[] = "{\"put\":";
static const char OK_HEAD[] = "{\"ok\":\"", OK_MID[] = "\",\"version\":";

#define LIT(s) (sizeof(s) - 1)

size_t jr_ixlog_header(char *buf, size_t size, uint64_t gen)
{
	int n = snprintf(buf, size, "{\"%s\":1,\"generation\":%llu}\n", MAGIC,
			 (unsigned long long)gen);
	return n < 0 ? 0 : (size_t)n;
}

int jr_ix_header_generation(const char *line, size_t len, const char *magic, int need_magic,
			     uint64_t *gen)
{
	char head[64];
	int hl = snprintf(head, sizeof(head), "{\"%s\":1,\"generation\":", magic);
	const char *nl = memchr(line, '\n', len);
	if (nl)
		len = (size_t)(nl - line);
	if (hl > 0 && len > (size_t)hl && memcmp(line, head, (size_t)hl) == 0) {
		uint64_t v = 0;
		size_t i = (size_t)hl, digits = 0;
		for (; i < len && line[i] >= '0' && line[i] <= '9' && digits < 18; i++, digits++)
			v = v * 10 + (uint64_t)(line[i] - '0');
		if (digits && (digits == 1 || line[hl] != '0') && i < len &&
		    (line[i] == ',' || line[i] == '}')) {
			*gen = v;
			return 0;
		}
	}
	json_t *o = json_loadb(line, len, JSON_DISABLE_EOF_CHECK, NULL);
	json_t *g = json_object_get(o, "generation");
	int ok = json_is_integer(g) && json_integer_value(g) >= 0 &&
		 (!need_magic || json_object_get(o, magic));
	if (ok)
		*gen = (uint64_t)json_integer_value(g);
	json_decref(o);
	return ok ? 0 : -1;
}

int jr_ixlog_generation(const char *line, size_t len, int need_magic, uint64_t *gen)
{
	return jr_ix_header_generation(line, len, MAGIC, need_magic, gen);
}

/* snprintf-style output: what fits, and the length it would take. */
struct out {
	char *buf;
	size_t size, len;
};

static void put_bytes(struct out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len;
		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void put_id(struct out *o, int64_t num)
{
	char id[32];
	jerry_id_format(id, sizeof(id), num);
	put_bytes(o, id, strlen(id));
}

size_t jr_ixlog_format(char *buf, size_t size, const jr_ixlog_rec *recs, size_t n)
{
	struct out o = {buf, size, 0};
	for (size_t i = 0; i < n; i++) {
		const jr_ixlog_rec *r = &recs[i];
		char num[24];
		switch (r->kind) {
		case JR_IXLOG_HISTORY:
			put_bytes(&o, HIST_HEAD, LIT(HIST_HEAD));
			put_id(&o, r->num);
			put_bytes(&o, HIST_MID, LIT(HIST_MID));
			put_bytes(&o, r->json, r->len);
			break;
		case JR_IXLOG_PUT:
			put_bytes(&o, PUT_HEAD, LIT(PUT_HEAD));
			put_bytes(&o, r->json, r->len);
			break;
		case JR_IXLOG_OK:
			put_bytes(&o, OK_HEAD, LIT(OK_HEAD));
			put_id(&o, r->num);
			put_bytes(&o, OK_MID, LIT(OK_MID));
			snprintf(num, sizeof(num), "%lld", (long long)r->version);
			put_bytes(&o, num, strlen(num));
			break;
		}
		put_bytes(&o, "}\n", 2);
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

/* An item's number from an ID of at most 31 bytes; -1 if it is not one. */
static int64_t num_of(const char *id, size_t len)
{
	char buf[32];
	int64_t num;
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, id, len);
	buf[len] = '\0';
	return jerry_id_parse(&num, buf, NULL) == 0 ? num : -1;
}

/* {"id":"WORK-007","history":{...}} as jr_ixlog_format writes it; 0 if not. */
static int fast_history(jr_ixlog_rec *r, const char *line, size_t len)
{
	if (len < LIT(HIST_HEAD) + LIT(HIST_MID) + 2 || memcmp(line, HIST_HEAD, LIT(HIST_HEAD)) != 0 ||
	    line[len - 1] != '}')
		return 0;
	const char *id = line + LIT(HIST_HEAD);
	const char *q = memchr(id, '"', len - LIT(HIST_HEAD));
	if (!q || (size_t)(line + len - q) < LIT(HIST_MID) + 1 ||
	    memcmp(q, HIST_MID, LIT(HIST_MID)) != 0)
		return 0;
	int64_t num = num_of(id, (size_t)(q - id));
	const char *entry = q + LIT(HIST_MID);
	size_t elen = (size_t)(line + len - 1 - entry);
	if (num < 0 || elen < 2 || *entry != '{')
		return 0;
	*r = (jr_ixlog_rec){.kind = JR_IXLOG_HISTORY, .num = num, .version = -1, .json = entry,
			    .len = elen, .unchecked = 1};
	return 1;
}

/* {"put":{...}}: the summary is the rest, unchecked; 0 if not. */
static int fast_put(jr_ixlog_rec *r, const char *line, size_t len)
{
	if (len <= LIT(PUT_HEAD) + 1 || memcmp(line, PUT_HEAD, LIT(PUT_HEAD)) != 0 ||
	    line[len - 1] != '}')
		return 0;
	*r = (jr_ixlog_rec){.kind = JR_IXLOG_PUT, .num = -1, .version = -1,
			    .json = line + LIT(PUT_HEAD), .len = len - LIT(PUT_HEAD) - 1,
			    .unchecked = 1};
	return 1;
}

/* {"ok":"WORK-003","version":1} exactly, the ID in plain ASCII; 0 if not. */
static int fast_ok(jr_ixlog_rec *r, const char *line, size_t len)
{
	const char *end = line + len, *id, *q, *p;
	int64_t version = 0;
	if (len <= LIT(OK_HEAD) || memcmp(line, OK_HEAD, LIT(OK_HEAD)) != 0 || line[len - 1] != '}')
		return 0;
	id = line + LIT(OK_HEAD);
	if (!(q = memchr(id, '"', (size_t)(end - id))) || (size_t)(q - id) >= 32)
		return 0;
	for (p = id; p < q; p++)
		if (*p < 0x20 || *p > 0x7e || *p == '\\')
			return 0;
	if ((size_t)(end - q) <= LIT(OK_MID) || memcmp(q, OK_MID, LIT(OK_MID)) != 0)
		return 0;
	p = q + LIT(OK_MID);
	if (*p < '1' || *p > '9' || end - 1 - p > 18)
		return 0;
	for (; p < end - 1; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		version = version * 10 + (*p - '0');
	}
	*r = (jr_ixlog_rec){.kind = JR_IXLOG_OK, .num = num_of(id, (size_t)(q - id)),
			    .version = version};
	return 1;
}

static int decode_json(jr_ixlog_rec *r, const char *line, size_t len, char *why, size_t whysize)
{
	json_error_t je;
	json_t *o = json_loadb(line, len, 0, &je), *v;
	int rc = 0;
	memset(r, 0, sizeof(*r));
	r->num = r->version = -1;
	if (!o) {
		snprintf(why, whysize, "%s", je.text);
		return JERRY_ECORRUPT;
	}
	if ((v = json_object_get(o, "put")) || (v = json_object_get(o, "history"))) {
		const char *id = json_string_value(json_object_get(o, "id"));
		r->kind = json_object_get(o, "put") ? JR_IXLOG_PUT : JR_IXLOG_HISTORY;
		r->value = json_incref(v);
		if (r->kind == JR_IXLOG_HISTORY) {
			/* history.c compares and appends entries as text. */
			if (id)
				r->num = num_of(id, strlen(id));
			r->owned = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
			if (!r->owned)
				rc = JERRY_ENOMEM;
			else
				r->json = r->owned, r->len = strlen(r->owned);
		}
	} else if (json_is_string(v = json_object_get(o, "ok"))) {
		json_t *ver = json_object_get(o, "version");
		r->kind = JR_IXLOG_OK;
		r->num = num_of(json_string_value(v), json_string_length(v));
		r->version = json_is_integer(ver) ? json_integer_value(ver) : -1;
	} else {
		snprintf(why, whysize, "neither a put nor an ok record");
		rc = JERRY_ECORRUPT;
	}
	json_decref(o);
	return rc ? rc : (int)r->kind;
}

/* Without a line's trailing blanks, carriage return and array comma. */
static size_t trimmed(const char *line, size_t n)
{
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
		n--;
	if (n && line[n - 1] == ',')
		n--;
	return n;
}

int jr_ixlog_decode(jr_ixlog_rec *r, const char *line, size_t len, char *why, size_t whysize)
{
	memset(r, 0, sizeof(*r));
	len = trimmed(line, len);
	if (!len)
		return 0;
	if (fast_history(r, line, len) || fast_put(r, line, len) || fast_ok(r, line, len))
		return (int)r->kind;
	return decode_json(r, line, len, why, whysize);
}

void jr_ixlog_rec_release(jr_ixlog_rec *r)
{
	free(r->owned);
	json_decref(r->value);
	memset(r, 0, sizeof(*r));
}

int jr_ixlog_begin(jr_ixlog_iter *it, const char *buf, size_t len, int need_magic, uint64_t *gen)
{
	memset(it, 0, sizeof(*it));
	it->p = buf;
	it->end = buf + len;
	it->lineno = 1;
	if (!len || jr_ixlog_generation(buf, len, need_magic, gen) != 0)
		return -1;
	const char *nl = memchr(buf, '\n', len);
	it->p = nl ? nl + 1 : it->end;
	return 0;
}

/* Whether line begins a record of a kind the walk does not want. */
static int unwanted(const jr_ixlog_iter *it, const char *line, size_t len)
{
	if (!it->want)
		return 0;
	if (!(it->want & JR_IXLOG_BIT(JR_IXLOG_PUT)) && len > LIT(PUT_HEAD) &&
	    memcmp(line, PUT_HEAD, LIT(PUT_HEAD)) == 0)
		return 1;
	return !(it->want & JR_IXLOG_BIT(JR_IXLOG_OK)) && len > LIT(OK_HEAD) &&
	       memcmp(line, OK_HEAD, LIT(OK_HEAD)) == 0;
}

int jr_ixlog_next(jr_ixlog_iter *it)
{
	jr_ixlog_rec_release(&it->rec);
	while (it->p < it->end) {
		const char *nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
		if (!nl)
			break; /* a torn last line: never acknowledged */
		it->line = it->p;
		it->len = trimmed(it->p, (size_t)(nl - it->p));
		it->p = nl + 1;
		it->lineno++;
		if (unwanted(it, it->line, it->len))
			continue;
		int rc = jr_ixlog_decode(&it->rec, it->line, it->len, it->why, sizeof(it->why));
		if (rc)
			return rc;
	}
	it->p = it->end;
	return 0;
}

int jr_ixlog_reread(jr_ixlog_iter *it)
{
	jr_ixlog_rec_release(&it->rec);
	return decode_json(&it->rec, it->line, it->len, it->why, sizeof(it->why));
}

void jr_ixlog_end(jr_ixlog_iter *it)
{
	jr_ixlog_rec_release(&it->rec);
}
