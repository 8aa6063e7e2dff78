/*
 * jerry/history.h - history, the project log and a coordinator's view.
 * Part of libjerry's public API: include "jerry/jerry.h", which includes
 * every part and says the conventions they all follow.
 */
#ifndef JERRY_HISTORY_H
#define JERRY_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include "jerry/open.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- history ---------------------------------------------------------- */

/*
 * One field of a change, in words, for a face to show without parsing
 * `changes`: a claim is "BY until WHEN", any other value its compact JSON (a
 * string in quotes); NULL where the entry has no such value.  For
 * "create", `to` is the new item's value.  For notes, `nadded` notes were
 * added and `to` is the text of the first.
 */
typedef struct jerry_field_change {
	char *field;
	char *from;
	char *to;
	size_t nadded;
} jerry_field_change;

/*
 * One acknowledged change to an item.  `changes` is a compact JSON object:
 * for "create" the new item's summary; for "update" one key per changed
 * field, {"from": old, "to": new}, and for notes {"added": [notes]}.
 */
typedef struct jerry_history_entry {
	int64_t version;       /* the version this change produced */
	int64_t at_ms;
	char *by;
	char *op;              /* "create" or "update" */
	char *changes;         /* JSON text */
	jerry_field_change *fields; /* `changes` field by field, in its order */
	size_t nfields;
} jerry_history_entry;

/* Every change to `id`, oldest first, from its append-only history log. */
int jerry_history(jerry_history_entry **out, size_t *out_n, jerry_store *store, const char *id,
		  jerry_error *err);
void jerry_history_free(jerry_history_entry *entries, size_t n);
/*
 * JSON text of one entry: {"version", "at", "by", "op", "changes"} (`by`
 * left out when unknown), with "id" first when id is not NULL (a
 * jerry_log_entry's).  JERRY_JSON_COMPACT gives one line; otherwise 2-space
 * indentation.  A malloc'd string, or NULL when out of memory.
 */
char *jerry_history_json(const jerry_history_entry *entry, const char *id, int flags);

/* ---- a coordinator's view ---------------------------------------------- */

/*
 * The items around `id`, from the index, in ID order: its children (parent
 * is id) and its dependents (depends_on holds id), done and cancelled ones
 * included.  Free both arrays with jerry_item_array_free().
 */
int jerry_related(jerry_item ***children, size_t *nchildren, jerry_item ***dependents,
		  size_t *ndependents, jerry_store *store, const char *id, jerry_error *err);
/*
 * The items a sync renumbered away from `id` (their renumbered_from holds
 * its number; ADR 0020), from the index, in ID order: `jerry show` of an
 * old number names them beside the item that holds it now.  Free with
 * jerry_item_array_free().
 */
int jerry_renumbered_from(jerry_item ***out, size_t *out_n, jerry_store *store, const char *id,
			  jerry_error *err);
/*
 * `ref` as an item ID into buf: "uid:N" is the item whose uid is N (found
 * in the index; JERRY_ENOTFOUND when none), anything else is parsed as an
 * ID (jerry_id_parse).  buf holds at least 24 bytes.
 */
int jerry_id_resolve(char *buf, size_t size, jerry_store *store, const char *ref,
		     jerry_error *err);
/*
 * The item `id` (or "uid:N", jerry_id_resolve) as `jerry show --json`
 * gives it: read from its file, with "children" and "dependents"
 * (jerry_related) as [{"id", "title", "status"}], and, when a sync
 * renumbered other items away from its number, "renumbered_away" of the
 * same shape (jerry_renumbered_from).  *out is malloc'd text; flags as
 * jerry_item_json.
 */
int jerry_show_json(char **out, jerry_store *store, const char *id, int flags, jerry_error *err);

/*
 * jerry_log(): every change in the project, newest first.  The index picks
 * the items changed since `since_ms` (an item's newest entry is its
 * updated_at), and only their history is read, newest item first, until
 * `limit` entries are certain: the cost follows the window asked for.
 */
typedef struct jerry_log_query {
	int64_t since_ms;               /* 0: from the start                 */
	const char *const *by;          /* only changes by one of these      */
	size_t nby;
	const char *const *items;       /* only these items (IDs, any spelling) */
	size_t nitems;
	size_t limit;                   /* 0: no limit                       */
} jerry_log_query;

typedef struct jerry_log_entry {
	int64_t num;                    /* the item changed: 7 for WORK-007  */
	char id[24];
	jerry_history_entry change;
} jerry_log_entry;

int jerry_log(jerry_log_entry **out, size_t *out_n, jerry_store *store,
	      const jerry_log_query *query, jerry_error *err);
void jerry_log_free(jerry_log_entry *entries, size_t n);

#ifdef __cplusplus
}
#endif
#endif
