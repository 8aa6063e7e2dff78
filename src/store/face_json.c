/*
 * face_json.c - the JSON shapes every face shows the same way: the error
 * object of a refusal, an item of `ready` with its stale claim, a
 * dependency tree.  The `jerry` command's --json and `jerry mcp`'s tool
 * results print these texts as they are, so the two faces cannot drift.
 * They live with the codec because only the store speaks JSON.
 */
#include "codec.h"

#include <stdlib.h>
#include <string.h>

/* Text of a value built here; NULL when out of memory (and v is released). */
static char *dump(json_t *v, int flags)
{
	char *text = v ? json_dumps(v, (flags & JERRY_JSON_COMPACT ? JSON_COMPACT : JSON_INDENT(2)) |
					       JSON_PRESERVE_ORDER)
		       : NULL;
	json_decref(v);
	return text;
}

/* A string; text that is not UTF-8 (a message quoting bad input) keeps its ASCII only. */
static int set_str(json_t *o, const char *key, const char *value)
{
	json_t *v = json_string(value ? value : "");
	if (!v && value) {
		char *copy = strdup(value);
		for (unsigned char *p = (unsigned char *)copy; copy && *p; p++)
			if (*p >= 0x80)
				*p = '?';
		v = copy ? json_string(copy) : NULL;
		free(copy);
	}
	return json_object_set_new(o, key, v);
}

static int set_int(json_t *o, const char *key, json_int_t value)
{
	return json_object_set_new(o, key, json_integer(value));
}

/* [{"id", "status"}...] of the first JERRY_ERROR_DEPS_MAX of n; NULL when out of memory. */
static json_t *dep_states(const jerry_dep_state *deps, size_t n)
{
	json_t *arr = json_array();
	if (n > JERRY_ERROR_DEPS_MAX)
		n = JERRY_ERROR_DEPS_MAX;
	for (size_t i = 0; arr && i < n; i++) {
		char id[32];
		int st = deps[i].status;
		jerry_id_format(id, sizeof(id), deps[i].num);
		if (json_array_append_new(arr, json_pack("{s:s,s:s}", "id", id, "status",
			st < 0 ? "missing" : jerry_status_name((jerry_status)st)))) {
			json_decref(arr);
			arr = NULL;
		}
	}
	return arr;
}

char *jr_codec_error_json(int rc, const jerry_error *err, int flags)
{
	json_t *e = json_object();
	char when[40];
	if (rc >= 0)
		rc = JERRY_EINTERNAL;
	int bad = !e;
	bad = bad || set_str(e, "code", jerry_code_name(rc));
	bad = bad || set_int(e, "exit", jerry_code_exit_status(rc));
	bad = bad || set_str(e, "message", err->message[0] ? err->message : jerry_code_name(rc));
	if (err->hint[0])
		bad = bad || set_str(e, "hint", err->hint);
	if (err->item[0])
		bad = bad || set_str(e, "item", err->item);
	if (err->path[0])
		bad = bad || set_str(e, "path", err->path);
	/* A position is line and column together; column 0 is real (end of file). */
	if (err->line > 0) {
		bad = bad || set_int(e, "line", err->line);
		bad = bad || set_int(e, "column", err->column);
	}
	if (rc == JERRY_ECONFLICT && (err->expected_version || err->current_version)) {
		bad = bad || set_int(e, "expected_version", err->expected_version);
		bad = bad || set_int(e, "current_version", err->current_version);
	}
	if (err->holder[0])
		bad = bad || set_str(e, "holder", err->holder);
	if (err->holder_expires_ms) {
		jerry_time_format(when, sizeof(when), err->holder_expires_ms);
		bad = bad || set_str(e, "holder_expires_at", when);
	}
	/* Refused by the dependency gate: the dependencies that are not done. */
	if (err->nopen_deps) {
		json_t *deps = dep_states(err->open_deps, err->nopen_deps);
		bad = bad || !deps || json_object_set_new(e, "open_dependencies", deps);
		bad = bad || set_int(e, "open_dependency_count", (json_int_t)err->nopen_deps);
	}
	/* Refused closing a parent: the open items below it. */
	if (err->nopen_descendants) {
		json_t *below = dep_states(err->open_descendants, err->nopen_descendants);
		bad = bad || !below || json_object_set_new(e, "open_descendants", below);
		bad = bad || set_int(e, "open_descendant_count", (json_int_t)err->nopen_descendants);
	}
	/* A committed change whose result was lost: the version it made. */
	if (rc == JERRY_EOUTPUT && err->current_version)
		bad = bad || set_int(e, "version", err->current_version);
	jerry_status moves[JERRY_STATUS__COUNT];
	size_t nmoves = jerry_error_allowed(moves, err);
	if (nmoves) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < nmoves; i++)
			if (json_array_append_new(a, json_string(jerry_status_name(moves[i])))) {
				json_decref(a);
				a = NULL;
			}
		bad = bad || !a || json_object_set_new(e, "allowed", a);
	}
	if (bad) {
		json_decref(e);
		return NULL;
	}
	return dump(e, flags);
}

char *jr_codec_ready_item_json(const jerry_item *item, int flags)
{
	static const char *const key[] = {"stale_claim"};
	if (!item->claim.by)
		return jr_codec_item_json(item, flags);
	char at[40];
	jerry_time_format(at, sizeof(at), item->claim.expires_ms);
	char *text = dump(json_pack("{s:s,s:s}", "by", item->claim.by, "expired_at", at),
			  JERRY_JSON_COMPACT);
	char *out = text ? jr_codec_item_json_with(item, flags, key, (const char *const *)&text, 1)
			 : NULL;
	free(text);
	return out;
}

char *jr_codec_dep_tree_json(const jerry_dep_node *nodes, size_t n, int flags)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++) {
		char via[32] = "";
		if (nodes[i].via)
			jerry_id_format(via, sizeof(via), nodes[i].via);
		const jerry_item *it = nodes[i].item;
		if (json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:i,s:s*}", "id", it->id,
			"title", it->title ? it->title : "", "status", jerry_status_name(it->status),
			"depth", nodes[i].depth, "via", nodes[i].via ? via : NULL))) {
			json_decref(arr);
			arr = NULL;
		}
	}
	return dump(arr, flags);
}
