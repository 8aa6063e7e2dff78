/*
 * output.c - text and --json rendering, and error printing, in one place.
 *
 * Items are rendered as JSON by the library (jerry_item_json), so `show
 * --json` is byte for byte the on-disk schema; the few documents of the
 * CLI's own (errors, check, init, reindex) are built with jansson.  Nothing
 * here builds JSON with printf.
 */
#define _GNU_SOURCE
#include "output.h"
#include "../util/strbuf.h"
#include "table.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- colour ----------------------------------------------------------- */

void out_setup(struct cli *cli)
{
	const char *term = getenv("TERM");
	cli->color = !cli->json && isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
		     !(term && strcmp(term, "dumb") == 0);
}

const char *out_status_color(jerry_status s)
{
	switch (s) {
	case JERRY_STATUS_IN_PROGRESS: return "\033[33m";
	case JERRY_STATUS_BLOCKED: return "\033[31m";
	case JERRY_STATUS_DONE: return "\033[32m";
	case JERRY_STATUS_CANCELLED: return "\033[2m";
	default: return "";
	}
}

/* The status name, coloured when stdout is a terminal that wants it. */
static void put_status(const struct cli *cli, jerry_status s)
{
	const char *c = cli->color ? out_status_color(s) : "";
	if (*c)
		printf("%s%s\033[0m", c, jerry_status_name(s));
	else
		fputs(jerry_status_name(s), stdout);
}

/* ---- errors -------------------------------------------------------------- */

json_t *out_json_string(const char *s)
{
	json_t *v = json_string(s ? s : "");
	if (v)
		return v;
	/* Not UTF-8 (a message quoting a user's bad input): keep ASCII only. */
	char *copy = strdup(s);
	if (!copy)
		return NULL;
	for (unsigned char *p = (unsigned char *)copy; *p; p++)
		if (*p >= 0x80)
			*p = '?';
	v = json_string(copy);
	free(copy);
	return v;
}

static int set_str(json_t *obj, const char *key, const char *value)
{
	json_t *v = out_json_string(value);
	return v ? json_object_set_new(obj, key, v) : -1;
}

static int set_int(json_t *obj, const char *key, json_int_t value)
{
	return json_object_set_new(obj, key, json_integer(value));
}

/* The moves a refused transition allows, as ["in_progress", "cancelled"]. */
static json_t *allowed_array(const jerry_status *moves, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		out_json_push(&arr, out_json_string(jerry_status_name(moves[i])));
	return arr;
}

/* The error object of --json: {"code", "exit", "message", ...}; NULL when out of memory. */
static json_t *error_object(int rc, int status, const jerry_error *err, const char *message)
{
	json_t *e = json_object();
	char when[40];
	int bad = !e;
	bad = bad || set_str(e, "code", jerry_code_name(rc));
	bad = bad || set_int(e, "exit", status);
	bad = bad || set_str(e, "message", message);
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
		json_t *deps = json_array();
		size_t n = err->nopen_deps < JERRY_ERROR_DEPS_MAX ? err->nopen_deps : JERRY_ERROR_DEPS_MAX;
		for (size_t i = 0; i < n; i++) {
			char id[32];
			int st = err->open_deps[i].status;
			jerry_id_format(id, sizeof(id), err->open_deps[i].num);
			out_json_push(&deps, json_pack("{s:s,s:s}", "id", id, "status",
						       st < 0 ? "missing" : jerry_status_name((jerry_status)st)));
		}
		bad = bad || !deps || json_object_set_new(e, "open_dependencies", deps);
		bad = bad || set_int(e, "open_dependency_count", (json_int_t)err->nopen_deps);
	}
	/* Refused closing a parent: the open items below it. */
	if (err->nopen_descendants) {
		json_t *below = json_array();
		size_t n = err->nopen_descendants < JERRY_ERROR_DEPS_MAX ? err->nopen_descendants
									 : JERRY_ERROR_DEPS_MAX;
		for (size_t i = 0; i < n; i++) {
			char id[32];
			jerry_id_format(id, sizeof(id), err->open_descendants[i].num);
			out_json_push(&below, json_pack("{s:s,s:s}", "id", id, "status",
				jerry_status_name((jerry_status)err->open_descendants[i].status)));
		}
		bad = bad || !below || json_object_set_new(e, "open_descendants", below);
		bad = bad || set_int(e, "open_descendant_count", (json_int_t)err->nopen_descendants);
	}
	/* A committed change whose result was lost: the version it made. */
	if (rc == JERRY_EOUTPUT && err->current_version)
		bad = bad || set_int(e, "version", err->current_version);
	jerry_status moves[JERRY_STATUS__COUNT];
	size_t nmoves = jerry_error_allowed(moves, err);
	if (nmoves) {
		json_t *a = allowed_array(moves, nmoves);
		bad = bad || !a || json_object_set_new(e, "allowed", a);
	}
	if (bad) {
		json_decref(e);
		return NULL;
	}
	return e;
}

static void error_json(int rc, int status, const jerry_error *err, const char *message)
{
	json_t *e = error_object(rc, status, err, message), *root = json_object();
	if (e && root && json_object_set_new(root, "error", e) == 0) {
		e = NULL;
		char *text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (text) {
			fprintf(stderr, "%s\n", text);
			free(text);
			json_decref(root);
			return;
		}
	}
	json_decref(e);
	json_decref(root);
	/* Out of memory building the error: say so in the promised shape. */
	fprintf(stderr, "{\"error\":{\"code\":\"out_of_memory\",\"exit\":1,"
			"\"message\":\"out of memory\"}}\n");
}

/* Add one item's result to the array out_each() prints (it releases o). */
static void each_push(const struct cli *cli, json_t *o)
{
	struct cli_each *e = cli->each;
	out_json_push(&e->results, o);
	if (!e->results)
		e->out_of_memory = 1;
}

/* Print an error on stderr; touches stdout not at all (it may be closed). */
static int report(const struct cli *cli, int rc, const jerry_error *err)
{
	if (rc >= 0)
		rc = JERRY_EINTERNAL;
	int status = jerry_code_exit_status(rc);
	const char *message = err->message[0] ? err->message : jerry_code_name(rc);
	if (cli->json && cli->each) {
		/* One of several IDs: its error is its entry in the array of results. */
		json_t *e = error_object(rc, status, err, message);
		json_t *o = e ? json_pack("{s:s,s:o}", "id", err->item[0] ? err->item : cli->each->id,
					  "error", e) : NULL;
		each_push(cli, o);
		return status;
	}
	if (cli->json) {
		error_json(rc, status, err, message);
	} else {
		fprintf(stderr, "jerry: %s\n", message);
		if (err->hint[0])
			fprintf(stderr, "hint: %s\n", err->hint);
	}
	fflush(stderr);
	return status;
}

/* ---- committed changes ------------------------------------------------------ */

static int committed(const struct cli *cli)
{
	return cli->commit && cli->commit->done;
}

/*
 * Exit 10: say what was changed, that its result is lost (`how`), and that
 * the change must not be repeated.  Once per run: a later failure has
 * nothing to add.
 */
static int output_failed(const struct cli *cli, const char *how)
{
	struct cli_commit *c = cli->commit;
	jerry_error err;
	if (c->reported)
		return jerry_code_exit_status(JERRY_EOUTPUT);
	c->reported = 1;
	jerry_error_clear(&err);
	err.code = JERRY_EOUTPUT;
	snprintf(err.message, sizeof(err.message), "%s, but its result could not be %s", c->what, how);
	snprintf(err.item, sizeof(err.item), "%s", c->item);
	err.current_version = c->version;
	const char *durable = c->durable_rc ? " (though it may not be durable)" : "";
	if (c->item[0])
		snprintf(err.hint, sizeof(err.hint),
			 "the change is made%s: do not repeat it; 'jerry show %s' shows it", durable,
			 c->item);
	else
		snprintf(err.hint, sizeof(err.hint), "the change is made%s: do not repeat it", durable);
	return report(cli, JERRY_EOUTPUT, &err);
}

static void commit_mark(const struct cli *cli, int rc, const jerry_error *err)
{
	struct cli_commit *c = cli->commit;
	c->done = 1;
	if (rc == JERRY_EDURABLE) {
		c->durable_rc = rc;
		if (err)
			c->warning = *err;
	}
}

int out_committed(const struct cli *cli, int rc, const jerry_error *err, const jerry_item *item)
{
	struct cli_commit *c = cli->commit;
	const char *before = "", *after = " was updated";
	if (!c)
		return 0;
	commit_mark(cli, rc, err);
	/* How the command's change reads (its table entry): "a note was added to WORK-012". */
	if (cli->cmd && cli->cmd->change_before)
		before = cli->cmd->change_before;
	if (cli->cmd && cli->cmd->change_after)
		after = cli->cmd->change_after;
	snprintf(c->item, sizeof(c->item), "%s", item->id);
	c->version = item->version;
	snprintf(c->what, sizeof(c->what), "%s%s%s (%sversion %lld)", before, item->id, after,
		 item->version > 1 ? "now " : "", (long long)item->version);
	return 0;
}

int out_committed_store(const struct cli *cli, int rc, const jerry_error *err, const char *fmt,
			...)
{
	struct cli_commit *c = cli->commit;
	if (!c)
		return 0;
	commit_mark(cli, rc, err);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->what, sizeof(c->what), fmt, ap);
	va_end(ap);
	return 0;
}

int out_error(const struct cli *cli, int rc, const jerry_error *err)
{
	/* What went to stdout before the error goes out before it. */
	fflush(stdout);
	if (committed(cli)) {
		/* After the commit nothing may say "nothing changed". */
		char how[JERRY_ERROR_MSG_MAX + 16];
		snprintf(how, sizeof(how), "written: %s",
			 err->message[0] ? err->message : jerry_code_name(rc));
		return output_failed(cli, how);
	}
	return report(cli, rc, err);
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 0)))
#endif
static int vfail(const struct cli *cli, int code, const char *hint, const char *fmt, va_list ap)
{
	jerry_error err;
	jerry_error_clear(&err);
	err.code = code;
	vsnprintf(err.message, sizeof(err.message), fmt, ap);
	if (hint)
		snprintf(err.hint, sizeof(err.hint), "%s", hint);
	return out_error(cli, code, &err);
}

int out_fail(const struct cli *cli, int code, const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int status = vfail(cli, code, hint, fmt, ap);
	va_end(ap);
	return status;
}

int out_usage(const struct cli *cli, const char *fmt, ...)
{
	char hint[128];
	if (cli->cmd && !(cli->cmd->flags & CLI_HELP))
		snprintf(hint, sizeof(hint), "see 'jerry %s --help'", cli->cmd->name);
	else
		snprintf(hint, sizeof(hint), "run 'jerry help' for the list of commands");
	va_list ap;
	va_start(ap, fmt);
	int status = vfail(cli, JERRY_EINVALID, hint, fmt, ap);
	va_end(ap);
	return status;
}

/* ---- JSON documents ------------------------------------------------------- */

static int put_json_text(const struct cli *cli, char *text)
{
	if (!text)
		return out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	if (cli->each && cli->json) {
		json_t *o = json_loads(text, 0, NULL);
		free(text);
		each_push(cli, o);
		return 0;
	}
	fputs(text, stdout);
	fputc('\n', stdout);
	free(text);
	return 0;
}

int out_json_text(const struct cli *cli, char *text)
{
	return put_json_text(cli, text);
}

/* A slot's mark: titles and names never hold a control character, so no value looks so. */
#define SLOT_MARK "\"\\u0001slot-"

json_t *out_json_slot(size_t i)
{
	char mark[32];
	snprintf(mark, sizeof(mark), "\001slot-%zu", i);
	return json_string(mark);
}

/* sb += text, each of its lines after the first indented like the slot's line. */
static int splice_one(struct jr_sb *sb, const char *text, size_t indent)
{
	for (const char *nl; (nl = strchr(text, '\n')); text = nl + 1) {
		if (jr_sb_add(sb, text, (size_t)(nl - text + 1)))
			return -1;
		for (size_t k = 0; k < indent; k++)
			if (jr_sb_addch(sb, ' '))
				return -1;
	}
	return jr_sb_addstr(sb, text);
}

int out_json_spliced(const struct cli *cli, json_t *doc, char **texts, size_t n)
{
	char *tree = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL, *out = NULL;
	int ok = tree != NULL;
	struct jr_sb sb;
	jr_sb_init(&sb);
	for (size_t i = 0; i < n; i++)
		ok = ok && texts[i];
	const char *p = tree, *line = tree, *m;
	while (ok && (m = strstr(p, SLOT_MARK))) {
		char *end;
		unsigned long long i = strtoull(m + strlen(SLOT_MARK), &end, 10);
		while (line < m && memchr(line, '\n', (size_t)(m - line)))
			line = (const char *)memchr(line, '\n', (size_t)(m - line)) + 1;
		size_t indent = strspn(line, " ");
		ok = *end == '"' && i < n && !jr_sb_add(&sb, p, (size_t)(m - p)) &&
		     !splice_one(&sb, texts[i], indent);
		p = end + 1;
	}
	if (ok && !jr_sb_addstr(&sb, p))
		out = jr_sb_detach(&sb, NULL);
	jr_sb_release(&sb);
	free(tree);
	json_decref(doc);
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	return put_json_text(cli, out);
}

void out_json_push(json_t **arr, json_t *o)
{
	if (*arr && o && json_array_append_new(*arr, o) == 0)
		return;
	/* json_array_append_new() has released o even when it failed. */
	if (!*arr)
		json_decref(o);
	json_decref(*arr);
	*arr = NULL;
}

int out_json(const struct cli *cli, json_t *value)
{
	if (cli->each && cli->json && value) {
		each_push(cli, value);
		return 0;
	}
	char *text = value ? json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(value);
	return put_json_text(cli, text);
}

int out_each(struct cli *cli, jerry_store *store, char *const *ids, size_t n, out_each_fn one,
	     const void *arg)
{
	struct cli_each each = {NULL, NULL, 0};
	struct cli_commit *c = cli->commit;
	int worst = 0, any = 0, status;
	if (n == 1)
		return one(cli, store, ids[0], arg);
	if (cli->json && !(each.results = json_array()))
		return out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	cli->each = &each;
	for (size_t i = 0; i < n; i++) {
		/* Each item's own commit decides whether its failure is "nothing changed". */
		if (c)
			c->done = 0;
		each.id = ids[i];
		status = one(cli, store, ids[i], arg);
		any |= c && c->done;
		if (status > worst)
			worst = status;
	}
	cli->each = NULL;
	if (c)
		c->done = any;
	if (!cli->json)
		return worst;
	if (each.out_of_memory)
		return out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	status = out_json(cli, each.results);
	return status > worst ? status : worst;
}

/* ---- items ---------------------------------------------------------------- */

static int changed_common(const struct cli *cli, int rc, const jerry_error *err,
			  const jerry_item *item, int id_only)
{
	if ((rc && rc != JERRY_EDURABLE) || !item)
		return out_error(cli, rc, err);
	/* Committed, but maybe not durable: out_finish() adds the warning, exit 8. */
	out_committed(cli, rc, err, item);
	if (cli->json)
		return put_json_text(cli, jerry_item_json(item, 0));
	if (id_only) {
		printf("%s\n", item->id);
	} else {
		printf("%s ", item->id);
		put_status(cli, item->status);
		printf(" (version %lld)\n", (long long)item->version);
	}
	return 0;
}

int out_changed(const struct cli *cli, int rc, const jerry_error *err, const jerry_item *item)
{
	return changed_common(cli, rc, err, item, 0);
}

int out_created(const struct cli *cli, int rc, const jerry_error *err, const jerry_item *item)
{
	return changed_common(cli, rc, err, item, 1);
}

#define KEY_WIDTH 12

static void key(const char *name)
{
	printf("%s:%*s", name, (int)(KEY_WIDTH - strlen(name) - 1), "");
}

/* "created:    3m ago by alice": when, for people (--json has the exact time). */
static void line_time(const char *name, int64_t ms, const char *by, int64_t now)
{
	char when[40];
	if (!ms)
		return;
	tbl_ago(when, sizeof(when), ms, now);
	key(name);
	if (by && *by)
		printf("%s by %s\n", when, by);
	else
		printf("%s\n", when);
}

/* Multi-line text, every line indented. */
static void indented(const char *text, int indent)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (n)
			printf("%*s%.*s\n", indent, "", (int)n, p);
		else
			putchar('\n');
		p += n;
		if (*p == '\n')
			p++;
	}
}

int out_card(const struct cli *cli, const jerry_item *it)
{
	char buf[40];
	if (cli->json)
		return put_json_text(cli, jerry_item_json(it, 0));

	int64_t now = jerry_store_now(cli->store);
	printf("%s  %s\n", it->id, it->title ? it->title : "");
	key("status");
	put_status(cli, it->status);
	putchar('\n');
	key("type");
	printf("%s\n", jerry_type_name(it->type));
	key("priority");
	printf("%s\n", jerry_priority_name(it->priority));
	if (it->nlabels) {
		key("labels");
		for (size_t i = 0; i < it->nlabels; i++)
			printf("%s%s", i ? ", " : "", it->labels[i]);
		putchar('\n');
	}
	if (it->assignee && *it->assignee) {
		key("assignee");
		printf("%s\n", it->assignee);
	}
	if (it->parent > 0) {
		jerry_id_format(buf, sizeof(buf), it->parent);
		key("parent");
		printf("%s\n", buf);
	}
	if (it->ndepends) {
		key("depends on");
		for (size_t i = 0; i < it->ndepends; i++) {
			jerry_id_format(buf, sizeof(buf), it->depends_on[i]);
			printf("%s%s", i ? ", " : "", buf);
		}
		putchar('\n');
	}
	if (it->claim.by) {
		key("claim");
		tbl_ago(buf, sizeof(buf), it->claim.expires_ms, now);
		if (jerry_claim_live(it, now))
			printf("%s, lease ends %s\n", it->claim.by, buf);
		else
			printf("%s, stale: lease ended %s\n", it->claim.by, buf);
	}
	key("version");
	printf("%lld\n", (long long)it->version);
	key("uid");
	printf("%llu\n", (unsigned long long)it->uid);
	line_time("created", it->created_at, it->created_by, now);
	line_time("updated", it->updated_at, it->updated_by, now);
	line_time("completed", it->completed_at, NULL, now);
	if (it->description && *it->description) {
		putchar('\n');
		indented(it->description, 4);
	}
	if (it->nnotes) {
		printf("\nNotes:\n");
		for (size_t i = 0; i < it->nnotes; i++) {
			const jerry_note *n = &it->notes[i];
			const char *text = n->text ? n->text : "";
			size_t first = strcspn(text, "\n");
			tbl_ago(buf, sizeof(buf), n->at_ms, now);
			printf("  [%s] %s: %.*s\n", buf, n->by ? n->by : "?", (int)first, text);
			if (text[first])
				indented(text + first + 1, 4);
		}
	}
	return 0;
}

/* ---- the list table ------------------------------------------------------- */

/* An item of `ready` whose claim went stale, with "stale_claim": {by, expired_at}. */
static char *stale_json(const jerry_item *it)
{
	static const char *const key[] = {"stale_claim"};
	char *out = NULL, at[40];
	jerry_time_format(at, sizeof(at), it->claim.expires_ms);
	json_t *sc = json_pack("{s:s,s:s}", "by", it->claim.by, "expired_at", at);
	char *text = sc ? json_dumps(sc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	if (text)
		out = jerry_item_json_with(it, JERRY_JSON_COMPACT, key, (const char *const *)&text, 1);
	json_decref(sc);
	free(text);
	return out;
}

/*
 * An array of items, one compact object per line, written as it goes: a
 * 100,000-item list never holds a second copy of itself as one JSON tree
 * (that alone took 400 MiB).  Still exactly one JSON document.
 */
static int items_json_stream(const struct cli *cli, jerry_item *const *items, size_t n, int stale)
{
	fputs(n ? "[\n" : "[]\n", stdout);
	for (size_t i = 0; i < n; i++) {
		char *text = stale && items[i]->claim.by ? stale_json(items[i])
							   : jerry_item_json(items[i], JERRY_JSON_COMPACT);
		if (!text)
			return out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
		fputs(text, stdout);
		fputs(i + 1 < n ? ",\n" : "\n]\n", stdout);
		free(text);
	}
	return 0;
}

/* "#ui #api": an item's labels after its title. */
static int add_labels(struct jr_sb *sb, const jerry_item *it)
{
	for (size_t i = 0; i < it->nlabels; i++) {
		if (i)
			jr_sb_addch(sb, ' ');
		jr_sb_addch(sb, '#');
		jr_sb_addstr(sb, it->labels[i]);
	}
	return sb->failed ? -1 : 0;
}

void out_none(const struct cli *cli, const char *message)
{
	/* A person at a terminal is told; a script reading a pipe gets nothing at all. */
	if (!cli->json && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "%s\n", message);
		fflush(stderr);
	}
}

static int table(const struct cli *cli, jerry_item *const *items, size_t n, int stale)
{
	static const char *const head[] = {"ID", "STATUS", "PRI", "TYPE", "ASSIGNEE", "TITLE"};
	static const char *const head_short[] = {"ID", "STATUS", "PRI", "TYPE", "TITLE"};
	enum { ID, STATUS, PRI, TYPE, ASSIGNEE };
	struct tbl t;
	struct jr_sb tail;
	int assignees = 0, bad;
	if (cli->json)
		return items_json_stream(cli, items, n, stale);
	if (n == 0) {
		out_none(cli, stale ? "nothing is ready" : "no items match");
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		assignees |= items[i]->assignee && *items[i]->assignee;
	size_t title = assignees ? ASSIGNEE + 1 : ASSIGNEE;
	bad = tbl_init(&t, title + 1, n);
	t.head = assignees ? head : head_short;
	t.color_col = STATUS;
	t.max[ASSIGNEE] = 16;
	jr_sb_init(&tail);
	for (size_t i = 0; !bad && i < n; i++) {
		const jerry_item *it = items[i];
		struct tbl_row *r = tbl_row(&t);
		bad = !r || tbl_cell(&t, r, ID, it->id) ||
		      tbl_cell(&t, r, STATUS, jerry_status_name(it->status)) ||
		      tbl_cell(&t, r, PRI, jerry_priority_name(it->priority)) ||
		      tbl_cell(&t, r, TYPE, jerry_type_name(it->type)) ||
		      (assignees && tbl_cell(&t, r, ASSIGNEE, it->assignee)) ||
		      tbl_cell(&t, r, title, it->title);
		if (bad)
			break;
		if (cli->color)
			r->color = out_status_color(it->status);
		/* After the title: its labels, and for `ready` a claim that went stale. */
		jr_sb_release(&tail);
		bad = add_labels(&tail, it);
		if (!bad && stale && it->claim.by)
			bad = jr_sb_addf(&tail, "%s[stale claim by %s]", it->nlabels ? "  " : "",
					 it->claim.by) != 0;
		if (!bad && tail.len)
			bad = tbl_tail(&t, r, tail.buf);
	}
	jr_sb_release(&tail);
	if (!bad)
		bad = tbl_print(&t, stdout, tbl_columns());
	tbl_release(&t);
	return bad ? out_fail(cli, JERRY_ENOMEM, NULL, "out of memory") : 0;
}

int out_table(const struct cli *cli, jerry_item *const *items, size_t n)
{
	return table(cli, items, n, 0);
}

int out_ready_table(const struct cli *cli, jerry_item *const *items, size_t n)
{
	return table(cli, items, n, 1);
}

/* ---- the end ---------------------------------------------------------------- */

int out_finish(const struct cli *cli, int status)
{
	errno = 0;
	int bad = fflush(stdout) != 0;
	int e = errno;
	bad |= ferror(stdout) != 0;
	if (fclose(stdout) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (committed(cli)) {
		const struct cli_commit *c = cli->commit;
		if (bad || c->reported) {
			char how[160];
			snprintf(how, sizeof(how), "written to standard output: %s", strerror(e ? e : EIO));
			return output_failed(cli, how);
		}
		if (c->durable_rc) {
			int warned = report(cli, c->durable_rc, &c->warning);
			return status ? status : warned;
		}
		return status;
	}
	if (!bad)
		return status;
	if (!e)
		e = EIO;
	jerry_error err;
	jerry_error_clear(&err);
	err.code = JERRY_ESTORAGE;
	err.sys_errno = e;
	snprintf(err.message, sizeof(err.message), "cannot write output: %s", strerror(e));
	int failed = report(cli, JERRY_ESTORAGE, &err);
	return status ? status : failed;
}
