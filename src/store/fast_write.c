/*
 * fast_write.c - jerry's own summary lines and item files written with
 * jansson's exact bytes, or declined to it (the rule is in fast.h).
 */
#include "codec.h"
#include "fast.h"
#include "../domain/domain.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- encoding ------------------------------------------------------------ */

static const char pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Digits of v, backwards from end, two at a time; returns the first. */
static char *u64_digits(char *end, uint64_t v)
{
	while (v >= 100) {
		end -= 2;
		memcpy(end, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, pairs + 2 * v, 2);
	} else {
		*--end = (char)('0' + v);
	}
	return end;
}

static char *put_u64(char *w, uint64_t v)
{
	char buf[24], *p = u64_digits(buf + sizeof(buf), v);
	size_t n = (size_t)(buf + sizeof(buf) - p);
	memcpy(w, p, n);
	return w + n;
}

static char *put_i64(char *w, int64_t v)
{
	if (v >= 0)
		return put_u64(w, (uint64_t)v);
	*w++ = '-';
	return put_u64(w, 0 - (uint64_t)v);
}

size_t jr_summary_format_id(char *buf, int64_t num)
{
	/* jerry_id_format's "WORK-%03lld" without printf, for num >= 1. */
	char digits[24], *p = u64_digits(digits + sizeof(digits), (uint64_t)num);
	size_t n = (size_t)(digits + sizeof(digits) - p), pad = n < 3 ? 3 - n : 0;
	memcpy(buf, "WORK-", 5);
	memset(buf + 5, '0', pad);
	memcpy(buf + 5 + pad, p, n);
	buf[5 + pad + n] = '\0';
	return 5 + pad + n;
}

#define PUT(w, lit) (memcpy(w, lit, sizeof(lit) - 1), (w) + sizeof(lit) - 1)

/* The punctuation around a key, as EAT_OPEN and its kin read it. */
#define PUT_OPEN(w, file, in, k) ((file) ? PUT(w, "{\n" in "\"" k "\": ") : PUT(w, "{\"" k "\":"))
#define PUT_KEY(w, file, in, k) ((file) ? PUT(w, ",\n" in "\"" k "\": ") : PUT(w, ",\"" k "\":"))
#define PUT_CLOSE(w, file, out) ((file) ? PUT(w, "\n" out "}") : PUT(w, "}"))

static const char hex[] = "0123456789ABCDEF";

/*
 * The n bytes at s as jansson dumps them (no JSON_ENSURE_ASCII, no
 * JSON_ESCAPE_SLASH): the two-character escapes it knows, \u00XX with
 * upper-case hex for the other control bytes, everything else as is.
 */
static char *put_escaped(char *w, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch != '"' && ch != '\\') {
			*w++ = (char)ch;
			continue;
		}
		*w++ = '\\';
		switch (ch) {
		case '"': *w++ = '"'; break;
		case '\\': *w++ = '\\'; break;
		case '\b': *w++ = 'b'; break;
		case '\f': *w++ = 'f'; break;
		case '\n': *w++ = 'n'; break;
		case '\r': *w++ = 'r'; break;
		case '\t': *w++ = 't'; break;
		default:
			w = PUT(w, "u00");
			*w++ = hex[ch >> 4];
			*w++ = hex[ch & 15];
		}
	}
	return w;
}

/*
 * A JSON string.  Most need no escape, which a look at eight bytes at a
 * time tells, and are copied whole.  json_string() refuses text that is
 * not UTF-8, so that is checked too: *bad is set and the caller declines.
 */
static char *put_str(char *w, const char *s, int *bad)
{
	size_t n = strlen(s);
	uint64_t v, flags = 0, high = 0;
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8) {
			v = load8(s + i);
			flags |= needs_escape(v);
			high |= v;
		}
		v = load8(s + n - 8); /* the last eight, overlapping */
	} else {
		v = ONES * 'a';
		memcpy(&v, s, n);
	}
	flags |= needs_escape(v);
	high |= v;
	*w++ = '"';
	if (flags) {
		w = put_escaped(w, s, n);
	} else {
		memcpy(w, s, n);
		w += n;
	}
	if ((high & HIGHS) && !utf8_ok(s, n))
		*bad = 1;
	*w++ = '"';
	return w;
}

/* An enum's name: lower-case ASCII and '_', never in need of an escape. */
static char *put_name(char *w, const char *s)
{
	size_t n = strlen(s);
	*w++ = '"';
	memcpy(w, s, n);
	w += n;
	*w++ = '"';
	return w;
}

static char *put_str_or_null(char *w, const char *s, int *bad)
{
	return s ? put_str(w, s, bad) : PUT(w, "null");
}

static char *put_time(char *w, int64_t ms)
{
	char buf[40];
	if (!ms)
		return PUT(w, "null");
	jerry_time_format(buf, sizeof(buf), ms);
	size_t n = strlen(buf);
	*w++ = '"';
	memcpy(w, buf, n);
	w += n;
	*w++ = '"';
	return w;
}

static char *put_id(char *w, int64_t num)
{
	if (num <= 0)
		return PUT(w, "null");
	*w++ = '"';
	w += jr_summary_format_id(w, num);
	*w++ = '"';
	return w;
}

/*
 * Before element i of an array, as list() reads it; after all n of them,
 * "[]" for none, which jansson writes the same at any indentation.
 */
static char *put_sep(char *w, int file, size_t i)
{
	if (file)
		return i ? PUT(w, ",\n" IN2) : PUT(w, "[\n" IN2);
	*w++ = i ? ',' : '[';
	return w;
}

static char *put_end(char *w, int file, size_t n)
{
	if (!n)
		return PUT(w, "[]");
	return file ? PUT(w, "\n" IN1 "]") : PUT(w, "]");
}

static char *put_claim(char *w, const jerry_claim *cl, int file, int *bad)
{
	if (!cl->by)
		return PUT(w, "null");
	w = PUT_OPEN(w, file, IN2, "by");
	w = put_str(w, cl->by, bad);
	w = PUT_KEY(w, file, IN2, "session");
	w = put_str_or_null(w, cl->session, bad);
	w = PUT_KEY(w, file, IN2, "expires_at");
	w = put_time(w, cl->expires_ms);
	if (file && cl->token) {
		w = PUT_KEY(w, file, IN2, "token");
		w = put_str(w, cl->token, bad);
	}
	return PUT_CLOSE(w, file, IN1);
}

/* jr_codec_note's object; only an item file has them. */
static char *put_notes(char *w, const jerry_item *it, int *bad)
{
	for (size_t i = 0; i < it->nnotes; i++) {
		w = put_sep(w, 1, i);
		w = PUT_OPEN(w, 1, IN3, "at");
		w = put_time(w, it->notes[i].at_ms);
		w = PUT_KEY(w, 1, IN3, "by");
		w = put_str_or_null(w, it->notes[i].by, bad);
		w = PUT_KEY(w, 1, IN3, "text");
		w = put_str(w, it->notes[i].text, bad);
		w = PUT_CLOSE(w, 1, IN2);
	}
	return put_end(w, 1, it->nnotes);
}

/* What fields() reads, through completed_at. */
static char *put_fields(char *w, const jerry_item *it, int file, int *bad)
{
	w = PUT_OPEN(w, file, IN1, "id");
	w = put_str(w, it->id, bad);
	w = PUT_KEY(w, file, IN1, "uid");
	*w++ = '"';
	w = put_u64(w, it->uid);
	*w++ = '"';
	w = PUT_KEY(w, file, IN1, "version");
	w = put_i64(w, it->version);
	w = PUT_KEY(w, file, IN1, "title");
	w = put_str(w, it->title ? it->title : "", bad);
	if (file) {
		w = PUT_KEY(w, file, IN1, "description");
		w = put_str_or_null(w, it->description, bad);
	}
	w = PUT_KEY(w, file, IN1, "type");
	w = put_name(w, jerry_type_name(it->type));
	w = PUT_KEY(w, file, IN1, "status");
	w = put_name(w, jerry_status_name(it->status));
	w = PUT_KEY(w, file, IN1, "priority");
	w = put_name(w, jerry_priority_name(it->priority));
	w = PUT_KEY(w, file, IN1, "labels");
	for (size_t i = 0; i < it->nlabels; i++)
		w = put_str(put_sep(w, file, i), it->labels[i], bad);
	w = put_end(w, file, it->nlabels);
	w = PUT_KEY(w, file, IN1, "assignee");
	w = put_str_or_null(w, it->assignee, bad);
	w = PUT_KEY(w, file, IN1, "parent");
	w = put_id(w, it->parent);
	w = PUT_KEY(w, file, IN1, "depends_on");
	for (size_t i = 0; i < it->ndepends; i++)
		w = put_id(put_sep(w, file, i), it->depends_on[i]);
	w = put_end(w, file, it->ndepends);
	w = PUT_KEY(w, file, IN1, "claim");
	w = put_claim(w, &it->claim, file, bad);
	if (file) {
		w = PUT_KEY(w, file, IN1, "notes");
		w = put_notes(w, it, bad);
	}
	w = PUT_KEY(w, file, IN1, "created_at");
	w = put_time(w, it->created_at);
	w = PUT_KEY(w, file, IN1, "created_by");
	w = put_str_or_null(w, it->created_by, bad);
	w = PUT_KEY(w, file, IN1, "updated_at");
	w = put_time(w, it->updated_at);
	w = PUT_KEY(w, file, IN1, "updated_by");
	w = put_str_or_null(w, it->updated_by, bad);
	w = PUT_KEY(w, file, IN1, "completed_at");
	return put_time(w, it->completed_at);
}

static size_t len_or_0(const char *s)
{
	return s ? strlen(s) : 0;
}

/*
 * Whether jr_codec_encode would build the item at all: json_string(NULL)
 * fails, for a label or a note's text.  An item with unknown keys is left
 * to jansson too.
 */
static int encodable(const jerry_item *it, int file)
{
	if (it->ext)
		return 0;
	for (size_t i = 0; i < it->nlabels; i++)
		if (!it->labels[i])
			return 0;
	for (size_t i = 0; file && i < it->nnotes; i++)
		if (!it->notes[i].text)
			return 0;
	return 1;
}

/*
 * Room enough: every byte of a string may become six ("\u001F"); an enum
 * name is under 16 bytes, an ID or a time under 44 with its quotes; a
 * label or an ID in an array takes 8 more, a note's keys and time 128; the
 * other keys, punctuation, uid and version take under 1024.
 */
static size_t bound(const jerry_item *it, int file)
{
	size_t strings = strlen(it->id) + len_or_0(it->title) + len_or_0(it->assignee) +
			 len_or_0(it->claim.by) + len_or_0(it->claim.session) +
			 len_or_0(it->claim.token) +
			 len_or_0(it->created_by) + len_or_0(it->updated_by) + 3 * 16;
	for (size_t i = 0; i < it->nlabels; i++)
		strings += strlen(it->labels[i]) + 1;
	if (file) {
		strings += len_or_0(it->description);
		for (size_t i = 0; i < it->nnotes; i++)
			strings += len_or_0(it->notes[i].by) + strlen(it->notes[i].text);
	}
	return 6 * strings + 8 * it->nlabels + 52 * (it->ndepends + 8) +
	       (file ? 128 * it->nnotes : 0) + 1024;
}

char *jr_summary_encode(const jerry_item *it, int unconfirmed, size_t *out_len)
{
	int bad = 0;
	if (!encodable(it, 0))
		return NULL;
	char *buf = malloc(bound(it, 0)), *w = buf;
	if (!buf)
		return NULL;
	w = put_fields(w, it, 0, &bad);
	if (unconfirmed)
		w = PUT(w, ",\"unconfirmed\":true");
	*w++ = '}';
	*w = '\0';
	if (bad) {
		free(buf);
		return NULL;
	}
	if (out_len)
		*out_len = (size_t)(w - buf);
	return buf;
}

char *jr_itemfile_encode(const jerry_item *it, size_t *out_len)
{
	int bad = 0;
	if (!encodable(it, 1))
		return NULL;
	char *buf = malloc(bound(it, 1)), *w = buf;
	if (!buf)
		return NULL;
	w = put_fields(w, it, 1, &bad);
	w = PUT(w, "\n}\n");
	*w = '\0';
	if (bad) {
		free(buf);
		return NULL;
	}
	if (out_len)
		*out_len = (size_t)(w - buf);
	return buf;
}
