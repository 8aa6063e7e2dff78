/*
 * output.c - how items look: a changed item, a card, a table, in text or
 * --json; errors and the JSON documents themselves are outcome.c's.
 *
 * Items are rendered as JSON by the library (jerry_item_json), so `show
 * --json` is byte for byte the on-disk schema; the few documents of the
 * CLI's own (errors, check, init, reindex) are built with jansson.  Nothing
 * here builds JSON with printf.
 */
#define _GNU_SOURCE
#include "output.h"

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

/* ---- items ---------------------------------------------------------------- */

static int changed_common(const struct cli *cli, int rc, const jerry_error *err,
			  const jerry_item *item, int id_only)
{
	if ((rc && rc != JERRY_EDURABLE) || !item)
		return out_error(cli, rc, err);
	/* Committed, but maybe not durable: out_finish() adds the warning, exit 8. */
	out_committed(cli, rc, err, item);
	if (cli->json)
		return out_json_text(cli, jerry_item_json(item, 0));
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
		return out_json_text(cli, jerry_item_json(it, 0));

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
