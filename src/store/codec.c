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
#include "../domain/domain.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const known_keys[] = {
	"id", "uid", "version", "title", "description", "type", "status", "priority",
	"labels", "assignee", "parent", "depends_on", "claim", "notes", "created_at",
	"created_by", "updated_at", "updated_by", "completed_at", "unconfirmed", NULL,
};

static int is_known(const char *key)
{
	for (int i = 0; known_keys[i]; i++)
		if (strcmp(known_keys[i], key) == 0)
			return 1;
	return 0;
}

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

json_t *jr_codec_note(const jerry_note *note)
{
	int bad = 0;
	json_t *n = json_object();
	if (!n)
		return NULL;
	put(n, "at", time_or_null(note->at_ms), &bad);
	put(n, "by", str_or_null(note->by), &bad);
	put(n, "text", json_string(note->text), &bad);
	if (bad) {
		json_decref(n);
		return NULL;
	}
	return n;
}

json_t *jr_codec_encode(const jerry_item *it, int summary)
{
	int bad = 0;
	char uid[32];
	json_t *o = json_object();
	if (!o)
		return NULL;
	snprintf(uid, sizeof(uid), "%llu", (unsigned long long)it->uid);
	put(o, "id", json_string(it->id), &bad);
	put(o, "uid", json_string(uid), &bad);
	put(o, "version", json_integer(it->version), &bad);
	put(o, "title", json_string(it->title ? it->title : ""), &bad);
	if (summary != JR_ENCODE_SUMMARY)
		put(o, "description", str_or_null(it->description), &bad);
	put(o, "type", json_string(jerry_type_name(it->type)), &bad);
	put(o, "status", json_string(jerry_status_name(it->status)), &bad);
	put(o, "priority", json_string(jerry_priority_name(it->priority)), &bad);
	json_t *labels = json_array();
	for (size_t i = 0; labels && i < it->nlabels; i++)
		if (json_array_append_new(labels, json_string(it->labels[i])) < 0)
			bad = 1;
	put(o, "labels", labels, &bad);
	put(o, "assignee", str_or_null(it->assignee), &bad);
	put(o, "parent", id_or_null(it->parent), &bad);
	json_t *deps = json_array();
	for (size_t i = 0; deps && i < it->ndepends; i++)
		if (json_array_append_new(deps, id_or_null(it->depends_on[i])) < 0)
			bad = 1;
	put(o, "depends_on", deps, &bad);
	if (it->claim.by) {
		json_t *c = json_object();
		if (c) {
			put(c, "by", json_string(it->claim.by), &bad);
			put(c, "session", str_or_null(it->claim.session), &bad);
			put(c, "expires_at", time_or_null(it->claim.expires_ms), &bad);
			/* The token is proof of holding: in the item file, not in summaries. */
			if (summary == JR_ENCODE_FULL && it->claim.token)
				put(c, "token", json_string(it->claim.token), &bad);
		}
		put(o, "claim", c, &bad);
	} else {
		put(o, "claim", json_null(), &bad);
	}
	if (summary == JR_ENCODE_FULL) {
		json_t *notes = json_array();
		for (size_t i = 0; notes && i < it->nnotes; i++)
			if (json_array_append_new(notes, jr_codec_note(&it->notes[i])) < 0)
				bad = 1;
		put(o, "notes", notes, &bad);
	}
	put(o, "created_at", time_or_null(it->created_at), &bad);
	put(o, "created_by", str_or_null(it->created_by), &bad);
	put(o, "updated_at", time_or_null(it->updated_at), &bad);
	put(o, "updated_by", str_or_null(it->updated_by), &bad);
	put(o, "completed_at", time_or_null(it->completed_at), &bad);
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
	json_t *obj;
	const char *path;
	jerry_error *err;
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
static int get_str(struct dec *d, const char *key, int required, char **out)
{
	json_t *v = json_object_get(d->obj, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return required ? corrupt(d, key, "is missing") : 0;
	if (!json_is_string(v))
		return corrupt(d, key, "must be a string");
	*out = strdup(json_string_value(v));
	return *out ? 0 : JERRY_ENOMEM;
}

static int get_time(struct dec *d, const char *key, int required, int64_t *out)
{
	json_t *v = json_object_get(d->obj, key);
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

static int get_enum(struct dec *d, const char *key, int (*parse)(int *, const char *), int *out)
{
	json_t *v = json_object_get(d->obj, key);
	if (!v || !json_is_string(v) || parse(out, json_string_value(v)) != 0)
		return corrupt(d, key, "is missing or has an unknown value");
	return 0;
}

static int p_type(int *o, const char *s) { jerry_type t; int rc = jerry_type_parse(&t, s); *o = (int)t; return rc; }
static int p_status(int *o, const char *s) { jerry_status t; int rc = jerry_status_parse(&t, s); *o = (int)t; return rc; }
static int p_prio(int *o, const char *s) { jerry_priority t; int rc = jerry_priority_parse(&t, s); *o = (int)t; return rc; }

static void ext_free(void *ext)
{
	json_decref((json_t *)ext);
}

int jr_codec_decode(jerry_item **out, json_t *obj, int summary, const char *path,
		    int64_t expect_num, jerry_error *err)
{
	struct dec d = {obj, path, err};
	int rc, v;
	jerry_item *it = NULL;
	char *s = NULL;
	*out = NULL;
	if (!json_is_object(obj))
		return jr_error(err, JERRY_ECORRUPT, "'%s': an item must be a JSON object", path);
	it = jr_item_new();
	if (!it)
		return JERRY_ENOMEM;
	it->is_summary = summary;

	if ((rc = get_str(&d, "id", 1, &s)))
		goto out;
	if (jerry_id_parse(&it->num, s, NULL) != 0) {
		rc = corrupt(&d, "id", "is not an item ID");
		goto out;
	}
	jerry_id_format(it->id, sizeof(it->id), it->num);
	if (expect_num > 0 && it->num != expect_num) {
		char want[32];
		jerry_id_format(want, sizeof(want), expect_num);
		rc = jr_error(err, JERRY_ECORRUPT, "'%s' holds item %s, not %s", path, it->id, want);
		goto out;
	}
	free(s);
	s = NULL;

	json_t *u = json_object_get(obj, "uid");
	if (json_is_string(u)) {
		const char *txt = json_string_value(u);
		char *end;
		/* strtoull would take " 5", "-5" (wrapped) and overflow (clamped). */
		errno = 0;
		it->uid = strtoull(txt, &end, 10);
		if (*end || !isdigit((unsigned char)txt[0]) || errno == ERANGE) {
			rc = corrupt(&d, "uid", "must be a decimal string");
			goto out;
		}
	} else if (json_is_integer(u) && json_integer_value(u) >= 0) {
		it->uid = (uint64_t)json_integer_value(u);
	} else {
		rc = corrupt(&d, "uid", "is missing");
		goto out;
	}
	json_t *ver = json_object_get(obj, "version");
	if (!json_is_integer(ver) || json_integer_value(ver) < 1) {
		rc = corrupt(&d, "version", "must be an integer >= 1");
		goto out;
	}
	it->version = json_integer_value(ver);
	if ((rc = get_str(&d, "title", 1, &it->title)))
		goto out;
	if (!summary && (rc = get_str(&d, "description", 0, &it->description)))
		goto out;
	if ((rc = get_enum(&d, "type", p_type, &v)))
		goto out;
	it->type = (jerry_type)v;
	if ((rc = get_enum(&d, "status", p_status, &v)))
		goto out;
	it->status = (jerry_status)v;
	if ((rc = get_enum(&d, "priority", p_prio, &v)))
		goto out;
	it->priority = (jerry_priority)v;

	json_t *labels = json_object_get(obj, "labels");
	if (labels && !json_is_null(labels)) {
		size_t i;
		json_t *l;
		if (!json_is_array(labels)) {
			rc = corrupt(&d, "labels", "must be an array of strings");
			goto out;
		}
		json_array_foreach(labels, i, l) {
			if (!json_is_string(l)) {
				rc = corrupt(&d, "labels", "must be an array of strings");
				goto out;
			}
			if ((rc = jr_labels_add(it, json_string_value(l))))
				goto out;
		}
	}
	if ((rc = get_str(&d, "assignee", 0, &it->assignee)))
		goto out;
	if ((rc = get_id(&d, "parent", json_object_get(obj, "parent"), &it->parent)))
		goto out;
	json_t *deps = json_object_get(obj, "depends_on");
	if (deps && !json_is_null(deps)) {
		size_t i;
		json_t *dv;
		if (!json_is_array(deps)) {
			rc = corrupt(&d, "depends_on", "must be an array of item IDs");
			goto out;
		}
		json_array_foreach(deps, i, dv) {
			int64_t n;
			if ((rc = get_id(&d, "depends_on", dv, &n)))
				goto out;
			if (n > 0 && (rc = jr_depends_add(it, n)))
				goto out;
		}
	}
	json_t *claim = json_object_get(obj, "claim");
	if (claim && !json_is_null(claim)) {
		struct dec cd = {claim, path, err};
		if (!json_is_object(claim)) {
			rc = corrupt(&d, "claim", "must be an object or null");
			goto out;
		}
		if ((rc = get_str(&cd, "by", 1, &it->claim.by)) ||
		    (rc = get_str(&cd, "session", 0, &it->claim.session)) ||
		    (rc = get_time(&cd, "expires_at", 1, &it->claim.expires_ms)) ||
		    (!summary && (rc = get_str(&cd, "token", 0, &it->claim.token))))
			goto out;
	}
	if (!summary) {
		json_t *notes = json_object_get(obj, "notes");
		if (notes && !json_is_null(notes)) {
			size_t i;
			json_t *n;
			if (!json_is_array(notes)) {
				rc = corrupt(&d, "notes", "must be an array");
				goto out;
			}
			json_array_foreach(notes, i, n) {
				struct dec nd = {n, path, err};
				int64_t at;
				char *by = NULL, *text = NULL;
				if (!json_is_object(n)) {
					rc = corrupt(&d, "notes", "must hold objects");
					goto out;
				}
				if ((rc = get_time(&nd, "at", 1, &at)) ||
				    (rc = get_str(&nd, "by", 0, &by)) ||
				    (rc = get_str(&nd, "text", 1, &text))) {
					free(by);
					goto out;
				}
				rc = jr_notes_append(it, at, by, text);
				free(by);
				free(text);
				if (rc)
					goto out;
			}
		}
	}
	if ((rc = get_time(&d, "created_at", 1, &it->created_at)) ||
	    (rc = get_str(&d, "created_by", 0, &it->created_by)) ||
	    (rc = get_time(&d, "updated_at", 1, &it->updated_at)) ||
	    (rc = get_str(&d, "updated_by", 0, &it->updated_by)) ||
	    (rc = get_time(&d, "completed_at", 0, &it->completed_at)))
		goto out;

	if (!summary) {
		const char *key;
		json_t *val;
		json_object_foreach(obj, key, val) {
			if (is_known(key))
				continue;
			if (!it->ext) {
				it->ext = json_object();
				it->ext_free = ext_free;
				if (!it->ext) {
					rc = JERRY_ENOMEM;
					goto out;
				}
			}
			if (json_object_set(it->ext, key, val) < 0) {
				rc = JERRY_ENOMEM;
				goto out;
			}
		}
	}
	*out = it;
	it = NULL;
	rc = 0;
out:
	if (rc == JERRY_ENOMEM)
		jr_error(err, JERRY_ENOMEM, "out of memory while reading '%s'", path);
	free(s);
	jerry_item_free(it);
	return rc;
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
	if (!root) {
		jr_error(err, JERRY_ECORRUPT, "'%s' is not valid JSON (line %d, column %d: %s)", path,
			 je.line, je.column, je.text);
		if (err) {
			snprintf(err->path, sizeof(err->path), "%s", path);
			err->line = je.line;
			err->column = je.column;
			jr_error_hint(err, "fix the file by hand or restore it from a backup; "
					   "the other items are unaffected");
		}
		return JERRY_ECORRUPT;
	}
	int rc = jr_codec_decode(out, root, 0, path, expect_num, err);
	json_decref(root);
	return rc;
}

char *jr_codec_item_text_jansson(const jerry_item *item, size_t *out_len)
{
	json_t *o = jr_codec_encode(item, JR_ENCODE_FULL);
	if (!o)
		return NULL;
	char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!text)
		return NULL;
	size_t n = strlen(text);
	char *withnl = realloc(text, n + 2);
	if (!withnl) {
		free(text);
		return NULL;
	}
	withnl[n] = '\n';
	withnl[n + 1] = '\0';
	if (out_len)
		*out_len = n + 1;
	return withnl;
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
