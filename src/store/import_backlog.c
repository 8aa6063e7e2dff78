/*
 * import_backlog.c - a Backlog.md tasks folder: one markdown file a task,
 * its front matter YAML (read by libyaml, into a JSON object of scalars and
 * lists of scalars), its body the description.
 */
#include "importer.h"
#include "codec.h"
#include "io.h"
#include "../domain/domain.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define TASK_FILE_MAX (8L * 1024 * 1024)

static int fail(jerry_error *err, const char *path, int line, const char *what)
{
	jr_error(err, JERRY_EINVALID, "%.200s: line %d: %s", path, line, what);
	if (err) {
		snprintf(err->path, sizeof(err->path), "%s", path);
		err->line = line;
		jr_error_hint(err, "nothing was imported");
	}
	return JERRY_EINVALID;
}

/*
 * The front matter as {"key": "scalar" | ["scalar", ...]}; a deeper value
 * is kept as the list of its scalars.  NULL with err set on bad YAML.
 */
static json_t *front_matter(const char *text, size_t len, const char *path, jerry_error *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	json_t *o = json_object(), *list = NULL;
	char *key = NULL;
	int depth = 0, done = 0, ok = o != NULL;
	if (!ok || !yaml_parser_initialize(&p)) {
		json_decref(o);
		jr_error(err, JERRY_ENOMEM, "out of memory");
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (ok && !done) {
		if (!yaml_parser_parse(&p, &ev)) {
			char what[256];
			snprintf(what, sizeof(what), "not valid YAML front matter: %s",
				 p.problem ? p.problem : "parse error");
			fail(err, path, (int)p.problem_mark.line + 2, what);
			ok = 0;
			break;
		}
		switch (ev.type) {
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			depth++;
			if (depth == 2 && key && !list)
				ok = (list = json_array()) != NULL;
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			if (depth == 1 && list) {
				ok = json_object_set_new(o, key, list) == 0;
				list = NULL;
				free(key);
				key = NULL;
			}
			break;
		case YAML_SCALAR_EVENT: {
			const char *v = (const char *)ev.data.scalar.value;
			if (depth == 1 && !key) {
				ok = (key = strdup(v)) != NULL;
			} else if (depth == 1) {
				ok = json_object_set_new(o, key, json_string(v)) == 0;
				free(key);
				key = NULL;
			} else if (list) {
				ok = json_array_append_new(list, json_string(v)) == 0;
			}
			break;
		}
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	free(key);
	json_decref(list);
	if (!ok) {
		if (err && err->code == 0)
			jr_error(err, JERRY_EINVALID, "%.200s: front matter jerry cannot read", path);
		json_decref(o);
		return NULL;
	}
	return o;
}

static int one_task(jr_import_set *set, const char *path, char *text, size_t len,
		    jerry_error *err)
{
	/* The front matter's values are strings and lists of strings. */
	static const struct jr_import_known known[] = {{"id", JR_K_STR, 0},
		{"title", JR_K_STR, 0}, {"status", JR_K_STR, 0},
		{"assignee", JR_K_STR | JR_K_ARR, JR_K_STR}, {"labels", JR_K_ARR, JR_K_STR},
		{"dependencies", JR_K_ARR, JR_K_STR}, {"parent_task_id", JR_K_STR, 0},
		{"priority", JR_K_STR, 0}, {"created_date", JR_K_STR, 0},
		{"updated_date", JR_K_STR, 0}, {NULL, 0, 0}};
	if (len < 4 || strncmp(text, "---\n", 4) != 0)
		return fail(err, path, 1, "no front matter: a Backlog.md task starts with ---");
	char *end = strstr(text + 3, "\n---");
	if (!end)
		return fail(err, path, 1, "the front matter has no closing ---");
	json_t *fm = front_matter(text + 4, (size_t)(end + 1 - (text + 4)), path, err), *v;
	if (!fm)
		return err ? err->code : JERRY_EINVALID;
	jr_import_rec *r = jr_import_add(set);
	const char *s;
	size_t i;
	int rc = r ? 0 : -1;
	const char *id = json_string_value(json_object_get(fm, "id"));
	if (!rc && (!id || !*id)) {
		json_decref(fm);
		return fail(err, path, 2, "the task has no id");
	}
	jerry_item *it = r ? r->item : NULL;
	if (!rc)
		rc = jr_set_str(&it->external_ref, id);
	if (!rc && !(r->file = strdup(path)))
		rc = -1;
	if (!rc)
		rc = jr_import_wrong_types(r, fm, known);
	if (!rc && (s = json_string_value(json_object_get(fm, "title"))) && *s)
		rc = jr_set_str(&it->title, s);
	if (!rc && (s = json_string_value(json_object_get(fm, "status"))) &&
	    jr_import_map_status(&it->status, NULL, "backlog", s) < 0)
		rc = jr_import_lose(r, "status '%.40s' (read as pending)", s);
	if (!rc && (s = json_string_value(json_object_get(fm, "priority"))) &&
	    jr_import_map_priority(&it->priority, "backlog", s) < 0)
		rc = jr_import_lose(r, "priority '%.40s' (read as medium)", s);
	json_t *who = json_object_get(fm, "assignee");
	if (json_is_string(who) && *json_string_value(who))
		rc = rc ? rc : jr_set_str(&it->assignee, json_string_value(who));
	json_array_foreach(json_is_array(who) ? who : NULL, i, v) {
		if (rc || !json_string_value(v))
			continue;
		rc = it->assignee ? jr_import_lose(r, "assignee %.64s", json_string_value(v))
				  : jr_set_str(&it->assignee, json_string_value(v));
	}
	json_array_foreach(json_object_get(fm, "labels"), i, v)
		if (!rc && json_string_value(v))
			rc = jr_import_add_label(r, json_string_value(v));
	json_array_foreach(json_object_get(fm, "dependencies"), i, v) {
		char **grown;
		if (rc || !json_string_value(v))
			continue;
		if (!(grown = realloc(r->dep_refs, (r->ndeps + 1) * sizeof(*grown))) ||
		    !(grown[r->ndeps] = strdup(json_string_value(v)))) {
			if (grown)
				r->dep_refs = grown;
			rc = -1;
			continue;
		}
		r->dep_refs = grown;
		r->ndeps++;
	}
	/* A task under a task is, in jerry's terms, a subtask. */
	if (!rc && (s = json_string_value(json_object_get(fm, "parent_task_id"))) && *s) {
		rc = (r->parent_ref = strdup(s)) ? 0 : -1;
		it->type = JERRY_TYPE_SUBTASK;
	}
	if (!rc && (s = json_string_value(json_object_get(fm, "created_date"))) &&
	    jr_import_time(&it->created_at, s))
		rc = jr_import_lose(r, "created_date '%.40s'", s);
	if (!rc && (s = json_string_value(json_object_get(fm, "updated_date"))) &&
	    jr_import_time(&it->updated_at, s))
		rc = jr_import_lose(r, "updated_date '%.40s'", s);
	/* The body, its sections and all, is the description. */
	const char *body = end + 4;
	while (*body == '\n')
		body++;
	if (!rc && *body)
		rc = jr_set_str(&it->description, body);
	if (!rc)
		rc = jr_import_keep_rest(r, fm, known);
	if (r)
		r->line = 1;
	json_decref(fm);
	return rc == -1 ? jr_error(err, JERRY_ENOMEM, "out of memory") : rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int jr_import_read_backlog(jr_import_set *set, const char *dir, jerry_error *err)
{
	int fd = jr_io_open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0), rc = 0;
	char **names = NULL;
	size_t n = 0;
	DIR *d;
	struct dirent *de;
	memset(set, 0, sizeof(*set));
	snprintf(set->format, sizeof(set->format), "backlog");
	if (fd < 0)
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot open '%.200s'", dir);
	if (!(d = jr_io_fdopendir(fd))) {
		jr_io_close(fd);
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot read '%.200s'", dir);
	}
	while (rc == 0) {
		if (jr_io_readdir(d, &de) < 0) {
			rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot read '%.200s'", dir);
			break;
		}
		if (!de)
			break;
		size_t l = strlen(de->d_name);
		if (l < 4 || strcmp(de->d_name + l - 3, ".md") != 0 || de->d_name[0] == '.')
			continue;
		char **grown = realloc(names, (n + 1) * sizeof(*grown));
		if (!grown || !(grown[n] = strdup(de->d_name))) {
			if (grown)
				names = grown;
			rc = jr_error(err, JERRY_ENOMEM, "out of memory");
			break;
		}
		names = grown;
		n++;
	}
	if (!rc && n == 0)
		rc = jr_error(err, JERRY_EINVALID, "'%.200s' holds no task (*.md) file", dir);
	if (!rc)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; !rc && i < n; i++) {
		char path[4096], *text = NULL;
		size_t len;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		int tfd = jr_io_openat(dirfd(d), names[i], O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
		if (tfd < 0 || jr_io_read_all(tfd, &text, &len, TASK_FILE_MAX) < 0) {
			int e = errno;
			if (tfd >= 0)
				jr_io_close(tfd);
			rc = e == EFBIG ? fail(err, path, 1, "larger than 8 MiB")
					: jr_error_sys(err, JERRY_ESTORAGE, e, "cannot read '%.200s'", path);
			break;
		}
		jr_io_close(tfd);
		if (!jr_check_utf8(text, len))
			rc = fail(err, path, 1, "not valid UTF-8");
		else
			rc = one_task(set, path, text, len, err);
		free(text);
	}
	jr_io_closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc)
		jr_import_set_release(set);
	return rc;
}
