/*
 * import_map.h - what an import carries from the reader of a foreign file
 * (store/import_read.c, where JSON and YAML are parsed) to the use case
 * that numbers and writes the items (app/import.c): one record per source
 * item, already in jerry's terms, and the pure tables that map a source's
 * statuses, priorities and types to jerry's (import_map.c).  doc/IMPORT.md
 * is the same tables in words; ADR 0021 says why the work is split so.
 */
#ifndef JR_DOMAIN_IMPORT_H
#define JR_DOMAIN_IMPORT_H

#include "jerry/jerry.h"

#include <stddef.h>

typedef struct jr_import_rec {
	/*
	 * The item as the source has it: title, description, type, status,
	 * priority, labels, assignee, notes, times, external_ref (the
	 * source's ID, never NULL), and in ext (the codec's unknown keys)
	 * an "ext" object of the source's fields jerry has none for.  num 0.
	 */
	jerry_item *item;
	char *parent_ref;              /* the source's ID of its parent, or NULL   */
	char **dep_refs;               /* the source's IDs of what it depends on   */
	size_t ndeps;
	int line;                      /* where it starts in the source, from 1    */
	char *file;                    /* its own file (a Backlog.md task), or NULL */
	char *lost;                    /* what was kept only under ext, or NULL    */
	/*
	 * The reader's operations on the opaque ext objects (the codec's
	 * unknown keys): whether every key of the draft's is already the
	 * item's with the same value, and setting each of them on the item's
	 * (taking it, and dropping the draft's).  NULL when item->ext is.
	 */
	const struct jr_ext_ops *ext_ops;
} jr_import_rec;

struct jr_ext_ops {
	int (*same)(const void *item_ext, const void *draft_ext);
	int (*merge)(jerry_item *item, jerry_item *draft);
};

typedef struct jr_import_set {
	char format[16];               /* "jerry", "beads", "taskwarrior", ...     */
	jr_import_rec *recs;
	size_t n, cap;
	char *path;                    /* the file read, or NULL                   */
	int elements;                  /* 1: a record's line is its element number */
} jr_import_set;

/* A new zeroed record at the end (item allocated); NULL when out of memory. */
jr_import_rec *jr_import_add(jr_import_set *set);
void jr_import_set_release(jr_import_set *set);
/* Append "; "-joined text to rec->lost.  -1 when out of memory. */
int jr_import_lose(jr_import_rec *rec, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same onto any such text (*text NULL: none yet). */
int jr_import_note(char **text, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The formats, in the order detection tries them; NULL-terminated. */
extern const char *const jr_import_formats[];
int jr_import_format_known(const char *name);

/*
 * A source's value in jerry's terms.  0 when the value maps exactly;
 * 1 when it maps with a loss (*label, when not NULL, is a label that keeps
 * it: "deferred", "chore"); -1 when the format has no such value (the
 * caller keeps it under ext and uses the default).
 */
int jr_import_map_status(jerry_status *out, const char **label, const char *format,
			 const char *value);
int jr_import_map_type(jerry_type *out, const char **label, const char *format,
		       const char *value);
int jr_import_map_priority(jerry_priority *out, const char *format, const char *value);

/*
 * A source's time: RFC 3339 with any offset and fraction, or Taskwarrior's
 * YYYYMMDDTHHMMSSZ, as ms since the epoch.  0 or JERRY_EINVALID.
 */
int jr_import_time(int64_t *out_ms, const char *text);

/*
 * A label from a source's name: jerry's label rules (1-64 bytes, no space,
 * comma or control character) by replacing each such byte with '-' and
 * cutting at 64 bytes on a character boundary.  NULL when nothing is left
 * or out of memory; *changed says whether it differs from name.
 */
char *jr_import_label(const char *name, int *changed);

/* A source's label on rec's item, made valid (a change named in rec->lost); -1 out of memory. */
int jr_import_add_label(jr_import_rec *rec, const char *name);

#endif
