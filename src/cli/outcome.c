/*
 * outcome.c - what became of a command: errors (text, or {"error": ...}
 * on stderr), the exit 10 after a committed change whose result was lost,
 * the results of several IDs, and the JSON documents on stdout - the
 * library's texts spliced into the CLI's own, never parsed back.  How an
 * item or a table looks is output.c's; both implement output.h.
 */
#define _GNU_SOURCE
#include "output.h"
#include "../util/array.h"
#include "../util/strbuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

/* {"error": {...}} on stderr: the library's error object (jerry_error_json). */
static void error_json(int rc, const jerry_error *err)
{
	char *text = jerry_error_json(rc, err, JERRY_JSON_COMPACT);
	if (text) {
		fprintf(stderr, "{\"error\":%s}\n", text);
		free(text);
		return;
	}
	/* Out of memory building the error: say so in the promised shape. */
	fprintf(stderr, "{\"error\":{\"code\":\"out_of_memory\",\"exit\":1,"
			"\"message\":\"out of memory\"}}\n");
}

/* Add one item's result, a JSON text, to the array out_each() prints (it frees text). */
static void each_push_text(const struct cli *cli, char *text)
{
	struct cli_each *e = cli->each;
	if (!e->out_of_memory && text && !JR_ARRAY_GROW(e->texts, e->n + 1, e->alloc)) {
		e->texts[e->n++] = text;
		return;
	}
	free(text);
	e->out_of_memory = 1;
}

/* The same for a JSON value of the CLI's own, which it releases. */
static void each_push(const struct cli *cli, json_t *o)
{
	each_push_text(cli, o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL);
	json_decref(o);
}

static char *splice_text(json_t *doc, char **texts, size_t n);

/*
 * A line of an error for a terminal: the message echoes what it was given
 * (an ID, a status, a path), and a control byte in it - an escape sequence
 * that retitles the window or recolours the screen, in C0 or in UTF-8's
 * C1 - is written as \xNN instead of reaching the terminal.  The JSON
 * error escapes them already.
 */
static void put_line(const char *lead, const char *s)
{
	fputs(lead, stderr);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(stderr, "\\x%02x", *p);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fprintf(stderr, "\\x%02x", *++p);
		else
			fputc(*p, stderr);
	}
	fputc('\n', stderr);
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
		char *text = jerry_error_json(rc, err, 0);
		json_t *o = json_pack("{s:s,s:o}", "id", err->item[0] ? err->item : cli->each->id,
				      "error", out_json_slot(0));
		each_push_text(cli, splice_text(o, &text, 1));
		return status;
	}
	if (cli->json) {
		error_json(rc, err);
	} else {
		put_line("jerry: ", message);
		if (err->hint[0])
			put_line("hint: ", err->hint);
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
		each_push_text(cli, text);
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

/*
 * doc's text (2-space indentation) with texts[i] at out_json_slot(i), never
 * parsed; releases doc and frees texts[0..n).  NULL when out of memory (a
 * NULL doc or text is out of memory too).
 */
static char *splice_text(json_t *doc, char **texts, size_t n)
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
	return out;
}

int out_json_spliced(const struct cli *cli, json_t *doc, char **texts, size_t n)
{
	return put_json_text(cli, splice_text(doc, texts, n));
}

int out_json_texts(const struct cli *cli, char **texts, size_t n)
{
	json_t *doc = texts ? json_array() : NULL;
	for (size_t i = 0; i < n; i++)
		out_json_push(&doc, out_json_slot(i));
	int status = texts ? out_json_spliced(cli, doc, texts, n)
			   : out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	free(texts);
	return status;
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
	struct cli_each each = {NULL, 0, 0, NULL, 0};
	struct cli_commit *c = cli->commit;
	int worst = 0, any = 0, status;
	if (n == 1)
		return one(cli, store, ids[0], arg);
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
	if (each.out_of_memory) {
		for (size_t i = 0; i < each.n; i++)
			free(each.texts[i]);
		free(each.texts);
		return out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	}
	status = out_json_texts(cli, each.texts, each.n);
	return status > worst ? status : worst;
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
