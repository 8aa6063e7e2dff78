/*
 * jerry/items.h - the domain: an item, its types, statuses, priorities and names.
 * Part of libjerry's public API: include "jerry/jerry.h", which includes
 * every part and says the conventions they all follow.
 */
#ifndef JERRY_ITEMS_H
#define JERRY_ITEMS_H

#include <stddef.h>
#include <stdint.h>
#include "jerry/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the domain ------------------------------------------------------ */

typedef enum jerry_type {
	JERRY_TYPE_EPIC, JERRY_TYPE_FEATURE, JERRY_TYPE_STORY, JERRY_TYPE_TASK,
	JERRY_TYPE_SUBTASK, JERRY_TYPE_BUG, JERRY_TYPE_SPIKE,
	JERRY_TYPE__COUNT
} jerry_type;

typedef enum jerry_status {
	JERRY_STATUS_PENDING, JERRY_STATUS_IN_PROGRESS, JERRY_STATUS_BLOCKED,
	JERRY_STATUS_DONE, JERRY_STATUS_CANCELLED,
	JERRY_STATUS__COUNT
} jerry_status;

/* Ordered from most to least urgent: the numeric order is the sort order. */
typedef enum jerry_priority {
	JERRY_PRIORITY_CRITICAL, JERRY_PRIORITY_HIGH, JERRY_PRIORITY_MEDIUM,
	JERRY_PRIORITY_LOW,
	JERRY_PRIORITY__COUNT
} jerry_priority;

const char *jerry_type_name(jerry_type t);
const char *jerry_status_name(jerry_status s);
const char *jerry_priority_name(jerry_priority p);
/* Parse a name; return 0 or JERRY_EINVALID. */
int jerry_type_parse(jerry_type *out, const char *name);
int jerry_status_parse(jerry_status *out, const char *name);
int jerry_priority_parse(jerry_priority *out, const char *name);

/* Whether the state machine allows from -> to (from == to is never allowed). */
int jerry_status_can_move(jerry_status from, jerry_status to);
/*
 * The moves a refused transition names (err->allowed_moves) as statuses,
 * in the state machine's order, into out (room for JERRY_STATUS__COUNT);
 * returns how many.
 */
size_t jerry_error_allowed(jerry_status *out, const jerry_error *err);

/* Parse any accepted spelling of an item ID into its number (>= 1). */
int jerry_id_parse(int64_t *out, const char *text, jerry_error *err);
/* Canonical "WORK-007" spelling into buf (at least 24 bytes). */
void jerry_id_format(char *buf, size_t size, int64_t num);

typedef struct jerry_note {
	int64_t at_ms;
	char *by;
	char *text;
} jerry_note;

typedef struct jerry_claim {
	char *by;                /* the claimer's instance name     */
	char *session;           /* and its session                 */
	char *token;             /* the claim token (proof of holding); NULL on old claims */
	int64_t expires_ms;
} jerry_claim;

/*
 * A work item.  Times are milliseconds since the Unix epoch, UTC; 0 means
 * "not set".  A string that is not set is NULL.  Summaries returned by
 * jerry_list() carry everything but `description` and `notes`.
 */
typedef struct jerry_item {
	int64_t num;                  /* 7 for WORK-007                  */
	char id[24];                  /* "WORK-007"                      */
	uint64_t uid;                 /* 64-bit Snowflake-style ID       */
	int64_t version;              /* 1 at creation, +1 per write     */
	char *title;
	char *description;
	jerry_type type;
	jerry_status status;
	jerry_priority priority;
	char **labels;                /* sorted, no duplicates           */
	size_t nlabels;
	char *assignee;
	int64_t parent;               /* 0: none                         */
	int64_t *depends_on;          /* sorted item numbers             */
	size_t ndepends;
	jerry_claim claim;            /* claim.by == NULL: unclaimed     */
	jerry_note *notes;            /* oldest first, append-only       */
	size_t nnotes;
	int64_t created_at, updated_at, completed_at;
	char *created_by, *updated_by;
	char *external_ref;           /* imported: the source's ID ("gh-12"); NULL */
	int64_t *renumbered_from;     /* numbers a sync moved it from, sorted; NULL */
	size_t nrenumbered_from;
	int is_summary;               /* description and notes omitted   */
	void *ext;                    /* unknown keys kept from the file; opaque */
	void (*ext_free)(void *ext);  /* how to release ext                 */
	void *(*ext_dup)(const void *ext); /* a copy of ext (NULL: out of memory) */
} jerry_item;

void jerry_item_free(jerry_item *item);
void jerry_item_array_free(jerry_item **items, size_t n);

/*
 * JSON text of an item in the on-disk schema (doc/FORMAT.md), or of an
 * array of items.  Summaries render without description and notes.
 * JERRY_JSON_COMPACT gives one line; otherwise 2-space indentation.
 * Returns a malloc'd NUL-terminated string, or NULL when out of memory.
 */
#define JERRY_JSON_COMPACT 1
char *jerry_item_json(const jerry_item *item, int flags);
char *jerry_items_json(jerry_item *const *items, size_t n, int flags);
/*
 * The item's JSON text as jerry_item_json gives it, with n members of the
 * face's own appended after the item's: keys[i] set to the JSON text
 * values[i] (children, dependents, a stale claim...), so that a face adds
 * to an item without parsing the library's text back.  NULL when out of
 * memory or when a value is not JSON text.
 */
char *jerry_item_json_with(const jerry_item *item, int flags, const char *const *keys,
			   const char *const *values, size_t n);

/*
 * title cut to at most max characters (UTF-8 aware; "..." marks a cut) into
 * buf of at least 4 * max + 4 bytes; returns buf, or title itself when it
 * fits or max is 0, or "" for NULL.
 */
const char *jerry_title_cut(char *buf, const char *title, size_t max);

/* Format milliseconds as RFC 3339 UTC with milliseconds into buf (>= 32). */
void jerry_time_format(char *buf, size_t size, int64_t ms);
/*
 * `ms` for people, against `now` (jerry_store_now): "just now", "45s ago",
 * "3m ago", "2h ago", "5d ago", "3w ago" (from 14 days), "in 25m" ahead;
 * from 60 days either way the date, "2026-03-14" (UTC).  Into buf (>= 32).
 */
void jerry_time_ago(char *buf, size_t size, int64_t ms, int64_t now);
/*
 * Parse "YYYY-MM-DDTHH:MM:SS[.fff]Z" (or "+00:00"): 0, or JERRY_EINVALID,
 * also for a time at or before 1970-01-01T00:00:00Z (0 means "not set").
 */
int jerry_time_parse(int64_t *out_ms, const char *text);

#ifdef __cplusplus
}
#endif
#endif
