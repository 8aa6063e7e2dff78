/*
 * error_json.c - a jerry_error as the JSON object every face gives it
 * (jerry_error_json): the `jerry` command's --json error and the body of
 * a refused request of `jerry serve` are this one object (doc/CLI.md,
 * "Errors").
 */
#include "codec.h"

#include <stdlib.h>
#include <string.h>

/* A string member; text that is not UTF-8 (a user's bad input quoted) keeps its ASCII. */
static int set_str(json_t *obj, const char *key, const char *value)
{
	json_t *v = json_string(value ? value : "");
	if (!v) {
		char *copy = strdup(value);
		if (!copy)
			return -1;
		for (unsigned char *p = (unsigned char *)copy; *p; p++)
			if (*p >= 0x80)
				*p = '?';
		v = json_string(copy);
		free(copy);
	}
	return v ? json_object_set_new(obj, key, v) : -1;
}

static int set_int(json_t *obj, const char *key, json_int_t value)
{
	return json_object_set_new(obj, key, json_integer(value));
}

/* [{"id", "status"}] of the first JERRY_ERROR_DEPS_MAX of n items. */
static int set_states(json_t *obj, const char *key, const jerry_dep_state *s, size_t n)
{
	json_t *arr = json_array();
	int bad = !arr;
	if (n > JERRY_ERROR_DEPS_MAX)
		n = JERRY_ERROR_DEPS_MAX;
	for (size_t i = 0; !bad && i < n; i++) {
		char id[32];
		jerry_id_format(id, sizeof(id), s[i].num);
		bad = json_array_append_new(arr, json_pack("{s:s,s:s}", "id", id, "status",
			s[i].status < 0 ? "missing" : jerry_status_name((jerry_status)s[i].status))) != 0;
	}
	if (bad) {
		json_decref(arr);
		return -1;
	}
	return json_object_set_new(obj, key, arr);
}

static json_t *error_object(const jerry_error *err)
{
	int rc = err->code < 0 ? err->code : JERRY_EINTERNAL;
	json_t *e = json_object();
	char when[40];
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
		bad = bad || set_states(e, "open_dependencies", err->open_deps, err->nopen_deps);
		bad = bad || set_int(e, "open_dependency_count", (json_int_t)err->nopen_deps);
	}
	/* Refused closing a parent: the open items below it. */
	if (err->nopen_descendants) {
		bad = bad || set_states(e, "open_descendants", err->open_descendants,
					err->nopen_descendants);
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
	return e;
}

int jr_codec_error_json(char **out, const jerry_error *e)
{
	json_t *o = error_object(e);
	*out = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	return *out ? 0 : JERRY_ENOMEM;
}
