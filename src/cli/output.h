/*
 * output.h - everything the command writes goes through here, so text and
 * --json can never disagree about what happened.  output.c renders items
 * and tables; outcome.c errors, committed changes, several IDs' results
 * and the JSON documents.
 *
 * Contract (doc/CLI.md):
 *  - text errors are `jerry: MESSAGE` and, when there is one, `hint: HINT`
 *    on stderr;
 *  - with --json, stdout carries exactly one JSON document on success and
 *    nothing on failure, and stderr carries exactly one {"error": {...}};
 *  - colour only on a terminal, never with NO_COLOR or --json.
 *
 * Every out_* function that reports an outcome returns the exit status.
 */
#ifndef JERRY_CLI_OUTPUT_H
#define JERRY_CLI_OUTPUT_H

#include "cli.h"

#include <jansson.h>

/* Decide colour for stdout once the global options are known. */
void out_setup(struct cli *cli);

/* The colour escape of a status on a terminal ("" for none). */
const char *out_status_color(jerry_status s);

/*
 * A time in text, into buf (>= 40): "3m ago" against `now` (the store's
 * clock), or the exact RFC 3339 stamp under --exact-time.  --json never
 * comes here: it keeps the exact times.
 */
void out_when(const struct cli *cli, char *buf, size_t size, int64_t ms, int64_t now);

/* Report a library error; returns jerry_code_exit_status(rc). */
int out_error(const struct cli *cli, int rc, const jerry_error *err);

/* A usage error with a hint at `jerry CMD --help` (or `jerry help`); returns 2. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int out_usage(const struct cli *cli, const char *fmt, ...);

/* Report an error the CLI itself found, with an optional hint; returns its exit status. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
int out_fail(const struct cli *cli, int code, const char *hint, const char *fmt, ...);

/* Print a JSON value (2-space indentation) on stdout and release it; NULL: out of memory. */
int out_json(const struct cli *cli, json_t *value);
/* The same for a JSON document's text (the library's), which it frees. */
int out_json_text(const struct cli *cli, char *text);
/*
 * A document that holds the library's item texts (jerry_item_json_with,
 * 2-space indentation) where doc holds out_json_slot(i): doc is printed as
 * out_json() prints it with texts[i] spliced in at slot i, never parsed.
 * Releases doc and frees texts[0..n); a NULL one is out of memory.
 */
json_t *out_json_slot(size_t i);
int out_json_spliced(const struct cli *cli, json_t *doc, char **texts, size_t n);
/*
 * The texts as one JSON array, [texts[0], ...], spliced the same way; frees
 * them and the array texts (NULL: out of memory).
 */
int out_json_texts(const struct cli *cli, char **texts, size_t n);

/*
 * A command given several item IDs: one(cli, store, id, arg) for each, in
 * order, each decided on its own (a failure does not stop the rest).  Text
 * is what one() prints, a line per item, errors on stderr per item; with
 * --json, one array on stdout of what one() printed for each - the item
 * object, or {"id": ID, "error": {...}} - whatever the outcome.  Returns
 * the worst exit status: the highest (doc/CLI.md).  With one ID it is
 * one() alone: the output is exactly a single command's.
 */
typedef int (*out_each_fn)(struct cli *cli, jerry_store *store, const char *id, const void *arg);
int out_each(struct cli *cli, jerry_store *store, char *const *ids, size_t n, out_each_fn one,
	     const void *arg);

/*
 * Append o to the array *arr.  On failure (o NULL, no memory) the array is
 * released and *arr becomes NULL, which out_json() reports as out of memory.
 */
void out_json_push(json_t **arr, json_t *o);

/* A JSON string that is always valid UTF-8: bad bytes become '?'. */
json_t *out_json_string(const char *s);

/*
 * The library committed this run's change to `item` (`rc` 0, or
 * JERRY_EDURABLE: committed but maybe not durable).  Call it before the
 * result is printed: from here on every failure the command reports is exit
 * 10, `output_failed`, naming the item and its version, never 6 - the
 * change is made, and a retry would make it twice.  A JERRY_EDURABLE
 * warning is kept for out_finish(), which reports it (exit 8) once the
 * result is out, or folds it into the exit-10 error when the result could
 * not be written.  Returns 0.
 */
int out_committed(const struct cli *cli, int rc, const jerry_error *err, const jerry_item *item);

/* The same for a change to the store as a whole (init, reindex, check --repair). */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
int out_committed_store(const struct cli *cli, int rc, const jerry_error *err, const char *fmt,
			...);

/*
 * The result of a change: the item (text: `WORK-007 in_progress (version 3)`,
 * --json: the item object).  `rc` is what the library returned: 0, or
 * JERRY_EDURABLE when the change committed but may not be durable, in
 * which case the item is printed AND the error reported, exit 8.  Marks the
 * change committed (out_committed) first.
 */
int out_changed(const struct cli *cli, int rc, const jerry_error *err, const jerry_item *item);

/* `jerry create`: the ID alone, or the item object. */
int out_created(const struct cli *cli, int rc, const jerry_error *err, const jerry_item *item);

/* `jerry show`: a card, or the item object. */
int out_card(const struct cli *cli, const jerry_item *item);

/*
 * `jerry list`: a table (src/cli/table.c; no rows: nothing on stdout, and
 * "no items match" on stderr when stdout is a terminal), or an array of
 * summaries.
 */
int out_table(const struct cli *cli, jerry_item *const *items, size_t n);
/* The same for `ready`: an item with a (stale) claim is marked, and gets "stale_claim". */
int out_ready_table(const struct cli *cli, jerry_item *const *items, size_t n);

/* An empty result: `message` on stderr for a person at a terminal; nothing for a pipe. */
void out_none(const struct cli *cli, const char *message);

/*
 * Flush and close stdout; a failed write is exit 6, or exit 10 after a
 * committed change (out_committed).  Reports a kept JERRY_EDURABLE warning.
 * Returns the final status.
 */
int out_finish(const struct cli *cli, int status);

#endif
