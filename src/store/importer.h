/*
 * importer.h - reading another tracker's file (import_read.c) or a
 * Backlog.md folder (import_backlog.c) into import records.
 */
#ifndef JR_IMPORTER_H
#define JR_IMPORTER_H

#include "../domain/import_map.h"

/*
 * path: a file, or a Backlog.md tasks folder; from: the format, or NULL to
 * detect it.  JERRY_EINVALID naming the line (or element) on bad input,
 * set empty; JERRY_ENOTFOUND when there is no such file.
 */
/* import_ext.c: what the records' ext objects are (jansson objects). */
extern const struct jr_ext_ops jr_import_ext_ops;

int jr_import_read(jr_import_set *set, const char *path, const char *from, jerry_error *err);
int jr_import_read_backlog(jr_import_set *set, const char *dir, jerry_error *err);

#endif
