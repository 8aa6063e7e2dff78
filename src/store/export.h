/*
 * export.h - `jerry export`'s text and the file it is written to
 * (export_file.c); the format is doc/FORMAT.md's "Export files".
 */
#ifndef JR_EXPORT_H
#define JR_EXPORT_H

#include "jerry/jerry.h"
#include "../port/port.h"

#include <stddef.h>
#include <stdint.h>

#define JR_EXPORT_VERSION 1
#define JR_EXPORT_VERSION_STR "1"
/* The member an item line gets with --history. */
#define JR_EXPORT_HISTORY_KEY "history"

/* The header line, newline included.  NULL when out of memory. */
char *jr_export_header(size_t *out_len);
/*
 * One item line onto sb: the whole item as its file holds it (unknown keys
 * kept), compact, and with_history its changes h[0..nh) under "history";
 * newline included.  0, or JERRY_ENOMEM.
 */
struct jr_sb;
int jr_export_line(struct jr_sb *sb, const jerry_item *item, const jerry_history_entry *h,
		   size_t nh, int with_history);

/*
 * A file written whole beside its target (".NAME.tmp-PID-RAND") and
 * renamed over it on commit, synced first when sync; abort removes the
 * temp file, and leaves any old target as it was.
 */
typedef struct jr_outfile jr_outfile;
int jr_outfile_open(jr_outfile **out, const char *path, int sync, jerry_error *err);
int jr_outfile_write(jr_outfile *of, const char *text, size_t len, jerry_error *err);
/* Commit frees of, whatever happens. */
int jr_outfile_commit(jr_outfile *of, jerry_error *err);
void jr_outfile_abort(jr_outfile *of);

/*
 * The port's each_line (export_cache.c): from tmp/export.cache while it is
 * current, else from the item files, writing a fresh cache on the way when
 * the store lets it (doc/adr/0024-export-cache.md).  Never an error of its
 * own: a cache that cannot be read or written only costs speed.
 */
int jr_export_cache_each(jerry_store *st, jr_pick_fn pick, jr_line_fn fn, void *arg,
			 jerry_error *err);
/* Remove the cache: every rebuild of the index (an item edited in place). */
void jr_export_cache_drop(jerry_store *st);
/* The check a cache record carries of its number and line. */
uint64_t jr_export_cache_check(int64_t num, const char *line, size_t len);

#endif
