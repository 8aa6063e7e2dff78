/*
 * sync_stage.c - a sync's merge all or nothing under a crash.
 *
 * jerry sync (sync.c) used to write the merge's files one by one; a kill
 * between two of them (a renumbered item's number given to the remote's
 * item, before the remote's history followed it) left an item file of one
 * item beside a history file of another, and every later sync refused it.
 * Now the merge stages every file whole in tmp/sync-stage-PID-RAND/
 * (import_stage.c opens, commits and removes the directory), one file a
 * target: "items.NAME" is items/NAME, "history.NAME" history/NAME.  After
 * the commit point the files are renamed over their targets (replacing
 * them: they are updates) and items/ and history/ synced.  A dead sync's
 * stage with "commit" is rolled forward by the next process that opens the
 * store; without it, removed.  doc/FORMAT.md, "Sync stage directories", is
 * the contract; ADR 0020 the decision.
 */
#define _GNU_SOURCE
#include "store.h"
#include "io.h"
#include "lock.h"
#include "../util/array.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const dirs[] = { "items", "history" };

/* The staged name of rel ("items/NAME" -> "items.NAME"); 0, or -1 when rel is none of the record's. */
static int stage_name(char *buf, size_t size, const char *rel)
{
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		size_t n = strlen(dirs[i]);
		const char *base = rel + n + 1;
		if (strncmp(rel, dirs[i], n) || rel[n] != '/' || !*base || strchr(base, '/') ||
		    base[0] == '.')
			continue;
		return snprintf(buf, size, "%s.%s", dirs[i], base) < (int)size ? 0 : -1;
	}
	return -1;
}

int jr_sync_stage_write(jr_stage *sg, jerry_store *st, const char *rel, const char *text,
			size_t len, jerry_error *err)
{
	char name[NAME_MAX + 1];
	if (stage_name(name, sizeof(name), rel) < 0)
		return jr_error(err, JERRY_ECORRUPT, "'%s' is not a file of the record", rel);
	int rc = 0, fd = jr_io_openat(sg->fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
	if (fd < 0 || jr_io_write_all(fd, text, len) < 0)
		rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot write '%s/tmp/%s/%s'", st->dir,
				  sg->name, name);
	if (fd >= 0 && jr_io_close(fd) < 0 && !rc)
		rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot write '%s/tmp/%s/%s'", st->dir,
				  sg->name, name);
	if (rc)
		jr_error_hint(err, "nothing was merged; run 'jerry sync' again");
	return rc;
}

static void names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The staged files' names (not the mark): read whole before any moves. */
static int staged_names(char ***out, size_t *out_n, const jerry_store *st, int stagefd,
			jerry_error *err)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0, dfd = jr_io_dup(stagefd);
	DIR *d = dfd >= 0 ? jr_io_fdopendir(dfd) : NULL;
	struct dirent *de;
	if (!d) {
		rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot read '%s/tmp'", st->dir);
		if (dfd >= 0)
			jr_io_close(dfd);
		return rc;
	}
	while (jr_io_readdir(d, &de) == 0 && de) {
		char *dot = strchr(de->d_name, '.');
		if (de->d_name[0] == '.' || !dot || !dot[1])
			continue;
		if ((rc = JR_ARRAY_GROW(names, n + 1, cap)))
			break;
		if (!(names[n] = strdup(de->d_name))) {
			rc = JERRY_ENOMEM;
			break;
		}
		n++;
	}
	(void)jr_io_closedir(d);
	if (rc) {
		names_free(names, n);
		return jr_error(err, rc, "out of memory");
	}
	*out = names;
	*out_n = n;
	return 0;
}

int jr_sync_stage_publish(jerry_store *st, int stagefd, jerry_error *err)
{
	char **names = NULL;
	size_t n = 0;
	int moved[2] = { 0, 0 };
	int rc = staged_names(&names, &n, st, stagefd, err);
	for (size_t i = 0; i < n && !rc; i++) {
		char rel[NAME_MAX + 16];
		size_t k = 0;
		while (k < 2 && (strncmp(names[i], dirs[k], strlen(dirs[k])) ||
				 names[i][strlen(dirs[k])] != '.'))
			k++;
		if (k == 2)
			continue; /* not one of ours: left to the removal */
		snprintf(rel, sizeof(rel), "%s/%s", dirs[k], names[i] + strlen(dirs[k]) + 1);
		if (jr_io_renameat(stagefd, names[i], st->dirfd, rel) < 0) {
			rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot rename into '%s/%s'", st->dir,
					  rel);
			jr_error_hint(err, "the merge is committed: the next jerry command finishes it");
			break;
		}
		moved[k] = 1;
	}
	names_free(names, n);
	for (size_t k = 0; k < 2; k++) {
		if (!moved[k])
			continue;
		int fd = jr_io_openat(st->dirfd, dirs[k], O_RDONLY | O_DIRECTORY, 0);
		int src = fd < 0 ? jr_error_sys(err, JERRY_EDURABLE, errno, "cannot open '%s/%s'",
						 st->dir, dirs[k])
				 : jr_store_sync_dir(st, fd, dirs[k], err);
		if (fd >= 0)
			jr_io_close(fd);
		if (!rc)
			rc = src;
	}
	return rc;
}

int jr_sync_stage_roll(jerry_store *st, int stagefd, int held)
{
	char path[PATH_MAX + 32];
	jerry_error ignored;
	int rc = jr_store_writable(st, &ignored);
	if (rc)
		return rc;
	jr_store_path(path, sizeof(path), st, "locks/items.lock");
	if (!held &&
	    (rc = jr_lock_take(st->lock_items, 1, 0, &st->wait, "every item", path, &ignored)))
		return rc;
	/*
	 * The dead sync's puts cannot be trusted here (a compaction since may
	 * have settled them from the old files): the index goes before the
	 * files it describes are replaced, and is rebuilt from them once they
	 * are, so that the command that rolled it forward - jerry check, say -
	 * finds it whole.  A crash recovery: rare, so its cost may grow with
	 * the store.
	 */
	if (!(rc = jr_index_drop_held(st, &ignored)) &&
	    !(rc = jr_sync_stage_publish(st, stagefd, &ignored)))
		rc = jr_index_rebuild_held(NULL, st, &ignored);
	if (!held)
		jr_lock_drop(st->lock_items, 1, 0);
	return rc;
}
