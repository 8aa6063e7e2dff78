/*
 * mcp_tools.c - the tools of `jerry mcp`: their schemas (tools/list) and
 * what a call does.  Each call opens the store as the `jerry` command
 * would, under the acting name, calls the public API once, closes the
 * store and renders the result: the library's item JSON, the library's
 * error object for a refusal (jerry_error_json), nothing computed here
 * that the library decides.
 *
 * A result is {"content": [{"type": "text", "text": T}],
 * "structuredContent": S} where T is S's text; a refusal adds
 * "isError": true and S is {"error": {code, exit, message, ...}}.  No
 * result is longer than RESULT_MAX bytes: lists are cut into pages (an
 * opaque cursor goes on), and an item too big for one result loses its
 * oldest notes, then the end of its description, and says so.
 */
#include "mcp_tools.h"
#include "../util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 25,000 tokens at 4 characters a token, with room for the envelope. */
#define RESULT_MAX 96000
/* The first budget of the structured part (it is in a result twice). */
#define PAYLOAD_FIRST 40000
#define PAGE_DEFAULT 25
#define PAGE_MAX 100

/* ---- the schemas ---------------------------------------------------------------- */

#define S_STR "{\"type\":\"string\"}"
#define S_INT "{\"type\":\"integer\",\"minimum\":1}"
#define S_BOOL "{\"type\":\"boolean\"}"
#define S_STRS "{\"type\":\"array\",\"items\":" S_STR "}"
#define P_AS "\"as\":" S_STR
#define P_ID "\"id\":" S_STR
#define P_PAGE "\"cursor\":" S_STR ",\"limit\":" S_INT
#define OUT_ITEM "{\"type\":\"object\",\"properties\":{\"item\":{\"type\":\"object\"}," \
	"\"error\":{\"type\":\"object\"}}}"
#define OUT_ITEMS "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\"}," \
	"\"next_cursor\":" S_STR ",\"error\":{\"type\":\"object\"}}}"
#define OUT_DEP "{\"type\":\"object\",\"properties\":{\"item\":{\"type\":\"object\"}," \
	"\"nodes\":{\"type\":\"array\"},\"error\":{\"type\":\"object\"}}}"
#define TOOL(name, desc, props, req, out) \
	"{\"name\":\"" name "\",\"description\":\"" desc "\",\"inputSchema\":{\"type\":\"object\"," \
	"\"properties\":{" props "}" req "},\"outputSchema\":" out "}"
#define REQ(...) ",\"required\":[" __VA_ARGS__ "]"

static const char tools_list[] = "{\"tools\":["
	TOOL("ready", "Work to take next, best first: pending, unclaimed, dependencies done.",
	     "\"type\":" S_STR ",\"label\":" S_STR ",\"mine\":" S_BOOL ",\"unassigned\":" S_BOOL
	     "," P_PAGE "," P_AS, "", OUT_ITEMS) ","
	TOOL("claim", "Take an item for yourself (claim ID, or next: the best ready one), extend "
	     "your claim (heartbeat) or give it back (release). One claimer wins.",
	     "\"action\":{\"enum\":[\"claim\",\"next\",\"heartbeat\",\"release\"]}," P_ID
	     ",\"lease\":{\"type\":\"string\",\"description\":\"30m, 2h\"},\"force\":" S_BOOL
	     ",\"token\":" S_STR ",\"type\":" S_STR ",\"label\":" S_STR "," P_AS,
	     REQ("\"action\""), OUT_ITEM) ","
	TOOL("show", "One item, whole.", P_ID "," P_AS, REQ("\"id\""), OUT_ITEM) ","
	TOOL("list", "Items, open ones by default; comma lists allowed.",
	     "\"status\":" S_STR ",\"type\":" S_STR ",\"label\":" S_STR ",\"assignee\":" S_STR
	     ",\"parent\":" S_STR ",\"all\":" S_BOOL "," P_PAGE "," P_AS, "", OUT_ITEMS) ","
	TOOL("search", "Items whose title, description or notes contain text.",
	     "\"text\":" S_STR ",\"all\":" S_BOOL "," P_PAGE "," P_AS, REQ("\"text\""), OUT_ITEMS) ","
	TOOL("create", "Create an item.",
	     "\"title\":" S_STR ",\"description\":" S_STR ",\"type\":" S_STR ",\"priority\":" S_STR
	     ",\"labels\":" S_STRS ",\"parent\":" S_STR ",\"assignee\":" S_STR "," P_AS,
	     REQ("\"title\""), OUT_ITEM) ","
	TOOL("update", "Change fields; \\\"\\\" clears description, assignee, parent.",
	     P_ID ",\"if_version\":" S_INT ",\"title\":" S_STR ",\"description\":" S_STR
	     ",\"type\":" S_STR ",\"priority\":" S_STR ",\"assignee\":" S_STR ",\"parent\":" S_STR
	     ",\"add_labels\":" S_STRS ",\"remove_labels\":" S_STRS "," P_AS,
	     REQ("\"id\""), OUT_ITEM) ","
	TOOL("note", "Append a note.", P_ID ",\"text\":" S_STR ",\"if_version\":" S_INT "," P_AS,
	     REQ("\"id\",\"text\""), OUT_ITEM) ","
	TOOL("transition", "Move an item: start, block, done, cancel, reopen (done to in_progress).",
	     P_ID ",\"action\":{\"enum\":[\"start\",\"block\",\"done\",\"cancel\",\"reopen\"]}"
	     ",\"reason\":" S_STR ",\"force\":" S_BOOL ",\"if_version\":" S_INT ",\"token\":" S_STR
	     "," P_AS, REQ("\"id\",\"action\""), OUT_ITEM) ","
	TOOL("dep", "Dependencies: id cannot start before each of on is done (add, rm); tree: "
	     "what id waits for.",
	     "\"action\":{\"enum\":[\"add\",\"rm\",\"tree\"]}," P_ID ",\"on\":" S_STRS "," P_AS,
	     REQ("\"action\",\"id\""), OUT_DEP)
	"]}";

const char *mcp_tools_list(void)
{
	return tools_list;
}

/* ---- arguments ------------------------------------------------------------------- */

/* One call: its arguments, the refusal being built, and the store it runs on. */
struct call {
	struct mcp_session *s;
	json_t *args;
	jerry_error err;
	int rc;                       /* the refusal's code, 0 while none */
	jerry_store *store;
};

/* Refuse the call, as the library would with this code; the first refusal stands. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int refuse(struct call *c, int code, const char *fmt, ...)
{
	va_list ap;
	if (c->rc)
		return c->rc;
	jerry_error_clear(&c->err);
	c->err.code = code;
	va_start(ap, fmt);
	vsnprintf(c->err.message, sizeof(c->err.message), fmt, ap);
	va_end(ap);
	c->rc = code;
	return code;
}

/* A string argument, or NULL when it is not given; a value of another kind is refused. */
static const char *arg_str(struct call *c, const char *key)
{
	json_t *v = json_object_get(c->args, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		refuse(c, JERRY_EINVALID, "argument '%s' must be a string", key);
		return NULL;
	}
	return json_string_value(v);
}

static int arg_bool(struct call *c, const char *key)
{
	json_t *v = json_object_get(c->args, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v)) {
		refuse(c, JERRY_EINVALID, "argument '%s' must be true or false", key);
		return 0;
	}
	return json_is_true(v);
}

/* A whole number >= 1; 0 when not given. */
static int64_t arg_int(struct call *c, const char *key)
{
	json_t *v = json_object_get(c->args, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		refuse(c, JERRY_EINVALID, "argument '%s' must be a whole number from 1", key);
		return 0;
	}
	return (int64_t)json_integer_value(v);
}

/* An array of strings into *out (malloc'd, free() it; NULL when not given). */
static size_t arg_strs(struct call *c, const char *key, const char ***out)
{
	json_t *v = json_object_get(c->args, key), *e;
	size_t i, n = json_array_size(v);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v)) {
		refuse(c, JERRY_EINVALID, "argument '%s' must be an array of strings", key);
		return 0;
	}
	if (n && !(*out = calloc(n, sizeof(**out)))) {
		refuse(c, JERRY_ENOMEM, "%s", "out of memory");
		return 0;
	}
	json_array_foreach(v, i, e) {
		if (!json_is_string(e)) {
			free(*out);
			*out = NULL;
			refuse(c, JERRY_EINVALID, "argument '%s' must be an array of strings", key);
			return 0;
		}
		(*out)[i] = json_string_value(e);
	}
	return n;
}

/* Every argument must be one the tool knows: a misspelt if_version must not be dropped. */
static int known_args(struct call *c, const char *const *keys)
{
	const char *key;
	json_t *v;
	json_object_foreach(c->args, key, v) {
		size_t i = 0;
		while (keys[i] && strcmp(keys[i], key) != 0)
			i++;
		if (!keys[i])
			return refuse(c, JERRY_EINVALID, "unknown argument '%.64s'", key);
	}
	return 0;
}

/* Open the store as the command does, under `as` or the session's name, with `token`. */
static int open_store(struct call *c)
{
	jerry_open_opts o = *c->s->opts;
	const char *as = arg_str(c, "as"), *token = arg_str(c, "token");
	if (c->rc)
		return c->rc;
	if (as && !*as)
		return refuse(c, JERRY_EINVALID, "%s", "argument 'as' needs a name");
	if (as)
		o.instance = as;
	else if (c->s->name[0])
		o.instance = c->s->name;
	if (token)
		o.claim_token = token;
	if ((c->rc = jerry_store_open(&c->store, &o, &c->err)))
		c->store = NULL;
	return c->rc;
}

/* ---- results --------------------------------------------------------------------- */

/* What a tool gives back, to be rendered (maybe again, smaller). */
struct outcome {
	jerry_item *item;             /* one item                                */
	jerry_item **items;           /* or a page's worth of items              */
	size_t nitems, from;          /* ... the page starts at items[from]      */
	size_t limit;
	int ready;                    /* items of jerry_ready: their stale claims */
	const char *cursor_kind;      /* "list", "ready", "search"                */
	char *nodes;                  /* a dependency tree's JSON text           */
	jerry_item *parent;           /* parent_ready_to_close                    */
	jerry_error warning;          /* committed but not durable                */
	int durable_rc;
};

/* An item's compact JSON in at most `budget` bytes, cut as the file comment says. */
static char *item_fit(const jerry_item *it, size_t budget, int ready)
{
	static const char *const keys[] = {"notes_omitted", "description_truncated"};
	char *text = ready ? jerry_ready_item_json(it, JERRY_JSON_COMPACT)
			   : jerry_item_json(it, JERRY_JSON_COMPACT);
	if (!text || strlen(text) <= budget || it->is_summary)
		return text;
	jerry_item cut = *it;
	size_t drop = 0, desc = it->description ? strlen(it->description) : 0;
	char *d = NULL;
	while (strlen(text) > budget) {
		if (drop < it->nnotes)
			drop = drop && drop * 2 < it->nnotes ? drop * 2 : (drop ? it->nnotes : 1);
		else if (desc > 64)
			desc /= 2;
		else
			break;          /* as small as it gets: render() stops trying */
		cut.notes = it->nnotes ? it->notes + drop : NULL;
		cut.nnotes = it->nnotes - drop;
		if (it->description && desc < strlen(it->description)) {
			size_t n = desc;
			/* Cut between characters, never inside one. */
			while (n && ((unsigned char)it->description[n] & 0xC0) == 0x80)
				n--;
			free(d);
			if (!(d = strndup(it->description, n))) {
				free(text);
				return NULL;
			}
			cut.description = d;
		}
		char omitted[24];
		snprintf(omitted, sizeof(omitted), "%zu", drop);
		const char *vals[] = {omitted, "true"};
		size_t k = drop ? 0 : 1;
		free(text);
		text = jerry_item_json_with(&cut, JERRY_JSON_COMPACT, keys + k, vals + k,
					    (drop ? 1 : 0) + (d ? 1 : 0));
		if (!text)
			break;
	}
	free(d);
	return text;
}

/* The structured part of a success in about `budget` bytes. */
static char *payload(const struct outcome *o, size_t budget)
{
	struct jr_sb sb = JR_SB_INIT;
	char *t;
	if (o->nodes) {
		jr_sb_addstr(&sb, "{\"nodes\":");
		jr_sb_addstr(&sb, o->nodes);
	} else if (o->item) {
		jr_sb_addstr(&sb, "{\"item\":");
		if (!(t = item_fit(o->item, budget, 0)))
			goto nomem;
		jr_sb_addstr(&sb, t);
		free(t);
		if (o->parent)
			jr_sb_addf(&sb, ",\"parent_ready_to_close\":\"%s\"", o->parent->id);
	} else {
		size_t i = o->from, shown = 0;
		jr_sb_addstr(&sb, "{\"items\":[");
		for (; i < o->nitems && shown < o->limit; i++, shown++) {
			if (!(t = item_fit(o->items[i], budget, o->ready)))
				goto nomem;
			/* Always one item a page, so a page never stalls on a big one. */
			if (shown && sb.len + strlen(t) + 64 > budget) {
				free(t);
				break;
			}
			if (shown)
				jr_sb_addch(&sb, ',');
			jr_sb_addstr(&sb, t);
			free(t);
		}
		jr_sb_addch(&sb, ']');
		if (i < o->nitems) {
			/* list pages by number (it is in ID order): a change between pages skips nothing. */
			if (strcmp(o->cursor_kind, "list") == 0)
				jr_sb_addf(&sb, ",\"next_cursor\":\"list.a%lld\"",
					   (long long)o->items[i - 1]->num);
			else
				jr_sb_addf(&sb, ",\"next_cursor\":\"%s.o%zu\"", o->cursor_kind, i);
		}
	}
	if (o->durable_rc) {
		if (!(t = jerry_error_json(o->durable_rc, &o->warning, JERRY_JSON_COMPACT)))
			goto nomem;
		jr_sb_addstr(&sb, ",\"warning\":");
		jr_sb_addstr(&sb, t);
		free(t);
	}
	jr_sb_addch(&sb, '}');
	if (sb.failed)
		goto nomem;
	return jr_sb_detach(&sb, NULL);
nomem:
	jr_sb_release(&sb);
	return NULL;
}

/* {"content": [{"type": "text", "text": S}], "structuredContent": S[, "isError": true]} */
static char *wrap(const char *s, int is_error)
{
	struct jr_sb sb = JR_SB_INIT;
	json_t *str = json_string(s);
	char *esc = str ? json_dumps(str, JSON_ENCODE_ANY) : NULL;
	json_decref(str);
	if (!esc)
		return NULL;
	jr_sb_addstr(&sb, "{\"content\":[{\"type\":\"text\",\"text\":");
	jr_sb_addstr(&sb, esc);
	jr_sb_addstr(&sb, "}],\"structuredContent\":");
	jr_sb_addstr(&sb, s);
	jr_sb_addstr(&sb, is_error ? ",\"isError\":true}" : "}");
	free(esc);
	if (sb.failed) {
		jr_sb_release(&sb);
		return NULL;
	}
	return jr_sb_detach(&sb, NULL);
}

static char *render_error(const struct call *c)
{
	char *e = jerry_error_json(c->rc, &c->err, JERRY_JSON_COMPACT), *out = NULL;
	size_t n = e ? strlen(e) + 16 : 0;
	char *s = e ? malloc(n) : NULL;
	if (s) {
		snprintf(s, n, "{\"error\":%s}", e);
		out = wrap(s, 1);
	}
	free(e);
	free(s);
	return out;
}

/* The success, smaller and smaller until it fits in RESULT_MAX. */
static char *render(const struct outcome *o)
{
	for (size_t budget = PAYLOAD_FIRST;; budget /= 2) {
		char *s = payload(o, budget), *out = s ? wrap(s, 0) : NULL;
		free(s);
		if (!out || strlen(out) <= RESULT_MAX || budget < 512)
			return out;
		free(out);
	}
}

/* ---- the tools ----------------------------------------------------------------- */

/* After a write: what it committed, for the message if its answer cannot be written. */
static void committed(struct call *c, struct outcome *o)
{
	if (c->rc == JERRY_EDURABLE) {
		o->durable_rc = c->rc;
		o->warning = c->err;
		c->rc = 0;
	}
	if (!c->rc && o->item) {
		c->s->committed = 1;
		snprintf(c->s->changed, sizeof(c->s->changed), "%s (version %lld)", o->item->id,
			 (long long)o->item->version);
	}
}

/* The page a cursor asks for: "KIND.oN" (from the Nth) or "list.aN" (after number N). */
static int page_start(struct call *c, struct outcome *o, const char *kind)
{
	const char *cur = arg_str(c, "cursor");
	int64_t limit = arg_int(c, "limit");
	o->cursor_kind = kind;
	o->limit = limit ? (size_t)(limit < PAGE_MAX ? limit : PAGE_MAX) : PAGE_DEFAULT;
	if (c->rc || !cur)
		return c->rc;
	size_t klen = strlen(kind);
	char *end;
	if (strncmp(cur, kind, klen) != 0 || cur[klen] != '.' ||
	    (cur[klen + 1] != 'o' && cur[klen + 1] != 'a'))
		return refuse(c, JERRY_EINVALID, "cursor '%.64s' is not one this tool gave", cur);
	unsigned long long v = strtoull(cur + klen + 2, &end, 10);
	if (*end || end == cur + klen + 2)
		return refuse(c, JERRY_EINVALID, "cursor '%.64s' is not one this tool gave", cur);
	if (cur[klen + 1] == 'o') {
		o->from = v < o->nitems ? (size_t)v : o->nitems;
	} else {
		while (o->from < o->nitems && (unsigned long long)o->items[o->from]->num <= v)
			o->from++;
	}
	return 0;
}

static void tool_ready(struct call *c, struct outcome *o)
{
	jerry_filter f;
	memset(&f, 0, sizeof(f));
	f.type = arg_str(c, "type");
	f.label = arg_str(c, "label");
	f.mine = arg_bool(c, "mine");
	f.unassigned = arg_bool(c, "unassigned");
	if (c->rc || open_store(c))
		return;
	o->ready = 1;
	if (!(c->rc = jerry_ready(&o->items, &o->nitems, c->store, &f, &c->err)))
		page_start(c, o, "ready");
}

static void tool_list(struct call *c, struct outcome *o)
{
	jerry_filter f;
	memset(&f, 0, sizeof(f));
	f.statuses = arg_str(c, "status");
	f.type = arg_str(c, "type");
	f.label = arg_str(c, "label");
	f.assignee = arg_str(c, "assignee");
	f.parent = arg_str(c, "parent");
	f.all = arg_bool(c, "all");
	if (c->rc || open_store(c))
		return;
	if (!(c->rc = jerry_list(&o->items, &o->nitems, c->store, &f, &c->err)))
		page_start(c, o, "list");
}

static void tool_search(struct call *c, struct outcome *o)
{
	const char *text = arg_str(c, "text");
	int all = arg_bool(c, "all");
	if (c->rc || open_store(c))
		return;
	if (!(c->rc = jerry_search(&o->items, &o->nitems, c->store, text, all, &c->err)))
		page_start(c, o, "search");
}

static void tool_show(struct call *c, struct outcome *o)
{
	const char *id = arg_str(c, "id");
	if (!c->rc && !open_store(c))
		c->rc = jerry_show(&o->item, c->store, id, &c->err);
}

static void tool_create(struct call *c, struct outcome *o)
{
	jerry_create_spec spec;
	const char **labels = NULL;
	memset(&spec, 0, sizeof(spec));
	spec.title = arg_str(c, "title");
	spec.description = arg_str(c, "description");
	spec.type = arg_str(c, "type");
	spec.priority = arg_str(c, "priority");
	spec.parent = arg_str(c, "parent");
	spec.assignee = arg_str(c, "assignee");
	spec.nlabels = arg_strs(c, "labels", &labels);
	spec.labels = labels;
	if (!c->rc && !open_store(c)) {
		c->rc = jerry_create(&o->item, c->store, &spec, &c->err);
		committed(c, o);
	}
	free(labels);
}

/* update, note and transition: one jerry_change, through the cascade call as the command does. */
static void change(struct call *c, struct outcome *o, jerry_change *ch)
{
	const char *id = arg_str(c, "id");
	int64_t v = arg_int(c, "if_version");
	if (v) {
		ch->has_if_version = 1;
		ch->if_version = v;
	}
	if (c->rc || open_store(c))
		return;
	int64_t *below = NULL;
	size_t nbelow = 0;
	c->rc = jerry_update_cascade(&o->item, &below, &nbelow, c->store, id, ch, &c->err);
	free(below);
	committed(c, o);
	/* Advice read after the commit, as the command gives it: never closes anything. */
	if (!c->rc && ch->status && (o->item->status == JERRY_STATUS_DONE ||
				     o->item->status == JERRY_STATUS_CANCELLED)) {
		jerry_error ignored;
		if (jerry_parent_closable(&o->parent, c->store, o->item, &ignored))
			o->parent = NULL;
	}
}

static void tool_update(struct call *c, struct outcome *o)
{
	jerry_change ch;
	const char **add = NULL, **rm = NULL;
	memset(&ch, 0, sizeof(ch));
	ch.title = arg_str(c, "title");
	ch.description = arg_str(c, "description");
	ch.type = arg_str(c, "type");
	ch.priority = arg_str(c, "priority");
	ch.assignee = arg_str(c, "assignee");
	ch.parent = arg_str(c, "parent");
	ch.nadd_labels = arg_strs(c, "add_labels", &add);
	ch.add_labels = add;
	if (!c->rc)
		ch.nremove_labels = arg_strs(c, "remove_labels", &rm);
	ch.remove_labels = rm;
	/* An update of nothing is the library's refusal: jerry_update_cascade. */
	if (!c->rc)
		change(c, o, &ch);
	free(add);
	free(rm);
}

static void tool_note(struct call *c, struct outcome *o)
{
	jerry_change ch;
	memset(&ch, 0, sizeof(ch));
	ch.note = arg_str(c, "text");
	if (!c->rc)
		change(c, o, &ch);
}

/* The moves and the status each asks for; reopen is in_progress from done only. */
static const struct move {
	const char *action, *status, *from;
} moves[] = {
	{"start", "in_progress", NULL}, {"block", "blocked", NULL}, {"done", "done", NULL},
	{"cancel", "cancelled", NULL}, {"reopen", "in_progress", "done"}, {NULL, NULL, NULL}
};

static void tool_transition(struct call *c, struct outcome *o)
{
	jerry_change ch;
	const char *action = arg_str(c, "action");
	const struct move *m = moves;
	memset(&ch, 0, sizeof(ch));
	while (action && m->action && strcmp(m->action, action) != 0)
		m++;
	if (!c->rc && !m->action)
		refuse(c, JERRY_EINVALID, "action must be start, block, done, cancel or reopen, "
		       "not '%.32s'", action ? action : "");
	ch.status = m->status;
	ch.from_status = m->from;
	ch.block_reason = arg_str(c, "reason");
	ch.force = arg_bool(c, "force");
	if (!c->rc)
		change(c, o, &ch);
}

static void tool_claim(struct call *c, struct outcome *o)
{
	const char *action = arg_str(c, "action"), *id = arg_str(c, "id");
	const char *lease = arg_str(c, "lease");
	int force = arg_bool(c, "force");
	int64_t lease_ms = 0;
	jerry_filter f;
	memset(&f, 0, sizeof(f));
	f.type = arg_str(c, "type");
	f.label = arg_str(c, "label");
	if (c->rc)
		return;
	if (lease && jerry_duration_parse(&lease_ms, lease)) {
		refuse(c, JERRY_EINVALID, "'%.64s' is not a lease length: write 90s, 30m, 2h", lease);
		return;
	}
	int next = action && strcmp(action, "next") == 0;
	if (!action || (!next && strcmp(action, "claim") && strcmp(action, "heartbeat") &&
			strcmp(action, "release"))) {
		refuse(c, JERRY_EINVALID, "action must be claim, next, heartbeat or release, "
		       "not '%.32s'", action ? action : "");
		return;
	}
	if (!next && !id) {
		refuse(c, JERRY_EINVALID, "action %s needs an id", action);
		return;
	}
	if (open_store(c))
		return;
	if (next)
		c->rc = jerry_claim_next(&o->item, c->store, &f, lease_ms, &c->err);
	else if (strcmp(action, "claim") == 0)
		c->rc = jerry_claim_take(&o->item, c->store, id, lease_ms,
					 force ? JERRY_CLAIM_FORCE : 0, &c->err);
	else if (strcmp(action, "heartbeat") == 0)
		c->rc = jerry_claim_heartbeat(&o->item, c->store, id, lease_ms, &c->err);
	else
		c->rc = jerry_claim_release(&o->item, c->store, id, force ? JERRY_CLAIM_FORCE : 0, 0,
					    &c->err);
	committed(c, o);
}

static void tool_dep(struct call *c, struct outcome *o)
{
	const char *action = arg_str(c, "action"), *id = arg_str(c, "id");
	const char **on = NULL;
	size_t non = arg_strs(c, "on", &on);
	int tree = action && strcmp(action, "tree") == 0;
	int add = action && strcmp(action, "add") == 0;
	if (!c->rc && !tree && !add && (!action || strcmp(action, "rm") != 0))
		refuse(c, JERRY_EINVALID, "action must be add, rm or tree, not '%.32s'",
		       action ? action : "");
	if (!c->rc && !tree && !non)
		refuse(c, JERRY_EINVALID, "action %s needs on: the items that must be done first",
		       action);
	if (!c->rc && !open_store(c)) {
		if (tree) {
			jerry_dep_node *nodes = NULL;
			size_t n = 0;
			if (!(c->rc = jerry_dep_tree(&nodes, &n, c->store, id, &c->err)) &&
			    !(o->nodes = jerry_dep_tree_json(nodes, n, JERRY_JSON_COMPACT)))
				refuse(c, JERRY_ENOMEM, "%s", "out of memory");
			jerry_dep_nodes_free(nodes, n);
		} else {
			c->rc = add ? jerry_dep_add_many(&o->item, c->store, id, on, non, &c->err)
				    : jerry_dep_remove_many(&o->item, c->store, id, on, non, &c->err);
			committed(c, o);
		}
	}
	free(on);
}

static const char *const k_ready[] = {"type", "label", "mine", "unassigned", "cursor", "limit",
				      "as", NULL};
static const char *const k_claim[] = {"action", "id", "lease", "force", "token", "type", "label",
				      "as", NULL};
static const char *const k_show[] = {"id", "as", NULL};
static const char *const k_list[] = {"status", "type", "label", "assignee", "parent", "all",
				     "cursor", "limit", "as", NULL};
static const char *const k_search[] = {"text", "all", "cursor", "limit", "as", NULL};
static const char *const k_create[] = {"title", "description", "type", "priority", "labels",
				       "parent", "assignee", "as", NULL};
static const char *const k_update[] = {"id", "if_version", "title", "description", "type",
				       "priority", "assignee", "parent", "add_labels",
				       "remove_labels", "as", NULL};
static const char *const k_note[] = {"id", "text", "if_version", "as", NULL};
static const char *const k_transition[] = {"id", "action", "reason", "force", "if_version",
					   "token", "as", NULL};
static const char *const k_dep[] = {"action", "id", "on", "as", NULL};

static const struct tool {
	const char *name;
	void (*run)(struct call *c, struct outcome *o);
	const char *const *keys;
	const char *required[2];
} tools[] = {
	{"ready", tool_ready, k_ready, {NULL}},
	{"claim", tool_claim, k_claim, {"action"}},
	{"show", tool_show, k_show, {"id"}},
	{"list", tool_list, k_list, {NULL}},
	{"search", tool_search, k_search, {"text"}},
	{"create", tool_create, k_create, {"title"}},
	{"update", tool_update, k_update, {"id"}},
	{"note", tool_note, k_note, {"id", "text"}},
	{"transition", tool_transition, k_transition, {"id", "action"}},
	{"dep", tool_dep, k_dep, {"action", "id"}},
	{NULL, NULL, NULL, {NULL}}
};

int mcp_tools_call(char **out, struct mcp_session *s, json_t *params, char *msg, size_t msgsize)
{
	const char *name = json_string_value(json_object_get(params, "name"));
	json_t *args = json_object_get(params, "arguments");
	const struct tool *t = tools;
	*out = NULL;
	if (!name) {
		snprintf(msg, msgsize, "tools/call needs params.name, a string");
		return JSONRPC_INVALID_PARAMS;
	}
	while (t->name && strcmp(t->name, name) != 0)
		t++;
	if (!t->name) {
		snprintf(msg, msgsize, "unknown tool '%.64s'", name);
		return JSONRPC_INVALID_PARAMS;
	}
	if (args && !json_is_object(args)) {
		snprintf(msg, msgsize, "params.arguments must be an object");
		return JSONRPC_INVALID_PARAMS;
	}

	struct call c;
	struct outcome o;
	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	jerry_error_clear(&c.err);
	c.s = s;
	c.args = args ? args : json_object();
	if (!c.args)
		return JERRY_ENOMEM;
	if (!known_args(&c, t->keys)) {
		for (size_t i = 0; i < 2 && t->required[i] && !c.rc; i++)
			if (!json_object_get(c.args, t->required[i]))
				refuse(&c, JERRY_EINVALID, "argument '%s' is required", t->required[i]);
		if (!c.rc)
			t->run(&c, &o);
	}
	*out = c.rc ? render_error(&c) : render(&o);
	jerry_item_free(o.item);
	jerry_item_free(o.parent);
	jerry_item_array_free(o.items, o.nitems);
	free(o.nodes);
	jerry_store_free(c.store);
	if (!args)
		json_decref(c.args);
	return *out ? 0 : JERRY_ENOMEM;
}
