/*
 * serve_api.c - the board's JSON API (doc/CLI.md, "jerry serve"): each
 * request opens the store, asks the public library, splices the
 * library's item texts into its answer and frees the store.  A refused
 * request answers {"error": ...}, the very object `jerry --json` prints
 * (jerry_error_json), with an HTTP status for its code.
 *
 *   GET  /api/board?label=&type=&assignee=&q=&cancelled=1&limit=N
 *   GET  /api/ready?label=&type=&assignee=&limit=N
 *   GET  /api/blocked?limit=N
 *   GET  /api/item?id=ID
 *   POST /api/create                  {"title", "type", "priority", "labels", ...}
 *   POST /api/item/ID/ACTION          {"if_version", ...}: start, block, done,
 *                                      cancel, reopen, note, edit, release
 *
 * A body is checked whole before anything is done: a key the request
 * does not take, or a value of the wrong kind, is 400 - a misspelt key
 * silently dropped would be a change reported made and never made.
 */
#include "serve.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strbuf.h"

#define COLUMN_DEFAULT 100          /* cards a column shows unless asked */
#define COLUMN_MAX 5000

static unsigned http_status(int code)
{
	switch (code) {
	case JERRY_EINVALID: return 400;
	case JERRY_ENOTFOUND: return 404;
	case JERRY_ECONFLICT: return 409;
	case JERRY_EREFUSED: return 422;
	case JERRY_ELOCKED: return 503;
	default: return 500;
	}
}

char *serve_error_body(const jerry_error *err)
{
	char *text = jerry_error_json(err->code, err, JERRY_JSON_COMPACT);
	if (!text)
		return NULL;
	struct jr_sb sb = JR_SB_INIT;
	jr_sb_addf(&sb, "{\"error\":%s}", text);
	free(text);
	return jr_sb_detach(&sb, NULL);
}

char *serve_vrefusal(int code, const char *fmt, va_list ap)
{
	jerry_error err;
	jerry_error_clear(&err);
	err.code = code;
	vsnprintf(err.message, sizeof(err.message), fmt, ap);
	return serve_error_body(&err);
}

/* The reply for a failure: {"error": jerry_error_json}. */
static int fail(struct serve_reply *out, int rc, jerry_error *err)
{
	if (err->code == 0)
		err->code = rc;
	out->status = http_status(rc);
	out->body = serve_error_body(err);
	return out->body ? 0 : JERRY_ENOMEM;
}

static int bad_request(struct serve_reply *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int bad_request(struct serve_reply *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	out->status = 400;
	out->body = serve_vrefusal(JERRY_EINVALID, fmt, ap);
	va_end(ap);
	return out->body ? 0 : JERRY_ENOMEM;
}

static int done(struct serve_reply *out, struct jr_sb *sb)
{
	out->status = 200;
	out->body = jr_sb_detach(sb, NULL);
	return out->body ? 0 : JERRY_ENOMEM;
}

/* A JSON string's text (quoted, escaped) into sb. */
static void add_string(struct jr_sb *sb, const char *s)
{
	json_t *v = json_string(s ? s : "");
	char *text = v ? json_dumps(v, JSON_ENCODE_ANY) : NULL;
	if (text)
		jr_sb_addstr(sb, text);
	else
		jr_sb_addstr(sb, "\"\"");
	free(text);
	json_decref(v);
}

/* {"now": ..., "stamp": ..., "instance": ... - what every answer starts with. */
static void add_head(struct jr_sb *sb, jerry_store *store)
{
	char stamp[JERRY_STAMP_MAX], now[40];
	jerry_error err;
	jerry_time_format(now, sizeof(now), jerry_store_now(store));
	if (jerry_store_stamp(stamp, sizeof(stamp), store, &err))
		stamp[0] = '\0';
	jr_sb_addf(sb, "{\"now\":\"%s\",\"stamp\":\"%s\",\"instance\":", now, stamp);
	add_string(sb, jerry_store_claimer(store));
}

/* One card: the item's summary, and whether its claim is stale. */
static void add_card(struct jr_sb *sb, const jerry_item *it, int64_t now)
{
	char *text;
	if (it->claim.by && jerry_claim_stale(it, now)) {
		static const char *const key[] = {"claim_stale"};
		static const char *const val[] = {"true"};
		text = jerry_item_json_with(it, JERRY_JSON_COMPACT, key, val, 1);
	} else {
		text = jerry_item_json(it, JERRY_JSON_COMPACT);
	}
	if (!text) {
		sb->failed = 1;
		return;
	}
	jr_sb_addstr(sb, text);
	free(text);
}

static size_t limit_arg(serve_arg_fn arg, void *ctx)
{
	const char *s = arg(ctx, "limit");
	char *end;
	unsigned long n = s ? strtoul(s, &end, 10) : 0;
	if (!s || *end || n == 0)
		return COLUMN_DEFAULT;
	return n > COLUMN_MAX ? COLUMN_MAX : n;
}

static void filter_args(jerry_filter *f, serve_arg_fn arg, void *ctx)
{
	const char *v;
	memset(f, 0, sizeof(*f));
	if ((v = arg(ctx, "label")) && *v)
		f->label = v;
	if ((v = arg(ctx, "type")) && *v)
		f->type = v;
	if ((v = arg(ctx, "assignee")) && *v)
		f->assignee = v;
}

static int cmp_num(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/*
 * The board: every item the filters pass (and the search finds), by
 * status, best first; each column its total and its first `limit` cards.
 */
static int board(struct serve_reply *out, jerry_store *store, serve_arg_fn arg, void *ctx)
{
	static const jerry_status cols[] = {JERRY_STATUS_PENDING, JERRY_STATUS_IN_PROGRESS,
		JERRY_STATUS_BLOCKED, JERRY_STATUS_DONE, JERRY_STATUS_CANCELLED};
	const char *q = arg(ctx, "q"), *c = arg(ctx, "cancelled");
	int with_cancelled = c && strcmp(c, "1") == 0;
	size_t limit = limit_arg(arg, ctx), n = 0, nfound = 0;
	jerry_item **items = NULL, **found = NULL;
	int64_t *hits = NULL;
	jerry_filter f;
	jerry_error err;
	int rc;

	jerry_error_clear(&err);
	filter_args(&f, arg, ctx);
	f.all = 1;
	f.sort = "priority";
	if ((rc = jerry_list(&items, &n, store, &f, &err)))
		return fail(out, rc, &err);
	if (q && *q) {
		if ((rc = jerry_search(&found, &nfound, store, q, 1, &err))) {
			jerry_item_array_free(items, n);
			return fail(out, rc, &err);
		}
		if (!(hits = malloc((nfound ? nfound : 1) * sizeof(*hits)))) {
			rc = JERRY_ENOMEM;
			goto out;
		}
		for (size_t i = 0; i < nfound; i++)
			hits[i] = found[i]->num;
		qsort(hits, nfound, sizeof(*hits), cmp_num);
	}

	int64_t now = jerry_store_now(store);
	struct jr_sb sb = JR_SB_INIT;
	add_head(&sb, store);
	jr_sb_addstr(&sb, ",\"columns\":[");
	for (size_t k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
		size_t total = 0;
		if (cols[k] == JERRY_STATUS_CANCELLED && !with_cancelled)
			continue;
		jr_sb_addf(&sb, "%s{\"status\":\"%s\",\"items\":[", k ? "," : "",
			   jerry_status_name(cols[k]));
		for (size_t i = 0; i < n; i++) {
			if (items[i]->status != cols[k])
				continue;
			if (hits && !bsearch(&items[i]->num, hits, nfound, sizeof(*hits), cmp_num))
				continue;
			if (total++ < limit) {
				if (total > 1)
					jr_sb_addch(&sb, ',');
				add_card(&sb, items[i], now);
			}
		}
		jr_sb_addf(&sb, "],\"total\":%zu}", total);
	}
	jr_sb_addstr(&sb, "]}");
	rc = done(out, &sb);
out:
	free(hits);
	jerry_item_array_free(items, n);
	jerry_item_array_free(found, nfound);
	return rc;
}

static int ready(struct serve_reply *out, jerry_store *store, serve_arg_fn arg, void *ctx)
{
	jerry_item **items = NULL;
	size_t n = 0;
	jerry_filter f;
	jerry_error err;
	int rc;

	jerry_error_clear(&err);
	filter_args(&f, arg, ctx);
	f.limit = limit_arg(arg, ctx);
	if ((rc = jerry_ready(&items, &n, store, &f, &err)))
		return fail(out, rc, &err);
	int64_t now = jerry_store_now(store);
	struct jr_sb sb = JR_SB_INIT;
	add_head(&sb, store);
	jr_sb_addstr(&sb, ",\"items\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			jr_sb_addch(&sb, ',');
		add_card(&sb, items[i], now);
	}
	jr_sb_addstr(&sb, "]}");
	jerry_item_array_free(items, n);
	return done(out, &sb);
}

/*
 * One waiting item's object, as `jerry blocked --json` gives it; one marked
 * blocked also gets "reason": why, as `jerry blocked` prints it (the note
 * its block left, jerry_item_reason), or null.  A waiting item is a
 * summary, without notes: the reason is read from the whole item, and only
 * for those marked blocked.
 */
static int add_waiting(struct jr_sb *sb, jerry_store *store, const jerry_waiting *w,
		       jerry_error *err)
{
	char *text = jerry_waiting_json(w, JERRY_JSON_COMPACT);
	size_t len = text ? strlen(text) : 0;
	int rc = 0;
	if (!len || text[len - 1] != '}') {
		free(text);
		return JERRY_ENOMEM;
	}
	if (w->item->status != JERRY_STATUS_BLOCKED) {
		jr_sb_add(sb, text, len);
		free(text);
		return 0;
	}
	jerry_item *whole = NULL;
	if ((rc = jerry_show(&whole, store, w->item->id, err)) == 0) {
		const char *why = jerry_item_reason(whole, JERRY_STATUS_BLOCKED);
		jr_sb_add(sb, text, len - 1);
		jr_sb_addstr(sb, ",\"reason\":");
		if (why)
			add_string(sb, why);
		else
			jr_sb_addstr(sb, "null");
		jr_sb_addch(sb, '}');
		jerry_item_free(whole);
	}
	free(text);
	return rc;
}

static int blocked(struct serve_reply *out, jerry_store *store, size_t limit)
{
	jerry_waiting *w = NULL;
	size_t n = 0;
	jerry_error err;
	int rc;

	jerry_error_clear(&err);
	if ((rc = jerry_waiting_on(&w, &n, store, &err)))
		return fail(out, rc, &err);
	struct jr_sb sb = JR_SB_INIT;
	add_head(&sb, store);
	jr_sb_addstr(&sb, ",\"items\":[");
	for (size_t i = 0; i < n && i < limit && !rc; i++) {
		if (i)
			jr_sb_addch(&sb, ',');
		rc = add_waiting(&sb, store, &w[i], &err);
	}
	jr_sb_addf(&sb, "],\"total\":%zu}", n);
	jerry_waiting_free(w, n);
	if (rc == JERRY_ENOMEM)
		sb.failed = 1;
	else if (rc) {
		jr_sb_release(&sb);
		return fail(out, rc, &err);
	}
	return done(out, &sb);
}

/* [{"version", "at", "by", "op", "fields": [{"field", "from", "to", "added"}]}] */
static char *history_json(const jerry_history_entry *h, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++) {
		char at[40];
		json_t *fields = json_array();
		jerry_time_format(at, sizeof(at), h[i].at_ms);
		for (size_t k = 0; fields && k < h[i].nfields; k++) {
			const jerry_field_change *fc = &h[i].fields[k];
			json_t *o = json_pack("{s:s,s:s?,s:s?,s:I}", "field", fc->field, "from",
					      fc->from, "to", fc->to, "added", (json_int_t)fc->nadded);
			if (!o || json_array_append_new(fields, o)) {
				json_decref(fields);
				fields = NULL;
			}
		}
		json_t *e = fields ? json_pack("{s:I,s:s,s:s?,s:s?,s:o}", "version",
					       (json_int_t)h[i].version, "at", at, "by", h[i].by,
					       "op", h[i].op, "fields", fields) : NULL;
		if (!e || json_array_append_new(arr, e)) {
			json_decref(arr);
			arr = NULL;
		}
	}
	char *text = arr ? json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(arr);
	return text;
}

/* An item's page: the item with children and dependents, what it waits for, its history. */
static int item_page(struct serve_reply *out, jerry_store *store, const char *id)
{
	jerry_history_entry *h = NULL;
	jerry_dep_node *deps = NULL;
	size_t nh = 0, ndeps = 0;
	char *item = NULL, *hist = NULL;
	jerry_error err;
	int rc;

	jerry_error_clear(&err);
	if (!id || !*id)
		return bad_request(out, "which item? give ?id=ID");
	if ((rc = jerry_show_json(&item, store, id, JERRY_JSON_COMPACT, &err)) ||
	    (rc = jerry_dep_tree(&deps, &ndeps, store, id, &err)) ||
	    (rc = jerry_history(&h, &nh, store, id, &err))) {
		rc = fail(out, rc, &err);
		goto out;
	}
	if (!(hist = history_json(h, nh))) {
		rc = JERRY_ENOMEM;
		goto out;
	}
	int64_t now = jerry_store_now(store);
	struct jr_sb sb = JR_SB_INIT;
	add_head(&sb, store);
	jr_sb_addf(&sb, ",\"item\":%s,\"depends_on\":[", item);
	for (size_t i = 0, first = 1; i < ndeps; i++) {
		if (deps[i].depth != 1)
			continue;
		if (!first)
			jr_sb_addch(&sb, ',');
		first = 0;
		add_card(&sb, deps[i].item, now);
	}
	jr_sb_addf(&sb, "],\"history\":%s}", hist);
	rc = done(out, &sb);
out:
	free(item);
	free(hist);
	jerry_dep_nodes_free(deps, ndeps);
	jerry_history_free(h, nh);
	return rc;
}

int serve_api_get(struct serve_reply *out, const jerry_open_opts *opts, const char *path,
		  serve_arg_fn arg, void *ctx)
{
	jerry_store *store;
	jerry_error err;
	int rc;

	jerry_error_clear(&err);
	if ((rc = jerry_store_open(&store, opts, &err)))
		return fail(out, rc, &err);
	if (strcmp(path, "/api/board") == 0)
		rc = board(out, store, arg, ctx);
	else if (strcmp(path, "/api/ready") == 0)
		rc = ready(out, store, arg, ctx);
	else if (strcmp(path, "/api/blocked") == 0)
		rc = blocked(out, store, limit_arg(arg, ctx));
	else if (strcmp(path, "/api/item") == 0)
		rc = item_page(out, store, arg(ctx, "id"));
	else
		rc = bad_request(out, "no such API: '%s'", path);
	jerry_store_free(store);
	return rc;
}

/* ---- changes -------------------------------------------------------------- */

/* The keys a request's body may carry, and the kind of each value. */
enum kind { K_STRING, K_INTEGER, K_BOOL, K_STRINGS };

struct key {
	const char *name;
	enum kind kind;
};

static const char *const kind_name[] = {
	[K_STRING] = "a string", [K_INTEGER] = "a whole number", [K_BOOL] = "true or false",
	[K_STRINGS] = "an array of strings",
};

static int kind_ok(json_t *v, enum kind kind)
{
	size_t i;
	json_t *e;
	switch (kind) {
	case K_STRING: return json_is_string(v);
	case K_INTEGER: return json_is_integer(v);
	case K_BOOL: return json_is_boolean(v);
	case K_STRINGS:
		if (!json_is_array(v))
			return 0;
		json_array_foreach(v, i, e)
			if (!json_is_string(e))
				return 0;
		return 1;
	}
	return 0;
}

/*
 * Every key of body must be one of keys (ended by a NULL name) with a value
 * of its kind.  1 when it is not, with the refusal in out (*rc: its
 * outcome), naming the key and, in the hint, the keys `what` takes.
 */
static int body_refused(int *rc, struct serve_reply *out, json_t *body, const char *what,
			const struct key *keys)
{
	const char *name;
	json_t *v;
	json_object_foreach(body, name, v) {
		const struct key *k = keys;
		while (k->name && strcmp(k->name, name) != 0)
			k++;
		if (k->name && kind_ok(v, k->kind))
			continue;
		jerry_error err;
		jerry_error_clear(&err);
		err.code = JERRY_EINVALID;
		if (k->name) {
			snprintf(err.message, sizeof(err.message), "'%.64s' must be %s", name,
				 kind_name[k->kind]);
		} else {
			struct jr_sb list = JR_SB_INIT;
			for (k = keys; k->name; k++)
				jr_sb_addf(&list, "%s%s", k == keys ? "" : ", ", k->name);
			snprintf(err.message, sizeof(err.message), "unknown key '%.64s'", name);
			snprintf(err.hint, sizeof(err.hint), "%s takes: %s", what,
				 list.buf && !list.failed ? list.buf : "");
			jr_sb_release(&list);
		}
		*rc = fail(out, JERRY_EINVALID, &err);
		return 1;
	}
	return 0;
}

static const struct key create_keys[] = {
	{"title", K_STRING}, {"description", K_STRING}, {"type", K_STRING},
	{"priority", K_STRING}, {"parent", K_STRING}, {"assignee", K_STRING},
	{"labels", K_STRINGS}, {NULL, K_STRING},
};

/* The strings of a JSON array member, pointing into body (alive as long as it). */
static int strings(const char ***out, size_t *n, json_t *body, const char *key)
{
	json_t *arr = json_object_get(body, key), *v;
	size_t i;
	*out = NULL;
	*n = 0;
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return JERRY_EINVALID;
	if (!(*out = calloc(json_array_size(arr) + 1, sizeof(**out))))
		return JERRY_ENOMEM;
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v))
			return JERRY_EINVALID;
		(*out)[(*n)++] = json_string_value(v);
	}
	return 0;
}

static const char *str(json_t *body, const char *key)
{
	return json_string_value(json_object_get(body, key));
}

static int reply_item(struct serve_reply *out, int rc, jerry_error *err, const jerry_item *it)
{
	if (rc && rc != JERRY_EDURABLE)
		return fail(out, rc, err);
	struct jr_sb sb = JR_SB_INIT;
	char *text = jerry_item_json(it, JERRY_JSON_COMPACT);
	if (!text)
		return JERRY_ENOMEM;
	jr_sb_addf(&sb, "{\"item\":%s}", text);
	free(text);
	return done(out, &sb);
}

static int create(struct serve_reply *out, jerry_store *store, json_t *body)
{
	jerry_create_spec spec;
	jerry_item *it = NULL;
	jerry_error err;
	const char **labels;
	int rc;

	jerry_error_clear(&err);
	if (body_refused(&rc, out, body, "create", create_keys))
		return rc;
	memset(&spec, 0, sizeof(spec));
	spec.title = str(body, "title");
	spec.description = str(body, "description");
	spec.type = str(body, "type");
	spec.priority = str(body, "priority");
	spec.parent = str(body, "parent");
	spec.assignee = str(body, "assignee");
	if ((rc = strings(&labels, &spec.nlabels, body, "labels"))) {
		free(labels);
		return rc == JERRY_EINVALID ? bad_request(out, "labels: an array of strings") : rc;
	}
	spec.labels = labels;
	if (!spec.title)
		rc = bad_request(out, "a new item needs a title");
	else if ((rc = jerry_create(&it, store, &spec, &err)) == 0 || rc == JERRY_EDURABLE)
		rc = reply_item(out, rc, &err, it);
	else
		rc = fail(out, rc, &err);
	free(labels);
	jerry_item_free(it);
	return rc;
}

/* What each action takes; force is the command's --force. */
static const struct key move_keys[] = {
	{"if_version", K_INTEGER}, {"reason", K_STRING}, {"force", K_BOOL}, {NULL, K_STRING},
};
static const struct key note_keys[] = {
	{"if_version", K_INTEGER}, {"text", K_STRING}, {NULL, K_STRING},
};
static const struct key edit_keys[] = {
	{"if_version", K_INTEGER}, {"title", K_STRING}, {"description", K_STRING},
	{"type", K_STRING}, {"priority", K_STRING}, {"assignee", K_STRING},
	{"parent", K_STRING}, {"add_labels", K_STRINGS}, {"remove_labels", K_STRINGS},
	{NULL, K_STRING},
};
static const struct key release_keys[] = {
	{"if_version", K_INTEGER}, {"force", K_BOOL}, {NULL, K_STRING},
};

/* The status each action moves to (NULL for note, edit and release), and its keys. */
static const struct action {
	const char *name, *status, *from;
	const struct key *keys;
} actions[] = {
	{"start", "in_progress", NULL, move_keys}, {"block", "blocked", NULL, move_keys},
	{"done", "done", NULL, move_keys}, {"cancel", "cancelled", NULL, move_keys},
	{"reopen", "in_progress", "done", move_keys}, {"note", NULL, NULL, note_keys},
	{"edit", NULL, NULL, edit_keys}, {"release", NULL, NULL, release_keys},
};

static int act(struct serve_reply *out, jerry_store *store, const char *id, const char *name,
	       json_t *body)
{
	const struct action *a = NULL;
	const char **add = NULL, **rm = NULL;
	json_t *ver = json_object_get(body, "if_version");
	jerry_change ch;
	jerry_item *it = NULL;
	jerry_error err;
	int rc;

	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(actions[i].name, name) == 0)
			a = &actions[i];
	if (!a)
		return bad_request(out, "no such action: '%s'", name);
	if (body_refused(&rc, out, body, a->name, a->keys))
		return rc;
	if (!json_is_integer(ver))
		return bad_request(out, "a change carries the version the page showed: "
				   "\"if_version\": N");
	jerry_error_clear(&err);
	memset(&ch, 0, sizeof(ch));
	ch.has_if_version = 1;
	ch.if_version = json_integer_value(ver);
	ch.status = a->status;
	ch.from_status = a->from;
	ch.block_reason = a->status ? str(body, "reason") : NULL;
	ch.force = json_is_true(json_object_get(body, "force"));
	if (strcmp(name, "note") == 0 && !(ch.note = str(body, "text")))
		return bad_request(out, "a note needs its \"text\"");
	if (strcmp(name, "edit") == 0) {
		ch.title = str(body, "title");
		ch.description = str(body, "description");
		ch.priority = str(body, "priority");
		ch.type = str(body, "type");
		ch.assignee = str(body, "assignee");
		ch.parent = str(body, "parent");
		if ((rc = strings(&add, &ch.nadd_labels, body, "add_labels")) ||
		    (rc = strings(&rm, &ch.nremove_labels, body, "remove_labels"))) {
			rc = rc == JERRY_EINVALID ? bad_request(out, "labels: an array of strings")
						  : rc;
			goto out;
		}
		ch.add_labels = add;
		ch.remove_labels = rm;
	}
	if (strcmp(name, "release") == 0)
		rc = jerry_claim_release(&it, store, id, ch.force ? JERRY_CLAIM_FORCE : 0,
					 ch.if_version, &err);
	else
		rc = jerry_update(&it, store, id, &ch, &err);
	rc = reply_item(out, rc, &err, it);
out:
	free(add);
	free(rm);
	jerry_item_free(it);
	return rc;
}

int serve_api_post(struct serve_reply *out, const jerry_open_opts *opts, const char *path,
		   const char *text, size_t len)
{
	jerry_store *store = NULL;
	jerry_error err;
	json_error_t jerr;
	int rc;

	jerry_error_clear(&err);
	json_t *body = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(body)) {
		int parsed = body != NULL;
		json_decref(body);
		return bad_request(out, "the body is not a JSON object (%s)", parsed ? "another JSON value" : jerr.text);
	}
	if ((rc = jerry_store_open(&store, opts, &err))) {
		rc = fail(out, rc, &err);
	} else if (strcmp(path, "/api/create") == 0) {
		rc = create(out, store, body);
	} else if (strncmp(path, "/api/item/", 10) == 0 && strchr(path + 10, '/')) {
		char id[64];
		const char *slash = strchr(path + 10, '/');
		size_t n = (size_t)(slash - (path + 10));
		if (n == 0 || n >= sizeof(id)) {
			rc = bad_request(out, "no such API: '%s'", path);
		} else {
			memcpy(id, path + 10, n);
			id[n] = '\0';
			rc = act(out, store, id, slash + 1, body);
		}
	} else {
		rc = bad_request(out, "no such API: '%s'", path);
	}
	jerry_store_free(store);
	json_decref(body);
	return rc;
}
