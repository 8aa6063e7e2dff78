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
#include "../util/strbuf.h"
#include "table.h"

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

void out_when(const struct cli *cli, char *buf, size_t size, int64_t ms, int64_t now)
{
	if (cli->exact_time)
		jerry_time_format(buf, size, ms);
	else
		jerry_time_ago(buf, size, ms, now);
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

/* "created:    3m ago by alice": when, for people (--json has the exact time). */
static void line_time(const struct cli *cli, const char *name, int64_t ms, const char *by,
		      int64_t now)
{
	char when[40];
	if (!ms)
		return;
	out_when(cli, when, sizeof(when), ms, now);
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
		out_when(cli, buf, sizeof(buf), it->claim.expires_ms, now);
		if (jerry_claim_live(it, now))
			printf("%s, lease ends %s\n", it->claim.by, buf);
		else
			printf("%s, stale: lease ended %s\n", it->claim.by, buf);
	}
	key("version");
	printf("%lld\n", (long long)it->version);
	key("uid");
	printf("%llu\n", (unsigned long long)it->uid);
	line_time(cli, "created", it->created_at, it->created_by, now);
	line_time(cli, "updated", it->updated_at, it->updated_by, now);
	line_time(cli, "completed", it->completed_at, NULL, now);
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
			out_when(cli, buf, sizeof(buf), n->at_ms, now);
			printf("  [%s] %s: %.*s\n", buf, n->by ? n->by : "?", (int)first, text);
			if (text[first])
				indented(text + first + 1, 4);
		}
	}
	return 0;
}

/* ---- the list table ------------------------------------------------------- */

/*
 * An array of items, one compact object per line, written as it goes: a
 * 100,000-item list never holds a second copy of itself as one JSON tree
 * (that alone took 400 MiB).  Still exactly one JSON document.
 */
static int items_json_stream(const struct cli *cli, jerry_item *const *items, size_t n, int stale)
{
	fputs(n ? "[\n" : "[]\n", stdout);
	for (size_t i = 0; i < n; i++) {
		char *text = stale ? jerry_ready_item_json(items[i], JERRY_JSON_COMPACT)
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
