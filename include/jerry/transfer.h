/*
 * jerry/transfer.h - export and import (doc/FORMAT.md "Export files", doc/IMPORT.md).
 * Part of libjerry's public API: include "jerry/jerry.h", which includes
 * every part and says the conventions they all follow.
 */
#ifndef JERRY_TRANSFER_H
#define JERRY_TRANSFER_H

#include <stddef.h>
#include <stdint.h>
#include "jerry/work.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- export and import (doc/FORMAT.md "Export files", doc/IMPORT.md) ------- */

/*
 * Where export text goes: write(arg, text, len) returns 0, or -1 with
 * errno set (the export then stops with JERRY_ESTORAGE).
 */
typedef int (*jerry_write_fn)(void *arg, const char *text, size_t len);

/* With each item, its history (every recorded change) under "history". */
#define JERRY_EXPORT_HISTORY 1

/*
 * Every item that passes `filter` (as jerry_list reads it, NULL: the open
 * ones; sort and limit do not apply), whole, as JSON Lines: a header line
 * {"jerry_export":1,"format":1}, then one item a line in number order.
 * Items are read one at a time from their files, so memory does not grow
 * with the store.  *out_count (may be NULL) gets how many items went out.
 */
int jerry_export(size_t *out_count, jerry_store *store, const jerry_filter *filter, int flags,
		 jerry_write_fn write, void *arg, jerry_error *err);
/*
 * The same into the file at path, written whole under a temp name beside
 * it, synced and renamed over it: on failure the old file is untouched.
 */
int jerry_export_file(size_t *out_count, jerry_store *store, const jerry_filter *filter,
		      int flags, const char *path, jerry_error *err);

/* One source item of an import, and what became of it. */
typedef struct jerry_import_row {
	char *ref;                     /* the source's ID, kept as external_ref    */
	char id[24];                   /* the item: "WORK-012"; "" when a dry run would create it */
	const char *action;            /* "create", "update", or "unchanged"       */
	int line;                      /* where it is in the source: a line, an array's element, 1 for a file of a folder */
	char *title;
	char *lost;                    /* what jerry kept only under ext, links left out; NULL: nothing */
} jerry_import_row;

typedef struct jerry_import_result {
	char format[16];               /* "jerry", "beads", "taskwarrior", "github", "backlog" */
	size_t created, updated, unchanged;
	jerry_import_row *rows;        /* in the source's order                   */
	size_t nrows;
} jerry_import_result;

/* Plan only: the result says what would be created and updated; nothing is written. */
#define JERRY_IMPORT_DRY_RUN 1

/*
 * Import the items of another tracker's file, or of a Backlog.md tasks
 * folder (doc/IMPORT.md): `from` is "jerry", "beads", "taskwarrior",
 * "github" or "backlog", or NULL to tell by the content.  Each source item
 * becomes an item whose external_ref is the source's ID, or updates the
 * item that has it already, so importing a file again does not duplicate
 * it.  Parents and dependencies are rebuilt on the new numbers; one the
 * rules refuse (a parent of the wrong type, a cycle, an ID not there) is
 * left out and named in its row's `lost`, never refusing the import.  Bad
 * input (not the format, cut short, invalid UTF-8, a line over 32 MiB, a
 * source ID twice, an item without a title) is JERRY_EINVALID naming the
 * line, and nothing is written.
 */
int jerry_import(jerry_import_result **out, jerry_store *store, const char *path,
		 const char *from, int flags, jerry_error *err);
void jerry_import_result_free(jerry_import_result *result);

#ifdef __cplusplus
}
#endif
#endif
