/*
 * cmd_brief.c - what an agent reads to get its bearings: summary, prime
 * (a compact briefing for a fresh context), history (every change to one
 * item).  All read-only; summary and prime read only the index.
 */
#include "cli.h"
#include "output.h"
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_SINCE_MS (24LL * 3600 * 1000)
#define TEXT_ROWS 20
/*
 * prime stays under 2,000 tokens at any store size: every list it shows is
 * cut at PRIME_ROWS with a count of the rest, and titles at PRIME_TITLE
 * characters (the library's briefing text cuts them alike).  A new section
 * of up to PRIME_ROWS short rows still fits.
 */
#define PRIME_ROWS 5
#define PRIME_TITLE 60

static int brief_load(jerry_brief *b, struct cli *cli, int64_t window)
{
	jerry_error err;
	int rc;
	jerry_error_clear(&err);
	if ((rc = jerry_brief_load(b, cli->store, window, &err)))
		return out_error(cli, rc, &err);
	return 0;
}

/* Stale claims, at most rows of them. */
static json_t *stale_json(const jerry_brief *b, size_t rows)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < b->nstale && i < rows; i++) {
		const jerry_item *it = b->stale[i];
		char t[40];
		jerry_time_format(t, sizeof(t), it->claim.expires_ms);
		out_json_push(&arr, json_pack("{s:s,s:s,s:s,s:s}", "id", it->id, "status",
					      jerry_status_name(it->status), "by", it->claim.by,
					      "expired_at", t));
	}
	return arr;
}

/* A short row of an item for prime --json and the parents to close. */
static json_t *brief_row(const jerry_item *it, size_t title_max, int with_priority)
{
	char cut[4 * PRIME_TITLE + 4];
	const char *title = jerry_title_cut(cut, it->title, title_max);
	if (with_priority)
		return json_pack("{s:s,s:s,s:s,s:s,s:o}", "id", it->id, "type",
				 jerry_type_name(it->type), "priority", jerry_priority_name(it->priority),
				 "status", jerry_status_name(it->status), "title", out_json_string(title));
	return json_pack("{s:s,s:s,s:s,s:o}", "id", it->id, "type", jerry_type_name(it->type),
			 "status", jerry_status_name(it->status), "title", out_json_string(title));
}

/*
 * summary --json and prime --json.  rows > 0 (prime) cuts each list at rows
 * entries and titles at PRIME_TITLE; changed_total / claimed_total always
 * count the whole list.  summary's next_up holds the library's item texts:
 * *texts (ntexts of them) go where the document holds out_json_slot(i).
 */
static json_t *brief_json(const jerry_brief *b, size_t rows, char ***texts, size_t *ntexts)
{
	char since[40], cut[4 * PRIME_TITLE + 4];
	size_t title_max = rows ? PRIME_TITLE : 0;
	json_t *counts = json_object(), *changed = json_array(), *claimed = json_array();
	*texts = NULL;
	*ntexts = 0;
	jerry_time_format(since, sizeof(since), b->since);
	for (int s = 0; s < JERRY_STATUS__COUNT; s++)
		json_object_set_new(counts, jerry_status_name((jerry_status)s),
				    json_integer((json_int_t)b->counts[s]));
	for (size_t i = 0; i < b->nchanged && (!rows || i < rows); i++) {
		const jerry_item *it = b->changed[i];
		char t[40];
		jerry_time_format(t, sizeof(t), it->updated_at);
		json_array_append_new(changed, json_pack("{s:s,s:s,s:o,s:I,s:s,s:s*}", "id", it->id,
			"status", jerry_status_name(it->status),
			"title", out_json_string(jerry_title_cut(cut, it->title, title_max)),
			"version", (json_int_t)it->version, "updated_at", t, "updated_by", it->updated_by));
	}
	for (size_t i = 0; i < b->nclaimed && (!rows || i < rows); i++) {
		const jerry_item *it = b->claimed[i];
		char t[40];
		jerry_time_format(t, sizeof(t), it->claim.expires_ms);
		json_array_append_new(claimed, json_pack("{s:s,s:s,s:s*,s:s,s:b}", "id", it->id,
			"by", it->claim.by, "session", it->claim.session, "expires_at", t,
			"live", jerry_claim_live(it, b->now)));
	}
	json_t *next = json_array();
	if (!rows && b->nready && !(*texts = calloc(b->nready, sizeof(**texts)))) {
		json_decref(counts);
		json_decref(changed);
		json_decref(claimed);
		json_decref(next);
		return NULL;
	}
	for (size_t i = 0; i < b->nready; i++) {
		if (rows) {
			out_json_push(&next, brief_row(b->ready[i], title_max, 1));
			continue;
		}
		(*texts)[i] = jerry_item_json(b->ready[i], 0);
		*ntexts = i + 1;
		out_json_push(&next, out_json_slot(i));
	}
	size_t list_rows = rows ? rows : TEXT_ROWS;
	json_t *doc = json_pack("{s:I,s:o,s:s,s:o,s:I,s:o,s:I,s:o,s:I,s:o}", "total",
				(json_int_t)b->total, "counts", counts, "since", since, "changed", changed,
				"changed_total", (json_int_t)b->nchanged, "claimed", claimed,
				"claimed_total", (json_int_t)b->nclaimed, "stale_claims",
				stale_json(b, list_rows), "stale_count", (json_int_t)b->nstale,
				"next_up", next);
	/* Parents to close: the first list_rows, and how many there are. */
	json_t *close = json_array();
	for (size_t i = 0; i < b->nclosable && i < list_rows; i++)
		out_json_push(&close, brief_row(b->closable[i], title_max, 0));
	if (doc && (!close || json_object_set_new(doc, "parents_to_close", close) ||
		    json_object_set_new(doc, "parents_to_close_count",
					json_integer((json_int_t)b->nclosable)))) {
		json_decref(doc);
		doc = NULL;
	}
	return doc;
}

/*
 * One section of summary's text: `heading`, then a row per item (at most
 * TEXT_ROWS, then "  ... and N more"), or the line `none` when there is
 * none ("": the heading alone; NULL: no section at all).  The rows are a table
 * (table.c): aligned in display columns, fit to the terminal.
 */
enum section { CHANGED, CLAIMED, STALE, NEXT_UP, CLOSABLE };

static int section(const struct cli *cli, const jerry_brief *b, enum section kind,
		   const char *heading, jerry_item *const *items, size_t n, const char *none)
{
	struct tbl t;
	size_t shown = n < TEXT_ROWS ? n : TEXT_ROWS;
	char ago[40], last[64];
	int bad;
	if (!n && !none)
		return 0;
	printf("%s\n", heading);
	if (!n) {
		if (*none)
			printf("%s\n", none);
		return 0;
	}
	/*
	 * "  ID", STATUS (PRIORITY for next up), what the section says of the
	 * item, and the title - or the claim's time - last, where a narrow
	 * terminal cuts.
	 */
	static const size_t ncols[] = {[CHANGED] = 6, [CLAIMED] = 4, [STALE] = 4, [NEXT_UP] = 4,
				       [CLOSABLE] = 4};
	size_t cols = ncols[kind];
	bad = tbl_init(&t, cols, shown);
	t.color_col = kind == NEXT_UP ? cols : 1;
	for (size_t i = 0; !bad && i < shown; i++) {
		const jerry_item *it = items[i];
		struct tbl_row *r = tbl_row(&t);
		char id[40], by[JERRY_ERROR_MSG_MAX];
		const char *cell[6] = {id, jerry_status_name(it->status), "", "", "", ""};
		snprintf(id, sizeof(id), "  %s", it->id);
		switch (kind) {
		case CHANGED:
			snprintf(by, sizeof(by), "v%lld", (long long)it->version);
			out_when(cli, ago, sizeof(ago), it->updated_at, b->now);
			cell[2] = by;
			cell[3] = it->updated_by ? it->updated_by : "?";
			cell[4] = ago;
			cell[5] = it->title;
			break;
		case CLAIMED:
		case STALE:
			snprintf(by, sizeof(by), "by %s", it->claim.by);
			out_when(cli, ago, sizeof(ago), it->claim.expires_ms, b->now);
			snprintf(last, sizeof(last), "%s %s",
				 kind == STALE ? "expired"
				 : jerry_claim_live(it, b->now) ? "lease ends" : "lease ended", ago);
			cell[2] = by;
			cell[3] = last;
			break;
		case NEXT_UP:
			cell[1] = jerry_priority_name(it->priority);
			/* fall through */
		case CLOSABLE:
			cell[2] = jerry_type_name(it->type);
			cell[3] = it->title;
			break;
		}
		bad = !r;
		for (size_t c = 0; !bad && c < cols; c++)
			bad = tbl_cell(&t, r, c, cell[c]);
		if (!bad && kind == CLAIMED && !jerry_claim_live(it, b->now))
			bad = tbl_tail(&t, r, "[expired]");
		if (!bad && cli->color && kind != NEXT_UP)
			r->color = out_status_color(it->status);
	}
	if (!bad)
		bad = tbl_print(&t, stdout, tbl_columns());
	tbl_release(&t);
	if (bad)
		return out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	if (n > TEXT_ROWS)
		printf("  ... and %zu more\n", n - TEXT_ROWS);
	return 0;
}

static void brief_counts(const jerry_brief *b)
{
	printf("items: %zu (", b->total);
	for (int s = 0; s < JERRY_STATUS__COUNT; s++)
		printf("%s%s %zu", s ? ", " : "", jerry_status_name((jerry_status)s), b->counts[s]);
	printf(")\n");
}

int cmd_summary(struct cli *cli, const struct cli_args *args)
{
	int64_t window = DEFAULT_SINCE_MS;
	const char *since_text = "1d";
	jerry_brief b;
	int status;

	for (size_t i = 0; i < args->nopts; i++) {
		if (args->opts[i].id != OPT_SINCE)
			continue;
		since_text = args->opts[i].arg;
		if (jerry_duration_parse(&window, since_text) != 0)
			return out_fail(cli, JERRY_EINVALID, "write it like 30m, 1h, 1d or 1w",
					"'%.64s' is not a time span", since_text);
	}
	if ((status = brief_load(&b, cli, window)))
		return status;
	if (cli->json) {
		char **texts;
		size_t n;
		json_t *doc = brief_json(&b, 0, &texts, &n);
		/* a NULL doc or text is out of memory */
		status = out_json_spliced(cli, doc, texts, n);
		free(texts);
		goto out;
	}
	brief_counts(&b);
	char heading[80];
	snprintf(heading, sizeof(heading), "changed in the last %s: %zu", since_text, b.nchanged);
	status = section(cli, &b, CHANGED, heading, b.changed, b.nchanged, "");
	status = status ? status : section(cli, &b, CLAIMED, "claimed:", b.claimed, b.nclaimed, "  (none)");
	/* Stale claims only when there are any: they call for action. */
	status = status ? status : section(cli, &b, STALE,
		"stale claims (lease expired; claim --next takes them over):", b.stale, b.nstale, NULL);
	status = status ? status : section(cli, &b, NEXT_UP, "next up:", b.ready, b.nready,
					   "  (nothing ready)");
	status = status ? status : section(cli, &b, CLOSABLE,
		"parents whose children are all closed (close them):", b.closable, b.nclosable, NULL);
out:
	jerry_brief_release(&b);
	return status;
}

static const char guide_head[] =
	"You share this tracker with other agents; no write is ever lost and a claim has one holder.\n"
	"Name yourself on every command: jerry --as <you> ... (a fresh shell forgets JERRY_INSTANCE)\n"
	"Keep the 'token:' claim prints (--claim TOKEN proves it). Add --json to read output.\n"
	"  pick      jerry claim --next [--type T] [--label L]   (or: jerry claim ID)\n"
	"  progress  jerry note ID \"text\"; jerry heartbeat ID (renews the 30m lease)\n"
	"  stuck     jerry block ID --reason \"why\"; resume with jerry start ID\n"
	"  finish    jerry done ID; give it back: jerry release ID\n"
	"  new work  id=$(jerry create \"title\" -t task -p medium [--parent ID])\n"
	"  order     jerry dep add ID --on OTHER; jerry ready; jerry blocked\n"
	"  read      jerry show ID; jerry list; jerry search TEXT; jerry history ID\n"
	"  safe edit jerry update ID --title T --if-version N (applies only at version N)\n";

#define GUIDE_WIDTH 81

/*
 * The guide: how to use jerry here, then what each exit status asks of
 * an agent - from the library's exit table, wrapped at GUIDE_WIDTH.
 * Returns -1 if it does not fit `size`.
 */
static int guide_text(char *buf, size_t size)
{
	size_t n, len, line;
	const jerry_exit_row *rows = jerry_exit_table(&n);
	int w = snprintf(buf, size, "%sExit codes:", guide_head);
	if (w < 0 || (size_t)w >= size)
		return -1;
	len = (size_t)w;
	line = strlen("Exit codes:");
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].advice)
			continue;
		char item[160];
		int k = snprintf(item, sizeof(item), "%d %s%s", rows[i].status, rows[i].advice,
				 i + 1 < n ? ";" : ".");
		if (k < 0 || (size_t)k >= sizeof(item))
			return -1;
		int wrap = line > strlen("Exit codes:") && line + 1 + (size_t)k > GUIDE_WIDTH;
		w = snprintf(buf + len, size - len, "%s%s", wrap ? "\n  " : " ", item);
		if (w < 0 || (size_t)w >= size - len)
			return -1;
		len += (size_t)w;
		line = wrap ? 2 + (size_t)k : line + 1 + (size_t)k;
	}
	w = snprintf(buf + len, size - len, "\nNever edit files under .jerry/ by hand.\n");
	return w < 0 || (size_t)w >= size - len ? -1 : 0;
}

int cmd_prime(struct cli *cli, const struct cli_args *args)
{
	jerry_store *store = cli->store;
	const char *me = jerry_store_claimer(store);
	jerry_brief b;
	jerry_error err;
	char guide[2048], *now = NULL;
	int status, rc;

	(void)args;
	if (guide_text(guide, sizeof(guide)))
		return out_fail(cli, JERRY_EINTERNAL, NULL, "the exit table does not fit the guide");
	if ((status = brief_load(&b, cli, DEFAULT_SINCE_MS)))
		return status;
	if (cli->json) {
		char **texts;
		size_t n;
		json_t *doc = brief_json(&b, PRIME_ROWS, &texts, &n);
		json_t *wrap = doc ? json_pack("{s:s,s:s,s:o}", "instance", me, "guide", guide, "state", doc)
				   : NULL;
		status = wrap ? out_json(cli, wrap) : out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
		free(texts);
		goto out;
	}
	jerry_error_clear(&err);
	if ((rc = jerry_brief_text(&now, &b, me, PRIME_ROWS, &err))) {
		status = out_error(cli, rc, &err);
		goto out;
	}
	printf("# jerry: the work tracker of this project (%s)\n%s\n%s", jerry_store_dir(store), guide,
	       now);
	printf("blocked or waiting: %zu (jerry blocked)\n", b.nblocked);
out:
	free(now);
	jerry_brief_release(&b);
	return status;
}

/* ---- history ------------------------------------------------------------ */

/* A value in words (jerry_field_change), cut to fit a line. */
static void put_value(const char *text)
{
	if (!text)
		return;
	if (strlen(text) > 60)
		printf("%.57s...", text);
	else
		fputs(text, stdout);
}

/* The created item's field, a JSON string such as "task", without its quotes. */
static void put_plain(const jerry_history_entry *e, const char *field)
{
	for (size_t i = 0; i < e->nfields; i++) {
		const char *t = e->fields[i].to;
		size_t n = t ? strlen(t) : 0;
		if (strcmp(e->fields[i].field, field) == 0 && n >= 2 && t[0] == '"')
			printf("%.*s", (int)(n - 2), t + 1);
	}
}

static void put_changes(const jerry_history_entry *e)
{
	if (strcmp(e->op, "create") == 0) {
		printf("created: ");
		for (size_t i = 0; i < e->nfields; i++)
			if (strcmp(e->fields[i].field, "title") == 0)
				put_value(e->fields[i].to);
		printf(" (");
		put_plain(e, "type");
		printf(", ");
		put_plain(e, "priority");
		printf(", ");
		put_plain(e, "status");
		printf(")");
		return;
	}
	if (strcmp(e->op, "renumber") == 0) {
		/* A sync moved it: "renumbered: WORK-042 → WORK-057". */
		for (size_t i = 0; i < e->nfields; i++) {
			const jerry_field_change *f = &e->fields[i];
			size_t nf = f->from ? strlen(f->from) : 0, nt = f->to ? strlen(f->to) : 0;
			if (strcmp(f->field, "id") == 0 && nf >= 2 && nt >= 2)
				printf("renumbered: %.*s \xe2\x86\x92 %.*s", (int)(nf - 2), f->from + 1,
				       (int)(nt - 2), f->to + 1);
		}
		return;
	}
	for (size_t i = 0; i < e->nfields; i++) {
		const jerry_field_change *f = &e->fields[i];
		printf("%s%s: ", i ? "; " : "", f->field);
		if (f->nadded) {
			printf("+%zu ", f->nadded);
			if (f->nadded == 1)
				put_value(f->to);
			continue;
		}
		put_value(f->from);
		printf(" -> ");
		put_value(f->to);
	}
}

/*
 * `w` grown to the width of `ms` in text: relative times differ ("just
 * now", "3m ago"), and what follows them stays in line.  ASCII: bytes are
 * columns.
 */
static int when_width(const struct cli *cli, int w, int64_t ms, int64_t now)
{
	char at[40];
	out_when(cli, at, sizeof(at), ms, now);
	return (int)strlen(at) > w ? (int)strlen(at) : w;
}

int cmd_history(struct cli *cli, const struct cli_args *args)
{
	jerry_store *store = cli->store;
	jerry_history_entry *e = NULL;
	size_t n = 0;
	jerry_error err;
	int status = 0;

	jerry_error_clear(&err);
	int rc = jerry_history(&e, &n, store, args->pos[0], &err);
	if (rc) {
		status = out_error(cli, rc, &err);
	} else if (cli->json) {
		/* The library's text of each entry, in one array. */
		char **texts = calloc(n ? n : 1, sizeof(*texts));
		for (size_t i = 0; texts && i < n; i++)
			texts[i] = jerry_history_json(&e[i], NULL, 0);
		status = out_json_texts(cli, texts, n);
	} else {
		int64_t now = jerry_store_now(store);
		int w = 0;
		for (size_t i = 0; i < n; i++)
			w = when_width(cli, w, e[i].at_ms, now);
		for (size_t i = 0; i < n; i++) {
			char at[40];
			out_when(cli, at, sizeof(at), e[i].at_ms, now);
			printf("v%-4lld %-*s  %s  ", (long long)e[i].version, w, at,
			       e[i].by ? e[i].by : "?");
			put_changes(&e[i]);
			putchar('\n');
		}
	}
	jerry_history_free(e, n);
	return status;
}

/* ---- log ---------------------------------------------------------------- */

#define LOG_LIMIT 50

/* One line: when (in `w` columns), which item at which version, who, what. */
static void put_log_entry(const struct cli *cli, const jerry_log_entry *e, int w, int64_t now)
{
	char at[40];
	out_when(cli, at, sizeof(at), e->change.at_ms, now);
	printf("%-*s  %s v%lld  %s  ", w, at, e->id, (long long)e->change.version,
	       e->change.by ? e->change.by : "?");
	put_changes(&e->change);
	putchar('\n');
}

int cmd_log(struct cli *cli, const struct cli_args *args)
{
	jerry_log_query q = {0};
	jerry_store *store = cli->store;
	jerry_log_entry *e = NULL;
	size_t n = 0, nby = 0, nitems = 0;
	int64_t since = 0;             /* --since: how far back from now */
	jerry_error err;
	int status;

	/* nopts slots hold every --by and --item value. */
	const char **by = calloc(args->nopts + 1, sizeof(*by));
	const char **items = calloc(args->nopts + 1, sizeof(*items));
	if (!by || !items) {
		free(by);
		free(items);
		return out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	}
	q.limit = LOG_LIMIT;
	status = 0;
	for (size_t i = 0; i < args->nopts && !status; i++) {
		const char *v = args->opts[i].arg;
		uint64_t limit;
		switch (args->opts[i].id) {
		case OPT_SINCE:
			if (jerry_duration_parse(&since, v) != 0)
				status = out_fail(cli, JERRY_EINVALID, "write it like 30m, 1h, 1d or 1w",
						  "'%.64s' is not a time span", v);
			break;
		case OPT_BY: by[nby++] = v; break;
		case OPT_ITEM: items[nitems++] = v; break;
		case OPT_LIMIT:
			if (cli_parse_uint(&limit, v, 1000000000u) || limit == 0)
				status = out_usage(cli, "--limit '%.64s' is not a positive whole number", v);
			else
				q.limit = (size_t)limit;
			break;
		default: break;
		}
	}
	q.by = by;
	q.nby = nby;
	q.items = items;
	q.nitems = nitems;
	jerry_error_clear(&err);
	if (status)
		goto out;
	if (since)
		q.since_ms = jerry_store_now(store) - since;
	int rc = jerry_log(&e, &n, store, &q, &err);
	if (rc) {
		status = out_error(cli, rc, &err);
	} else if (cli->json) {
		char **texts = calloc(n ? n : 1, sizeof(*texts));
		for (size_t i = 0; texts && i < n; i++)
			texts[i] = jerry_history_json(&e[i].change, e[i].id, 0);
		status = out_json_texts(cli, texts, n);
	} else {
		int64_t now = jerry_store_now(store);
		int w = 0;
		for (size_t i = 0; i < n; i++)
			w = when_width(cli, w, e[i].change.at_ms, now);
		for (size_t i = 0; i < n; i++)
			put_log_entry(cli, &e[i], w, now);
	}
out:
	jerry_log_free(e, n);
	free(by);
	free(items);
	return status;
}
