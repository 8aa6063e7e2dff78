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

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* ---- colour ----------------------------------------------------------- */

void out_setup(struct cli *cli)
{
	const char *term = getenv("TERM");
	cli->color = !cli->json && isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
		     !(term && strcmp(term, "dumb") == 0);
}

static const char *status_color(jerry_status s)
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
	const char *c = cli->color ? status_color(s) : "";
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

/*
 * The error object of --json, the library's (jerry_error_json), for the
 * code rc and the message given: text in *out, or NULL when out of memory.
 */
static char *error_text(int rc, const jerry_error *err, const char *message)
{
	jerry_error e = *err;
	char *text;
	e.code = rc;
	if (message != err->message)
		snprintf(e.message, sizeof(e.message), "%s", message);
	return jerry_error_json(&text, &e) ? NULL : text;
}

static void error_json(int rc, const jerry_error *err, const char *message)
{
	char *text = error_text(rc, err, message);
	if (text) {
		fprintf(stderr, "{\"error\":%s}\n", text);
		free(text);
		return;
	}
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
		char *text = error_text(rc, err, message);
		json_t *e = text ? json_loads(text, 0, NULL) : NULL;
		free(text);
		json_t *o = e ? json_pack("{s:s,s:o}", "id", err->item[0] ? err->item : cli->each->id,
					  "error", e) : NULL;
		each_push(cli, o);
		return status;
	}
	if (cli->json) {
		error_json(rc, err, message);
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

static void line_time(const char *name, int64_t ms, const char *by)
{
	char when[40];
	if (!ms)
		return;
	jerry_time_format(when, sizeof(when), ms);
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
		jerry_time_format(buf, sizeof(buf), it->claim.expires_ms);
		printf("%s until %s\n", it->claim.by, buf);
	}
	key("version");
	printf("%lld\n", (long long)it->version);
	key("uid");
	printf("%llu\n", (unsigned long long)it->uid);
	line_time("created", it->created_at, it->created_by);
	line_time("updated", it->updated_at, it->updated_by);
	line_time("completed", it->completed_at, NULL);
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
			jerry_time_format(buf, sizeof(buf), n->at_ms);
			printf("  [%s] %s: %.*s\n", buf, n->by ? n->by : "?", (int)first, text);
			if (text[first])
				indented(text + first + 1, 4);
		}
	}
	return 0;
}

/* ---- the list table ------------------------------------------------------- */

/* Characters, not bytes: a fair approximation of columns for most titles. */
static size_t width_of(const char *s)
{
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			w++;
	return w;
}

/* Print s in at most `cols` columns, cutting at a character boundary with an ellipsis. */
static size_t put_clipped(const char *s, size_t cols)
{
	size_t w = width_of(s);
	if (w <= cols) {
		fputs(s, stdout);
		return w;
	}
	size_t keep = cols ? cols - 1 : 0, seen = 0;
	const char *p = s;
	while (*p) {
		if (((unsigned char)*p & 0xC0) != 0x80) {
			if (seen == keep)
				break;
			seen++;
		}
		p++;
	}
	fwrite(s, 1, (size_t)(p - s), stdout);
	fputs("\xe2\x80\xa6", stdout); /* U+2026 HORIZONTAL ELLIPSIS */
	return keep + 1;
}

static size_t terminal_columns(void)
{
	struct winsize ws;
	if (!isatty(STDOUT_FILENO))
		return 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

/* n spaces.  Here and in cell() no printf: a table row costs a few each. */
static void pad(size_t n)
{
	static const char spaces[] = "                                ";
	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		fwrite(spaces, 1, k, stdout);
		n -= k;
	}
}

/* printf("%-*s  ", width, s): s, padded to width bytes, and the gap. */
static void cell(const char *s, size_t width)
{
	size_t n = strlen(s);
	fwrite(s, 1, n, stdout);
	pad((n < width ? width - n : 0) + 2);
}

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

/* `ready` marks an item whose claim went stale: it is free, but someone had it. */
static void stale_mark(const jerry_item *it, int stale)
{
	if (stale && it->claim.by)
		printf("  [stale claim by %s]", it->claim.by);
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

static int table(const struct cli *cli, jerry_item *const *items, size_t n, int stale)
{
	if (cli->json)
		return items_json_stream(cli, items, n, stale);
	if (n == 0)
		return 0;

	size_t wid = 2, wstatus = 6, wpri = 3, wtype = 4, wtitle = 5, wassignee = 0;
	for (size_t i = 0; i < n; i++) {
		const jerry_item *it = items[i];
		size_t w;
		if ((w = strlen(it->id)) > wid)
			wid = w;
		if ((w = strlen(jerry_status_name(it->status))) > wstatus)
			wstatus = w;
		if ((w = strlen(jerry_priority_name(it->priority))) > wpri)
			wpri = w;
		if ((w = strlen(jerry_type_name(it->type))) > wtype)
			wtype = w;
		if ((w = width_of(it->title ? it->title : "")) > wtitle)
			wtitle = w;
		if (it->assignee && *it->assignee && (w = width_of(it->assignee)) > wassignee)
			wassignee = w;
	}
	if (wassignee && wassignee < 8)
		wassignee = 8;

	/* Only a terminal gets clipped titles; a pipe gets every byte. */
	size_t cols = terminal_columns();
	if (cols) {
		size_t fixed = wid + wstatus + wpri + wtype + 8 + (wassignee ? wassignee + 2 : 0);
		size_t room = cols > fixed + 10 ? cols - fixed : 10;
		if (wtitle > room)
			wtitle = room;
	}

	printf("%-*s  %-*s  %-*s  %-*s  ", (int)wid, "ID", (int)wstatus, "STATUS", (int)wpri, "PRI",
	       (int)wtype, "TYPE");
	if (wassignee)
		printf("%-*s  ASSIGNEE\n", (int)wtitle, "TITLE");
	else
		printf("TITLE\n");
	for (size_t i = 0; i < n; i++) {
		const jerry_item *it = items[i];
		cell(it->id, wid);
		put_status(cli, it->status);
		pad(wstatus - strlen(jerry_status_name(it->status)) + 2);
		cell(jerry_priority_name(it->priority), wpri);
		cell(jerry_type_name(it->type), wtype);
		const char *title = it->title ? it->title : "";
		if (wassignee) {
			size_t w = cols ? put_clipped(title, wtitle) : (fputs(title, stdout), width_of(title));
			/* No trailing blanks on a row without an assignee. */
			if (it->assignee && *it->assignee) {
				pad(wtitle - w + 2);
				fputs(it->assignee, stdout);
			}
			stale_mark(it, stale);
			putchar('\n');
		} else {
			if (cols)
				put_clipped(title, wtitle);
			else
				fputs(title, stdout);
			stale_mark(it, stale);
			putchar('\n');
		}
	}
	return 0;
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
