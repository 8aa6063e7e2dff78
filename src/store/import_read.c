/*
 * import_read.c - reading a file another tracker wrote (or `jerry export`
 * did) into import records (domain/import_map.h): the file through io.c, its
 * JSON through jansson, each source field to its place in jerry's item or,
 * when jerry has none, to the item's "ext" object.  Nothing is written
 * here; any error names the line (JSON Lines) or the element (a JSON
 * array) and the import stops before the store is touched.
 */
#include "importer.h"
#include "codec.h"
#include "io.h"
#include "../domain/domain.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A whole import file: far more than any tracker's backlog. */
#define IMPORT_FILE_MAX (512L * 1024 * 1024)
/* One JSON Lines line: an item is at most 32 MiB (doc/FORMAT.md). */
#define IMPORT_LINE_MAX (32L * 1024 * 1024)

struct src {
	const char *path;
	const char *format;
	int line;                      /* JSON Lines: the line; an array: 0     */
	size_t elem;                   /* an array: the element, from 1         */
};

static int bad(jerry_error *err, const struct src *s, const char *fmt, const char *what)
{
	char where[64];
	if (s->line)
		snprintf(where, sizeof(where), "line %d", s->line);
	else
		snprintf(where, sizeof(where), "element %zu", s->elem);
	jr_error(err, JERRY_EINVALID, "%.200s: %s: %s %.200s", s->path, where, fmt, what ? what : "");
	if (err) {
		snprintf(err->path, sizeof(err->path), "%s", s->path);
		err->line = s->line;
		jr_error_hint(err, "nothing was imported");
	}
	return JERRY_EINVALID;
}

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int set_text(char **dst, const char *v)
{
	return v && *v ? jr_set_str(dst, v) : 0;
}

static int add_dep(jr_import_rec *r, const char *ref)
{
	char **grown = realloc(r->dep_refs, (r->ndeps + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	r->dep_refs = grown;
	if (!(grown[r->ndeps] = strdup(ref)))
		return -1;
	r->ndeps++;
	return 0;
}

static int set_time(int64_t *dst, jr_import_rec *r, const char *key, const char *v)
{
	if (!v || !*v)
		return 0;
	if (jr_import_time(dst, v) == 0)
		return 0;
	return jr_import_lose(r, "%s '%.40s' is not a time", key, v);
}

static int note(jr_import_rec *r, const char *at, const char *by, const char *text)
{
	int64_t ms = 0;
	if (!text || !*text)
		return 0;
	if (at && jr_import_time(&ms, at))
		ms = 0;
	return jr_notes_append(r->item, ms ? ms : r->item->created_at, by && *by ? by : NULL, text);
}

static int status_of(jr_import_rec *r, const char *format, const char *v)
{
	const char *label = NULL;
	if (!v)
		return 0;
	int m = jr_import_map_status(&r->item->status, &label, format, v);
	if (m < 0)
		return jr_import_lose(r, "status '%.40s' (read as pending)", v);
	return label ? jr_import_add_label(r, label) : 0;
}

static int type_of(jr_import_rec *r, const char *format, const char *v)
{
	const char *label = NULL;
	if (!v)
		return 0;
	int m = jr_import_map_type(&r->item->type, &label, format, v);
	if (m < 0)
		return jr_import_lose(r, "type '%.40s' (read as task)", v);
	return label ? jr_import_add_label(r, label) : 0;
}

/* ---- beads: .beads/issues.jsonl ---------------------------------------------------- */

static int read_beads(jr_import_rec *r, json_t *o, const struct src *s, jerry_error *err)
{
	static const struct jr_import_known known[] = {{"id", JR_K_STR, 0}, {"title", JR_K_STR, 0},
		{"description", JR_K_STR, 0}, {"status", JR_K_STR, 0}, {"priority", JR_K_INT, 0},
		{"issue_type", JR_K_STR, 0}, {"labels", JR_K_ARR, JR_K_STR}, {"assignee", JR_K_STR, 0},
		{"dependencies", JR_K_ARR, JR_K_OBJ}, {"comments", JR_K_ARR, JR_K_OBJ},
		{"close_reason", JR_K_STR, 0}, {"created_at", JR_K_STR, 0}, {"updated_at", JR_K_STR, 0},
		{"closed_at", JR_K_STR, 0}, {NULL, 0, 0}};
	jerry_item *it = r->item;
	const char *v;
	json_t *a, *e;
	size_t i;
	if (!(v = str(o, "id")) || !*v)
		return bad(err, s, "a beads issue needs an \"id\"", NULL);
	if (jr_import_wrong_types(r, o, known))
		return -1;
	if (jr_set_str(&it->external_ref, v) || set_text(&it->title, str(o, "title")) ||
	    set_text(&it->description, str(o, "description")) ||
	    status_of(r, "beads", str(o, "status")) || type_of(r, "beads", str(o, "issue_type")) ||
	    set_text(&it->assignee, str(o, "assignee")) ||
	    set_time(&it->created_at, r, "created_at", str(o, "created_at")) ||
	    set_time(&it->updated_at, r, "updated_at", str(o, "updated_at")) ||
	    set_time(&it->completed_at, r, "closed_at", str(o, "closed_at")))
		return -1;
	if (json_is_integer(e = json_object_get(o, "priority"))) {
		char p[24];
		snprintf(p, sizeof(p), "%lld", (long long)json_integer_value(e));
		if (jr_import_map_priority(&it->priority, "beads", p) < 0 &&
		    jr_import_lose(r, "priority %s (read as medium)", p))
			return -1;
		if (strcmp(p, "4") == 0 && jr_import_add_label(r, "backlog"))
			return -1;
	}
	json_array_foreach(json_object_get(o, "labels"), i, e)
		if (json_is_string(e) && jr_import_add_label(r, json_string_value(e)))
			return -1;
	json_array_foreach((a = json_object_get(o, "dependencies")), i, e) {
		const char *type = str(e, "type"), *on = str(e, "depends_on_id");
		if (!on)
			continue;
		if (type && strcmp(type, "parent-child") == 0) {
			if (!r->parent_ref && !(r->parent_ref = strdup(on)))
				return -1;
		} else if (!type || strcmp(type, "blocks") == 0) {
			if (add_dep(r, on))
				return -1;
		} else if (jr_import_lose(r, "dependency '%.32s' on %.64s", type, on)) {
			return -1;
		}
	}
	if (json_array_size(a) && jr_import_keep(r, "dependencies", a))
		return -1;
	json_array_foreach(json_object_get(o, "comments"), i, e)
		if (note(r, str(e, "created_at"), str(e, "author"), str(e, "text")))
			return -1;
	if ((v = str(o, "close_reason")) && *v) {
		char *t = malloc(strlen(v) + 16);
		if (!t)
			return -1;
		snprintf(t, strlen(v) + 16, "%s: %s",
			 it->status == JERRY_STATUS_CANCELLED ? "cancelled" : "done", v);
		int rc = note(r, str(o, "closed_at"), NULL, t);
		free(t);
		if (rc)
			return -1;
	}
	return jr_import_keep_rest(r, o, known);
}

/* ---- taskwarrior: task export ---------------------------------------------------------- */

static int read_task(jr_import_rec *r, json_t *o, const struct src *s, jerry_error *err)
{
	static const struct jr_import_known known[] = {{"uuid", JR_K_STR, 0}, {"description", JR_K_STR, 0},
		{"status", JR_K_STR, 0}, {"priority", JR_K_STR, 0}, {"project", JR_K_STR, 0},
		{"tags", JR_K_ARR, JR_K_STR}, {"annotations", JR_K_ARR, JR_K_OBJ},
		{"depends", JR_K_ARR | JR_K_STR, JR_K_STR}, {"entry", JR_K_STR, 0}, {"modified", JR_K_STR, 0},
		{"end", JR_K_STR, 0}, {NULL, 0, 0}};
	jerry_item *it = r->item;
	const char *v;
	json_t *e;
	size_t i;
	if (!(v = str(o, "uuid")) || !*v)
		return bad(err, s, "a task needs a \"uuid\"", NULL);
	if (jr_import_wrong_types(r, o, known))
		return -1;
	if (jr_set_str(&it->external_ref, v) || set_text(&it->title, str(o, "description")) ||
	    status_of(r, "taskwarrior", str(o, "status")) ||
	    set_time(&it->created_at, r, "entry", str(o, "entry")) ||
	    set_time(&it->updated_at, r, "modified", str(o, "modified")) ||
	    set_time(&it->completed_at, r, "end", str(o, "end")))
		return -1;
	if ((v = str(o, "priority")) &&
	    jr_import_map_priority(&it->priority, "taskwarrior", v) < 0 &&
	    jr_import_lose(r, "priority '%.16s' (read as medium)", v))
		return -1;
	if ((v = str(o, "project")) && *v && jr_import_add_label(r, v))
		return -1;
	json_array_foreach(json_object_get(o, "tags"), i, e)
		if (json_is_string(e) && jr_import_add_label(r, json_string_value(e)))
			return -1;
	json_array_foreach(json_object_get(o, "annotations"), i, e)
		if (note(r, str(e, "entry"), NULL, str(e, "description")))
			return -1;
	e = json_object_get(o, "depends");
	if (json_is_array(e)) {
		json_t *d;
		json_array_foreach(e, i, d)
			if (json_is_string(d) && add_dep(r, json_string_value(d)))
				return -1;
	} else if ((v = str(o, "depends"))) {
		/* Taskwarrior before 2.6: "uuid,uuid" */
		char *copy = strdup(v), *save = NULL;
		if (!copy)
			return -1;
		for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
			if (*t && add_dep(r, t)) {
				free(copy);
				return -1;
			}
		free(copy);
	}
	return jr_import_keep_rest(r, o, known);
}

/* ---- github: gh issue list --json ... ---------------------------------------------------- */

static int read_github(jr_import_rec *r, json_t *o, const struct src *s, jerry_error *err)
{
	static const struct jr_import_known known[] = {{"number", JR_K_INT, 0}, {"title", JR_K_STR, 0},
		{"body", JR_K_STR, 0}, {"state", JR_K_STR, 0}, {"stateReason", JR_K_STR, 0},
		{"labels", JR_K_ARR, JR_K_OBJ}, {"assignees", JR_K_ARR, JR_K_OBJ}, {"createdAt", JR_K_STR, 0},
		{"closedAt", JR_K_STR, 0}, {"comments", JR_K_ARR, JR_K_OBJ}, {NULL, 0, 0}};
	jerry_item *it = r->item;
	json_t *e, *a;
	size_t i;
	char ref[32];
	const char *state, *reason;
	if (!json_is_integer(e = json_object_get(o, "number")))
		return bad(err, s, "a GitHub issue needs a \"number\"", NULL);
	if (jr_import_wrong_types(r, o, known))
		return -1;
	state = str(o, "state");
	reason = str(o, "stateReason");
	snprintf(ref, sizeof(ref), "gh-%lld", (long long)json_integer_value(e));
	if (state && strcmp(state, "CLOSED") == 0 && reason && strcmp(reason, "NOT_PLANNED") == 0)
		state = "NOT_PLANNED";
	if (jr_set_str(&it->external_ref, ref) || set_text(&it->title, str(o, "title")) ||
	    set_text(&it->description, str(o, "body")) || status_of(r, "github", state) ||
	    set_time(&it->created_at, r, "createdAt", str(o, "createdAt")) ||
	    set_time(&it->completed_at, r, "closedAt", str(o, "closedAt")))
		return -1;
	json_array_foreach(json_object_get(o, "labels"), i, e)
		if (str(e, "name") && jr_import_add_label(r, str(e, "name")))
			return -1;
	a = json_object_get(o, "assignees");
	json_array_foreach(a, i, e) {
		const char *login = str(e, "login");
		if (!login)
			continue;
		if (!it->assignee) {
			if (jr_set_str(&it->assignee, login))
				return -1;
		} else if (jr_import_lose(r, "assignee %.64s", login)) {
			return -1;
		}
	}
	if (json_array_size(a) > 1 && jr_import_keep(r, "assignees", a))
		return -1;
	json_array_foreach(json_object_get(o, "comments"), i, e)
		if (note(r, str(e, "createdAt"), str(json_object_get(e, "author"), "login"),
			 str(e, "body")))
			return -1;
	return jr_import_keep_rest(r, o, known);
}

/* ---- jerry: jerry export ----------------------------------------------------------------- */

static int read_jerry(jr_import_rec *r, json_t *o, const struct src *s, jerry_error *err)
{
	jerry_item *it = NULL;
	char where[64];
	jerry_error e2;
	snprintf(where, sizeof(where), "%s line %d", s->path, s->line);
	json_object_del(o, "history");
	if (jr_codec_decode(&it, o, 0, where, 0, &e2)) {
		jr_error_pass(err, &e2);
		if (err) {
			err->code = JERRY_EINVALID;
			err->line = s->line;
			jr_error_hint(err, "nothing was imported");
		}
		return JERRY_EINVALID;
	}
	jerry_item_free(r->item);
	r->item = it;
	if (it->ext)
		r->ext_ops = &jr_import_ext_ops;
	/* Relations by the source's IDs: import_read() turns them into refs. */
	return 0;
}

typedef int (*reader_fn)(jr_import_rec *r, json_t *o, const struct src *s, jerry_error *err);

static reader_fn reader_of(const char *format)
{
	if (!strcmp(format, "beads")) return read_beads;
	if (!strcmp(format, "taskwarrior")) return read_task;
	if (!strcmp(format, "github")) return read_github;
	if (!strcmp(format, "jerry")) return read_jerry;
	return NULL;
}

/* What a first record looks like; NULL: none of them. */
static const char *detect(json_t *o)
{
	if (json_object_get(o, "jerry_export"))
		return "jerry";
	if (json_object_get(o, "uuid") && json_object_get(o, "description"))
		return "taskwarrior";
	if (json_is_integer(json_object_get(o, "number")) && json_object_get(o, "title") &&
	    json_object_get(o, "state"))
		return "github";
	if (json_is_string(json_object_get(o, "id")) && json_object_get(o, "title") &&
	    (json_object_get(o, "issue_type") || json_is_integer(json_object_get(o, "priority"))))
		return "beads";
	return NULL;
}

static int one(jr_import_set *set, json_t *o, struct src *s, jerry_error *err)
{
	jr_import_rec *r;
	if (!json_is_object(o))
		return bad(err, s, "not a JSON object", NULL);
	if (!(r = jr_import_add(set)))
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	r->line = s->line ? s->line : (int)s->elem;
	int rc = reader_of(s->format)(r, o, s, err);
	if (rc == -1)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	return rc;
}

static int parse_error(jerry_error *err, const struct src *s, const json_error_t *je, int line)
{
	int utf8 = strncmp(je->text, "unable to decode byte", 21) == 0;
	/* jansson's "too big integer", "too big negative integer" */
	int big = strncmp(je->text, "too big ", 8) == 0;
	if (big)
		jr_error(err, JERRY_EINVALID, "%.200s: line %d: a number too big for jerry "
			 "(whole numbers are read from -2^63 to 2^63 - 1)", s->path,
			 line ? line : je->line);
	else
		jr_error(err, JERRY_EINVALID, "%.200s: line %d: not valid %s: %s", s->path,
			 line ? line : je->line, utf8 ? "UTF-8" : "JSON", je->text);
	if (err) {
		snprintf(err->path, sizeof(err->path), "%s", s->path);
		err->line = line ? line : je->line;
		err->column = je->column;
		jr_error_hint(err, big ? "nothing was imported"
				       : "is it the format it claims? nothing was imported");
	}
	return JERRY_EINVALID;
}

/* One JSON array of records (gh, task export). */
static int read_array(jr_import_set *set, const char *buf, size_t len, struct src *s,
		      const char *from, jerry_error *err)
{
	json_error_t je;
	json_t *doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je), *o;
	size_t i;
	int rc = 0;
	if (!doc)
		return parse_error(err, s, &je, 0);
	if (!json_is_array(doc)) {
		json_decref(doc);
		return bad(err, s, "not a JSON array", NULL);
	}
	set->elements = 1;
	s->format = from ? from : json_array_size(doc) ? detect(json_array_get(doc, 0)) : "github";
	if (!s->format || !strcmp(s->format, "jerry") || !strcmp(s->format, "beads")) {
		json_decref(doc);
		s->elem = 1;
		return bad(err, s, "an array of records jerry does not know;",
			   "give --from taskwarrior or --from github");
	}
	json_array_foreach(doc, i, o) {
		s->elem = i + 1;
		if ((rc = one(set, o, s, err)))
			break;
	}
	json_decref(doc);
	return rc;
}

/* JSON Lines (beads, jerry, Taskwarrior's older export). */
static int read_lines(jr_import_set *set, const char *buf, size_t len, struct src *s,
		      const char *from, jerry_error *err)
{
	size_t at = 0;
	int rc = 0, line = 0, first = 1;
	while (at < len && rc == 0) {
		const char *nl = memchr(buf + at, '\n', len - at);
		size_t n = (nl ? (size_t)(nl - buf) : len) - at;
		json_error_t je;
		s->line = ++line;
		if (n > IMPORT_LINE_MAX)
			return bad(err, s, "the line is longer than 32 MiB;", "is it the format it claims?");
		if (!nl)
			return bad(err, s, "the last line has no newline: the file is cut short", NULL);
		if (n == 0 || (n == 1 && buf[at] == '\r')) {
			at += n + 1;
			continue;
		}
		json_t *o = json_loadb(buf + at, n, JSON_REJECT_DUPLICATES, &je);
		at += n + 1;
		if (!o)
			return parse_error(err, s, &je, line);
		if (first) {
			first = 0;
			const char *seen = detect(o);
			s->format = from ? from : seen;
			if (!s->format) {
				json_decref(o);
				return bad(err, s, "records jerry does not know;",
					   "give --from (jerry, beads, taskwarrior, github, backlog)");
			}
			if (!strcmp(s->format, "jerry")) {
				json_t *v = json_object_get(o, "jerry_export");
				if (!v) {
					json_decref(o);
					return bad(err, s, "no {\"jerry_export\":1} header:",
						   "not a jerry export");
				}
				if (!json_is_integer(v) || json_integer_value(v) != 1) {
					json_decref(o);
					return bad(err, s, "an export of a newer jerry;",
						   "this one reads version 1");
				}
				json_decref(o);
				continue;
			}
			if (!strcmp(s->format, "github") || !reader_of(s->format)) {
				json_decref(o);
				return bad(err, s, "not a file of this format:", s->format);
			}
		}
		rc = one(set, o, s, err);
		json_decref(o);
	}
	return rc;
}

/* jerry: parents and dependencies are the source's IDs; make them refs. */
static int jerry_refs(jr_import_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		jerry_item *it = set->recs[i].item;
		char ref[40];
		if (!it->external_ref) {
			snprintf(ref, sizeof(ref), "jerry:%llu", (unsigned long long)it->uid);
			if (jr_set_str(&it->external_ref, ref))
				return -1;
		}
	}
	for (size_t i = 0; i < set->n; i++) {
		jr_import_rec *r = &set->recs[i];
		jerry_item *it = r->item;
		for (size_t k = 0; k <= it->ndepends; k++) {
			int64_t want = k < it->ndepends ? it->depends_on[k] : it->parent;
			const char *ref = NULL;
			char id[24];
			if (!want)
				continue;
			for (size_t j = 0; j < set->n && !ref; j++)
				if (set->recs[j].item->num == want)
					ref = set->recs[j].item->external_ref;
			jerry_id_format(id, sizeof(id), want);
			if (!ref)
				ref = id; /* not in the file: reported as a link to nothing */
			if (k < it->ndepends ? add_dep(r, ref) : !(r->parent_ref = strdup(ref)))
				return -1;
		}
		free(it->depends_on);
		it->depends_on = NULL;
		it->ndepends = 0;
		it->parent = 0;
	}
	return 0;
}

int jr_import_read(jr_import_set *set, const char *path, const char *from, jerry_error *err)
{
	struct src s = {.path = path};
	char *buf = NULL;
	size_t len = 0, at = 0;
	int rc;
	memset(set, 0, sizeof(*set));
	if (from && !jr_import_format_known(from)) {
		jr_error(err, JERRY_EINVALID, "unknown format '%.32s'", from);
		jr_error_hint(err, "--from is one of: jerry, beads, taskwarrior, github, backlog");
		return JERRY_EINVALID;
	}
	int fd = jr_io_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		jr_error_sys(err, errno == ENOENT ? JERRY_ENOTFOUND : JERRY_ESTORAGE, errno,
			     "cannot open '%.200s'", path);
		return errno == ENOENT ? JERRY_ENOTFOUND : JERRY_ESTORAGE;
	}
	struct stat sb;
	if (jr_io_fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		jr_io_close(fd);
		if (from && strcmp(from, "backlog") != 0)
			return jr_error(err, JERRY_EINVALID, "'%.200s' is a directory, not a %s file",
					path, from);
		if ((rc = jr_import_read_backlog(set, path, err)))
			return rc;
		if (!(set->path = strdup(path))) {
			jr_import_set_release(set);
			return jr_error(err, JERRY_ENOMEM, "out of memory");
		}
		return 0;
	}
	if (from && !strcmp(from, "backlog")) {
		jr_io_close(fd);
		return jr_error(err, JERRY_EINVALID,
				"'%.200s' is a file; --from backlog reads a backlog/tasks folder", path);
	}
	if (jr_io_read_all(fd, &buf, &len, IMPORT_FILE_MAX) < 0) {
		int e = errno;
		jr_io_close(fd);
		if (e == EFBIG)
			return jr_error(err, JERRY_EINVALID, "'%.200s' is larger than 512 MiB", path);
		return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot read '%.200s'", path);
	}
	jr_io_close(fd);
	while (at < len && strchr(" \t\r\n", buf[at]))
		at++;
	if (at == len)
		rc = jr_error(err, JERRY_EINVALID, "'%.200s' is empty: nothing to import", path);
	else if (buf[at] == '[')
		rc = read_array(set, buf, len, &s, from, err);
	else
		rc = read_lines(set, buf, len, &s, from, err);
	free(buf);
	if (!rc && s.format)
		snprintf(set->format, sizeof(set->format), "%s", s.format);
	if (!rc && ((!strcmp(set->format, "jerry") && jerry_refs(set)) ||
		    !(set->path = strdup(path))))
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
	if (rc)
		jr_import_set_release(set);
	return rc;
}
