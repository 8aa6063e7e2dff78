/*
 * path.h - the directory part of a path, as dirname(1) gives it, without
 * touching the caller's string.
 */
#ifndef JR_UTIL_PATH_H
#define JR_UTIL_PATH_H

#include <stddef.h>

/* "." for "name", "/" for "/name", "a/b" for "a/b/name"; cut to size. */
void jr_path_dir(char *dir, size_t size, const char *path);

#endif
