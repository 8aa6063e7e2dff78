/*
 * codec.c - items to JSON and back, with jansson.
 *
 * Keys are written in one fixed order so that files diff cleanly; unknown
 * keys found in a file are kept (item->ext) and written back after the
 * known ones, so a newer jerry's fields survive an older jerry's write.
 *
 * Item files and summary lines are read and written by the fast paths of
 * fast_read.c and fast_write.c first; what they decline comes here, and jansson alone judges it.
 */
#include "codec.h"
#include "schema.h"
#include "../domain/domain.h"
#include "../util/strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *time_or_null(int64_t ms)
{
	char buf[40];
	if (!ms)
		return json_null();
	jerry_time_format(buf, sizeof(buf), ms);
	return json_string(buf);
}

static json_t *id_or_null(int64_t num)
{
	char buf[32];
	if (num <= 0)
		return json_null();
	jerry_id_format(buf, sizeof(buf), num);
	return json_string(buf);
}

/* json_object_set_new that remembers the first failure. */
static void put(json_t *obj, const char *key, json_t *val, int *bad)
{
	if (!val || json_object_set_new(obj, key, val) < 0)
		*bad = 1;
}

/* The member a row of schema.h's tables names in the struct at base. */
#define MEMBER(type, base, f) ((type *)(void *)((char *)(base) + (f)->offset))
#define CMEMBER(type, base, f) ((const type *)(const void *)((const char *)(base) + (f)->offset))

/* Whether a field belongs in an encoding of this JR_ENCODE_* mode. */
static int shown(const struct jr_field *f, int mode)
{
	if (mode == JR_ENCODE_SUMMARY)
		return !(f->flags & JR_F_DETAIL);
	if (mode == JR_ENCODE_NO_NOTES)
		return !(f->flags & JR_F_FULL);
	return 1;
}

static json_t *encode_object(const struct jr_field *fields, size_t n, const void *base,
			     const jerry_item *it, int mode);

static json_t *encode_array(size_t n, json_t *(*one)(const void *, size_t), const void *arr)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, one(arr, i)) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *one_label(const void *arr, size_t i)
{
	return json_string(((char *const *)arr)[i]);
}

static json_t *one_ref(const void *arr, size_t i)
{
	return id_or_null(((const int64_t *)arr)[i]);
}

static json_t *one_note(const void *arr, size_t i)
{
	return jr_codec_note(&((const jerry_note *)arr)[i]);
}

/* A field's value as jansson's, for schema.h's kind; NULL on failure. */
static json_t *encode_value(const struct jr_field *f, const void *base, const jerry_item *it,
			    int mode)
{
	char buf[32];
	switch (f->kind) {
	case JR_K_id:
		return json_string(it->id);
	case JR_K_uid:
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)*CMEMBER(uint64_t, base, f));
		return json_string(buf);
	case JR_K_version:
		return json_integer(*CMEMBER(int64_t, base, f));
	case JR_K_text: {
		const char *s = *CMEMBER(char *, base, f);
		if (!s && (f->flags & JR_F_EMPTY))
			return json_string("");
		/* json_string(NULL) fails: a required string must be there */
		return f->flags & JR_F_REQ ? json_string(s) : str_or_null(s);
	}
	case JR_K_type:
		return json_string(jerry_type_name(*CMEMBER(jerry_type, base, f)));
	case JR_K_status:
		return json_string(jerry_status_name(*CMEMBER(jerry_status, base, f)));
	case JR_K_priority:
		return json_string(jerry_priority_name(*CMEMBER(jerry_priority, base, f)));
	case JR_K_labels:
		return encode_array(it->nlabels, one_label, *CMEMBER(char **, base, f));
	case JR_K_ref:
		return id_or_null(*CMEMBER(int64_t, base, f));
	case JR_K_refs:
		return encode_array(it->ndepends, one_ref, *CMEMBER(int64_t *, base, f));
	case JR_K_former:
		return encode_array(it->nrenumbered_from, one_ref, *CMEMBER(int64_t *, base, f));
	case JR_K_claim: {
		const jerry_claim *cl = CMEMBER(jerry_claim, base, f);
		if (!cl->by)
			return json_null();
		return encode_object(jr_claim_fields, jr_claim_nfields, cl, it, mode);
	}
	case JR_K_notes:
		return encode_array(it->nnotes, one_note, *CMEMBER(jerry_note *, base, f));
	case JR_K_time:
		return time_or_null(*CMEMBER(int64_t, base, f));
	}
	return NULL;
}

/* The object of a table's fields: those of the mode, in the table's order. */
static json_t *encode_object(const struct jr_field *fields, size_t n, const void *base,
			     const jerry_item *it, int mode)
{
	int bad = 0;
	json_t *o = json_object();
	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct jr_field *f = &fields[i];
		if (!shown(f, mode))
			continue;
		/* schema.h: a JR_F_OPTKEY field is a string or an array of former numbers */
		if ((f->flags & JR_F_OPTKEY) &&
		    (f->kind == JR_K_former ? !it->nrenumbered_from : !*CMEMBER(char *, base, f)))
			continue;
		put(o, f->key, encode_value(f, base, it, mode), &bad);
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *jr_codec_note(const jerry_note *note)
{
	return encode_object(jr_note_fields, jr_note_nfields, note, NULL, JR_ENCODE_FULL);
}

json_t *jr_codec_encode(const jerry_item *it, int summary)
{
	int bad = 0;
	json_t *o = encode_object(jr_item_fields, jr_item_nfields, it, it, summary);
	if (!o)
		return NULL;
	if (summary != JR_ENCODE_SUMMARY && it->ext) {
		const char *key;
		json_t *val;
		json_object_foreach((json_t *)it->ext, key, val)
			put(o, key, json_incref(val), &bad);
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- decoding ------------------------------------------------------------ */

struct dec {
	const char *path;
	jerry_error *err;
	jerry_item *it;          /* the item being read */
	int summary;             /* an index line: no JR_F_DETAIL field */
	int64_t expect_num;      /* > 0: the ID the item must have */
};

static int corrupt(struct dec *d, const char *key, const char *what)
{
	jr_error(d->err, JERRY_ECORRUPT, "'%s': field '%s' %s", d->path, key, what);
	if (d->err) {
		snprintf(d->err->path, sizeof(d->err->path), "%s", d->path);
		jr_error_hint(d->err, "fix the file by hand or restore it; "
				      "'jerry check' lists every problem");
	}
	return JERRY_ECORRUPT;
}

/* A string field: required, or NULL when null / absent and optional. */
static int get_str(struct dec *d, const char *key, json_t *v, int required, char **out)
{
	*out = NULL;
	if (!v || json_is_null(v))
		return required ? corrupt(d, key, "is missing") : 0;
	if (!json_is_string(v))
		return corrupt(d, key, "must be a string");
	*out = strdup(json_string_value(v));
	return *out ? 0 : JERRY_ENOMEM;
}

static int get_time(struct dec *d, const char *key, json_t *v, int required, int64_t *out)
{
	*out = 0;
	if (!v || json_is_null(v))
		return required ? corrupt(d, key, "is missing") : 0;
	if (!json_is_string(v) || jerry_time_parse(out, json_string_value(v)) != 0)
		return corrupt(d, key, "must be an RFC 3339 UTC time");
	return 0;
}

static int get_id(struct dec *d, const char *key, json_t *v, int64_t *out)
{
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || jerry_id_parse(out, json_string_value(v), NULL) != 0)
		return corrupt(d, key, "must be an item ID like \"WORK-007\"");
	return 0;
}

static int get_enum(struct dec *d, const char *key, json_t *v,
		    int (*parse)(int *, const char *), int *out)
{
	if (!v || !json_is_string(v) || parse(out, json_string_value(v)) != 0)
		return corrupt(d, key, "is missing or has an unknown value");
	return 0;
}

static int p_type(int *o, const char *s) { jerry_type t; int rc = jerry_type_parse(&t, s); *o = (int)t; return rc; }
static int p_status(int *o, const char *s) { jerry_status t; int rc = jerry_status_parse(&t, s); *o = (int)t; return rc; }
static int p_prio(int *o, const char *s) { jerry_priority t; int rc = jerry_priority_parse(&t, s); *o = (int)t; return rc; }

/* The item's own ID: the item file's name must agree with it. */
static int get_item_id(struct dec *d, const char *key, json_t *v)
{
	jerry_item *it = d->it;
	char *s;
	int rc = get_str(d, key, v, 1, &s);
	if (rc)
		return rc;
	if (jerry_id_parse(&it->num, s, NULL) != 0)
		rc = corrupt(d, key, "is not an item ID");
	free(s);
	if (rc)
		return rc;
	jerry_id_format(it->id, sizeof(it->id), it->num);
	if (d->expect_num > 0 && it->num != d->expect_num) {
		char want[32];
		jerry_id_format(want, sizeof(want), d->expect_num);
		jr_error(d->err, JERRY_ECORRUPT, "'%s' holds item %s, not %s", d->path, it->id,
			 want);
		if (d->err)
			snprintf(d->err->path, sizeof(d->err->path), "%s", d->path);
		return JERRY_ECORRUPT;
	}
	return 0;
}

static int get_uid(struct dec *d, const char *key, json_t *u, uint64_t *out)
{
	if (json_is_string(u)) {
		const char *txt = json_string_value(u);
		char *end;
		/* strtoull would take " 5", "-5" (wrapped) and overflow (clamped). */
		errno = 0;
		*out = strtoull(txt, &end, 10);
		if (*end || !isdigit((unsigned char)txt[0]) || errno == ERANGE)
			return corrupt(d, key, "must be a decimal string");
		return 0;
	}
	if (json_is_integer(u) && json_integer_value(u) >= 0) {
		*out = (uint64_t)json_integer_value(u);
		return 0;
	}
	return corrupt(d, key, "is missing");
}

static int get_labels(struct dec *d, const char *key, json_t *labels)
{
	size_t i;
	json_t *l;
	int rc;
	if (!labels || json_is_null(labels))
		return 0;
	if (!json_is_array(labels))
		return corrupt(d, key, "must be an array of strings");
	json_array_foreach(labels, i, l) {
		if (!json_is_string(l))
			return corrupt(d, key, "must be an array of strings");
		if ((rc = jr_labels_add(d->it, json_string_value(l))))
			return rc;
	}
	return 0;
}

/* An array of item IDs (depends_on, renumbered_from), each given to add. */
static int get_refs(struct dec *d, const char *key, json_t *deps,
		    int (*add)(jerry_item *, int64_t))
{
	size_t i;
	json_t *dv;
	int rc;
	if (!deps || json_is_null(deps))
		return 0;
	if (!json_is_array(deps))
		return corrupt(d, key, "must be an array of item IDs");
	json_array_foreach(deps, i, dv) {
		int64_t n;
		if ((rc = get_id(d, key, dv, &n)))
			return rc;
		if (n > 0 && (rc = add(d->it, n)))
			return rc;
	}
	return 0;
}

static int decode_object(struct dec *d, const struct jr_field *fields, size_t n, json_t *obj,
			 void *base);

static int get_claim(struct dec *d, const char *key, json_t *claim, jerry_claim *out)
{
	if (!claim || json_is_null(claim))
		return 0;
	if (!json_is_object(claim))
		return corrupt(d, key, "must be an object or null");
	return decode_object(d, jr_claim_fields, jr_claim_nfields, claim, out);
}

static int get_notes(struct dec *d, const char *key, json_t *notes)
{
	size_t i;
	json_t *n;
	int rc;
	if (!notes || json_is_null(notes))
		return 0;
	if (!json_is_array(notes))
		return corrupt(d, key, "must be an array");
	json_array_foreach(notes, i, n) {
		jerry_note one = {0, NULL, NULL};
		if (!json_is_object(n))
			return corrupt(d, key, "must hold objects");
		rc = decode_object(d, jr_note_fields, jr_note_nfields, n, &one);
		if (!rc)
			rc = jr_notes_append(d->it, one.at_ms, one.by, one.text);
		free(one.by);
		free(one.text);
		if (rc)
			return rc;
	}
	return 0;
}

/* A field's value v (NULL: absent) into its member of base, by its kind. */
static int decode_value(struct dec *d, const struct jr_field *f, json_t *v, void *base)
{
	int req = (f->flags & JR_F_REQ) != 0, rc, e = 0;
	switch (f->kind) {
	case JR_K_id:
		return get_item_id(d, f->key, v);
	case JR_K_uid:
		return get_uid(d, f->key, v, MEMBER(uint64_t, base, f));
	case JR_K_version:
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > JR_VERSION_MAX)
			return corrupt(d, f->key, "must be an integer from 1 to 9007199254740991");
		*MEMBER(int64_t, base, f) = json_integer_value(v);
		return 0;
	case JR_K_text:
		return get_str(d, f->key, v, req, MEMBER(char *, base, f));
	case JR_K_type:
		if (!(rc = get_enum(d, f->key, v, p_type, &e)))
			*MEMBER(jerry_type, base, f) = (jerry_type)e;
		return rc;
	case JR_K_status:
		if (!(rc = get_enum(d, f->key, v, p_status, &e)))
			*MEMBER(jerry_status, base, f) = (jerry_status)e;
		return rc;
	case JR_K_priority:
		if (!(rc = get_enum(d, f->key, v, p_prio, &e)))
			*MEMBER(jerry_priority, base, f) = (jerry_priority)e;
		return rc;
	case JR_K_labels:
		return get_labels(d, f->key, v);
	case JR_K_ref:
		return get_id(d, f->key, v, MEMBER(int64_t, base, f));
	case JR_K_refs:
		return get_refs(d, f->key, v, jr_depends_add);
	case JR_K_former:
		return get_refs(d, f->key, v, jr_renumbered_add);
	case JR_K_claim:
		return get_claim(d, f->key, v, MEMBER(jerry_claim, base, f));
	case JR_K_notes:
		return get_notes(d, f->key, v);
	case JR_K_time:
		return get_time(d, f->key, v, req, MEMBER(int64_t, base, f));
	}
	return jr_error(d->err, JERRY_EINTERNAL, "'%s': field '%s' has no reader", d->path, f->key);
}

/*
 * The fields of a table from obj into base, in the table's order, so the
 * first problem in key order is the one reported.  An index line has no
 * JR_F_DETAIL field.
 */
static int decode_object(struct dec *d, const struct jr_field *fields, size_t n, json_t *obj,
			 void *base)
{
	for (size_t i = 0; i < n; i++) {
		const struct jr_field *f = &fields[i];
		int rc;
		if (d->summary && (f->flags & JR_F_DETAIL))
			continue;
		if ((rc = decode_value(d, f, json_object_get(obj, f->key), base)))
			return rc;
	}
	return 0;
}

static void ext_free(void *ext)
{
	json_decref((json_t *)ext);
}

static void *ext_dup(const void *ext)
{
	return json_deep_copy((const json_t *)ext);
}

void jr_codec_ext_own(jerry_item *it, json_t *ext)
{
	it->ext = ext;
	it->ext_free = ext_free;
	it->ext_dup = ext_dup;
}

/* Keys that are not jerry's, kept in it->ext to be written back. */
static int keep_unknown(jerry_item *it, json_t *obj)
{
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		if (jr_schema_item_field(key) || strcmp(key, JR_KEY_UNCONFIRMED) == 0)
			continue;
		if (!it->ext) {
			json_t *ext = json_object();
			if (!ext)
				return JERRY_ENOMEM;
			jr_codec_ext_own(it, ext);
		}
		if (json_object_set(it->ext, key, val) < 0)
			return JERRY_ENOMEM;
	}
	return 0;
}

int jr_codec_decode(jerry_item **out, json_t *obj, int summary, const char *path,
		    int64_t expect_num, jerry_error *err)
{
	struct dec d = {path, err, NULL, summary, expect_num};
	int rc;
	*out = NULL;
	if (!json_is_object(obj))
		return jr_error(err, JERRY_ECORRUPT, "'%s': an item must be a JSON object", path);
	if (!(d.it = jr_item_new()))
		return JERRY_ENOMEM;
	d.it->is_summary = summary;
	rc = decode_object(&d, jr_item_fields, jr_item_nfields, obj, d.it);
	if (!rc && !summary)
		rc = keep_unknown(d.it, obj);
	if (rc) {
		if (rc == JERRY_ENOMEM)
			jr_error(err, JERRY_ENOMEM, "out of memory while reading '%s'", path);
		jerry_item_free(d.it);
		return rc;
	}
	*out = d.it;
	return 0;
}

int jr_codec_parse_item(jerry_item **out, const char *buf, size_t len, const char *path,
			int64_t expect_num, jerry_error *err)
{
	json_error_t je;
	*out = NULL;
	/* jerry's own text without a json_t tree; fast.h says when it declines. */
	if (jr_itemfile_decode(out, buf, len, expect_num) == 0)
		return 0;
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return jr_codec_not_json(err, path, &je,
					 "fix the file by hand or restore it from a backup; "
					 "the other items are unaffected");
	int rc = jr_codec_decode(out, root, 0, path, expect_num, err);
	json_decref(root);
	return rc;
}

int jr_codec_not_json(jerry_error *err, const char *path, const json_error_t *je,
		      const char *hint)
{
	jr_error(err, JERRY_ECORRUPT, "'%s' is not valid JSON (line %d, column %d: %s)", path,
		 je->line, je->column, je->text);
	if (err) {
		snprintf(err->path, sizeof(err->path), "%s", path);
		err->line = je->line;
		err->column = je->column;
		jr_error_hint(err, "%s", hint);
	}
	return JERRY_ECORRUPT;
}

/* json_dump_callback's writer: onto a jr_sb. */
static int dump_to_sb(const char *buf, size_t size, void *data)
{
	return jr_sb_add(data, buf, size) ? -1 : 0;
}

char *jr_codec_item_text_jansson(const jerry_item *item, size_t *out_len)
{
	struct jr_sb sb = JR_SB_INIT;
	json_t *o = jr_codec_encode(item, JR_ENCODE_FULL);
	if (!o)
		return NULL;
	int rc = json_dump_callback(o, dump_to_sb, &sb, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (rc < 0) {
		jr_sb_release(&sb);
		return NULL;
	}
	jr_sb_addch(&sb, '\n');
	return jr_sb_detach(&sb, out_len);
}

char *jr_codec_item_text(const jerry_item *item, size_t *out_len)
{
	char *fast = jr_itemfile_encode(item, out_len);
	return fast ? fast : jr_codec_item_text_jansson(item, out_len);
}

char *jr_codec_summary_line(const jerry_item *item, int unconfirmed, size_t *out_len)
{
	/* The same bytes without a json_t tree; fast.h says when it declines. */
	char *fast = jr_summary_encode(item, unconfirmed, out_len);
	if (fast)
		return fast;
	json_t *o = jr_codec_encode(item, 1);
	if (!o)
		return NULL;
	if (unconfirmed && json_object_set_new(o, "unconfirmed", json_true()) < 0) {
		json_decref(o);
		return NULL;
	}
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (text && out_len)
		*out_len = strlen(text);
	return text;
}

char *jr_codec_item_json_with(const jerry_item *item, int flags, const char *const *keys,
			      const char *const *values, size_t n)
{
	json_t *o = jr_codec_encode(item, item->is_summary);
	char *text = NULL;
	int ok = o != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		json_t *v = json_loads(values[i], JSON_DECODE_ANY, NULL);
		/* json_object_set_new() takes v over, also when it fails. */
		ok = v && json_object_set_new(o, keys[i], v) == 0;
	}
	if (ok)
		text = json_dumps(o, (flags & JERRY_JSON_COMPACT ? JSON_COMPACT : JSON_INDENT(2)) |
					     JSON_PRESERVE_ORDER);
	json_decref(o);
	return text;
}

char *jr_codec_item_json(const jerry_item *item, int flags)
{
	if (item->is_summary && (flags & JERRY_JSON_COMPACT)) {
		/* list --json: one of these per item. */
		char *fast = jr_summary_encode(item, 0, NULL);
		if (fast)
			return fast;
	}
	if (!item->is_summary && !(flags & JERRY_JSON_COMPACT)) {
		/* show --json: the item file's text without its newline */
		size_t n;
		char *fast = jr_itemfile_encode(item, &n);
		if (fast) {
			fast[n - 1] = '\0';
			return fast;
		}
	}
	json_t *o = jr_codec_encode(item, item->is_summary);
	if (!o)
		return NULL;
	char *text = json_dumps(o, (flags & JERRY_JSON_COMPACT ? JSON_COMPACT : JSON_INDENT(2)) |
					   JSON_PRESERVE_ORDER);
	json_decref(o);
	return text;
}

char *jr_codec_items_json(jerry_item *const *items, size_t n, int flags)
{
	json_t *arr = json_array();
	if (!arr)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		json_t *o = jr_codec_encode(items[i], items[i]->is_summary);
		if (!o || json_array_append_new(arr, o) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	char *text = json_dumps(arr, (flags & JERRY_JSON_COMPACT ? JSON_COMPACT : JSON_INDENT(2)) |
					     JSON_PRESERVE_ORDER);
	json_decref(arr);
	return text;
}
