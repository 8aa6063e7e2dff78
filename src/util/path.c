/*
 * path.c - see path.h.
 */
#include "path.h"

#include <stdio.h>
#include <string.h>

void jr_path_dir(char *dir, size_t size, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, size, ".");
	else if (slash == path)
		snprintf(dir, size, "/");
	else
		snprintf(dir, size, "%.*s", (int)(slash - path), path);
}
