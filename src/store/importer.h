/*
 * importer.h - reading another tracker's file (import_read.c) or a
 * Backlog.md folder (import_backlog.c) into import records.
 */
#ifndef JR_IMPORTER_H
#define JR_IMPORTER_H

#include "../domain/import_map.h"

#include <jansson.h>

/*
 * path: a file, or a Backlog.md tasks folder; from: the format, or NULL to
 * detect it.  JERRY_EINVALID naming the line (or element) on bad input,
 * set empty; JERRY_ENOTFOUND when there is no such file.
 */
/* import_ext.c: what the records' ext objects are (jansson objects). */
extern const struct jr_ext_ops jr_import_ext_ops;

/*
 * A key a reader maps, and the JSON types it reads there: kinds for the
 * value, elems (0: any) for an array's elements.  null is an absent value.
 * A reader's table ends with a NULL key.
 */
#define JR_K_STR 1u
#define JR_K_INT 2u
#define JR_K_ARR 4u
#define JR_K_OBJ 8u
struct jr_import_known {
	const char *key;
	unsigned kinds, elems;
};

/* Keep the source field key (its value) under the item's "ext" object.  -1: out of memory. */
int jr_import_keep(jr_import_rec *r, const char *key, json_t *val);
/*
 * A known key whose value (or an element of it) has a type its reader does
 * not read is not mapped: it is kept under ext as it was, named in lost,
 * and taken out of o, so the reader sees no such key.
 */
int jr_import_wrong_types(jr_import_rec *r, json_t *o, const struct jr_import_known *known);
/* Every field of o not in known goes under ext. */
int jr_import_keep_rest(jr_import_rec *r, json_t *o, const struct jr_import_known *known);

int jr_import_read(jr_import_set *set, const char *path, const char *from, jerry_error *err);
int jr_import_read_backlog(jr_import_set *set, const char *dir, jerry_error *err);

#endif
