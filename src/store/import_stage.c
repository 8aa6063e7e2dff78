/*
 * import_stage.c - a bulk create (jerry import) all or nothing under a crash.
 *
 * The new items are first written whole into a directory of their own,
 * tmp/import-PID-RAND/, which the importer holds flocked while it lives.
 * One syncfs makes every one of them durable; then an empty file "commit"
 * in that directory, and a sync of the directory, is the point of no
 * return.  Publishing moves them into items/ as a single create commits one
 * item (store.h, (4)): history entries appended, every put in one synced
 * write to index.log, the renames (no-replace), one sync of items/, the oks.
 *
 * A stage directory nobody holds is a dead importer's.  The next jerry
 * process that opens the store settles it before it reads anything:
 * without "commit" it is removed (none of the import happened); with it,
 * what is still in it is published (all of it happened).  Publishing again
 * an item whose put or history entry is already logged writes the same
 * records again, which readers take as one (FORMAT.md).  doc/FORMAT.md,
 * "Import stage directories", is the contract; ADR 0021 the decision.
 *
 * jerry sync's merge stages its files the same way (tmp/sync-stage-PID-RAND/,
 * sync_stage.c): opened, committed, removed and settled here; what it
 * publishes, and how, is its own.
 */
#define _GNU_SOURCE
#include "store.h"
#include "codec.h"
#include "io.h"
#include "lock.h"
#include "../domain/domain.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STAGE_PREFIX "import-"
#define STAGE_COMMIT "commit"

/* A stage of jerry sync's (sync_stage.c), not an import's. */
static int is_sync(const char *name)
{
	return !strncmp(name, JR_SYNC_STAGE_PREFIX, strlen(JR_SYNC_STAGE_PREFIX));
}

static int stage_error(jerry_error *err, int e, const char *verb, const jerry_store *st,
		       const char *name, const char *file)
{
	jr_error_sys(err, JERRY_ESTORAGE, e, "cannot %s '%s/tmp/%s%s%s'", verb, st->dir, name,
		     file ? "/" : "", file ? file : "");
	if (is_sync(name))
		jr_error_hint(err, e == ENOSPC ? "free some disk space and run 'jerry sync' again; "
						 "nothing was merged"
					       : "nothing was merged; run 'jerry sync' again");
	else
		jr_error_hint(err, e == ENOSPC ? "free some disk space and retry; nothing was imported"
					       : "nothing was imported");
	return JERRY_ESTORAGE;
}

/* Whether fd, which we hold flocked, is still the directory tmp/name. */
static int still_named(int tmpfd, const char *name, int fd)
{
	struct stat a, b;
	return jr_io_fstat(fd, &a) == 0 && a.st_nlink > 0 &&
	       jr_io_fstatat(tmpfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int jr_stage_open(jr_stage *sg, jerry_store *st, jerry_error *err)
{
	return jr_stage_open_as(sg, st, STAGE_PREFIX, err);
}

int jr_stage_open_as(jr_stage *sg, jerry_store *st, const char *prefix, jerry_error *err)
{
	int rc;
	sg->fd = -1;
	sg->committed = 0;
	if ((rc = jr_store_tmpdir(st, err)))
		return rc;
	for (int tries = 0; tries < 8; tries++) {
		uint32_t rnd = 0;
		if (jr_io_getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) < 0)
			rnd = (uint32_t)(uintptr_t)sg ^ (uint32_t)getpid() ^ (uint32_t)tries;
		snprintf(sg->name, sizeof(sg->name), "%s%ld-%08x", prefix, (long)getpid(), rnd);
		if (jr_io_mkdirat(st->tmpfd, sg->name, 0700) < 0) {
			if (errno == EEXIST)
				continue;
			return stage_error(err, errno, "create", st, sg->name, NULL);
		}
		int fd = jr_io_openat(st->tmpfd, sg->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
		if (fd < 0) {
			if (errno == ENOENT)
				continue; /* a process settling the store took it as a dead one */
			return stage_error(err, errno, "open", st, sg->name, NULL);
		}
		/*
		 * As for a temp file (files.c): one who settles the store may
		 * have taken the empty directory for a dead importer's between
		 * our mkdir and our flock.  Then leave it to them and start
		 * again under a new name.  Without flock() at all, no one can
		 * take it for dead either: stage_settle() needs the lock.
		 */
		if ((jr_io_flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK) ||
		    !still_named(st->tmpfd, sg->name, fd)) {
			jr_io_close(fd);
			continue;
		}
		sg->fd = fd;
		return 0;
	}
	return stage_error(err, EAGAIN, "create", st, sg->name, NULL);
}

int jr_stage_write(jr_stage *sg, jerry_store *st, const jerry_item *it, jerry_error *err)
{
	char rel[64];
	size_t len, elen;
	jr_store_item_rel(rel, sizeof(rel), it->num);
	char *text = jr_codec_item_text(it, &len), *entry = jr_history_entry(NULL, it, &elen);
	if (!text || !entry) {
		free(text);
		free(entry);
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	}
	int rc = 0, fd = jr_io_openat(sg->fd, rel + 6, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
	if (fd < 0 || jr_io_write_all(fd, text, len) < 0)
		rc = stage_error(err, errno, "write", st, sg->name, rel + 6);
	if (fd >= 0 && jr_io_close(fd) < 0 && !rc)
		rc = stage_error(err, errno, "write", st, sg->name, rel + 6);
	/*
	 * The history entry goes to its file now, after the staged item (a
	 * stage removed takes it with it): the commit's syncfs makes it
	 * durable, so index.log needs no copy of it.
	 */
	if (!rc)
		rc = jr_history_append(st, it->num, entry, elen, err);
	free(text);
	free(entry);
	return rc;
}

int jr_stage_commit(jr_stage *sg, jerry_store *st, jerry_error *err)
{
	/* Every item file durable (one syncfs), then the mark, then the mark durable. */
	if (st->sync && jr_io_syncfs(sg->fd) < 0)
		return stage_error(err, errno, "sync", st, sg->name, NULL);
	int fd = jr_io_openat(sg->fd, STAGE_COMMIT, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
	if (fd < 0)
		return stage_error(err, errno, "create", st, sg->name, STAGE_COMMIT);
	if (jr_io_close(fd) < 0 || (st->sync && jr_io_fsync(sg->fd) < 0))
		return stage_error(err, errno, "sync", st, sg->name, STAGE_COMMIT);
	sg->committed = 1;
	return 0;
}

/* How many numbers follow nums[i] without a gap. */
static size_t run_len(const int64_t *nums, size_t n, size_t i)
{
	size_t k = 1;
	while (i + k < n && nums[i + k] == nums[i] + (int64_t)k)
		k++;
	return k;
}

void jr_items_unlock_nums(jerry_store *st, const int64_t *nums, size_t n)
{
	for (size_t i = 0, k; i < n; i += k) {
		k = run_len(nums, n, i);
		jr_lock_drop(st->lock_items, (off_t)nums[i], (off_t)k);
	}
}

/*
 * The items' locks, ascending as every writer takes them: a run of
 * consecutive numbers (an import's usually are) in one call.  *locked:
 * how many are held.
 */
int jr_items_lock_nums(jerry_store *st, const int64_t *nums, size_t n, size_t *locked,
		       jerry_error *err)
{
	char path[PATH_MAX + 32], what[64], first[24], last[24];
	jr_store_path(path, sizeof(path), st, "locks/items.lock");
	for (*locked = 0; *locked < n;) {
		size_t i = *locked, k = run_len(nums, n, i);
		jerry_id_format(first, sizeof(first), nums[i]);
		jerry_id_format(last, sizeof(last), nums[i + k - 1]);
		if (k > 1)
			snprintf(what, sizeof(what), "'%s' to '%s'", first, last);
		else
			snprintf(what, sizeof(what), "'%s'", first);
		int rc = jr_lock_take(st->lock_items, (off_t)nums[i], (off_t)k, &st->wait, what,
				      path, err);
		if (rc)
			return rc;
		*locked += k;
	}
	return 0;
}

int jr_stage_publish(jerry_store *st, int stagefd, jerry_item *const *items, size_t n,
		     int held, jerry_error *err)
{
	size_t locked = 0, renamed = 0;
	int64_t *nums = NULL;
	int rc = 0;
	/* The history entries are durable in their files already (jr_stage_write). */
	if (!held) {
		if (!(nums = malloc((n ? n : 1) * sizeof(*nums))))
			return jr_error(err, JERRY_ENOMEM, "out of memory");
		for (size_t i = 0; i < n; i++)
			nums[i] = items[i]->num;
		rc = jr_items_lock_nums(st, nums, n, &locked, err);
	}
	if (!rc)
		rc = jr_index_put_many(st, (const jerry_item *const *)items, NULL, NULL, n, err);
	/* A failed rename leaves its put unconfirmed and the rest unwritten; readers settle them. */
	for (; renamed < n && !rc; renamed++) {
		char rel[64];
		jr_store_item_rel(rel, sizeof(rel), items[renamed]->num);
		if (jr_io_rename_noreplace(stagefd, rel + 6, st->itemsfd, rel + 6) == 0)
			continue;
		if (errno == EEXIST)
			rc = jr_error(err, JERRY_EINTERNAL, "refusing to overwrite existing '%s/%s'",
				      st->dir, rel);
		else
			rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot rename into '%s/%s'",
					  st->dir, rel);
		jr_error_item(err, items[renamed]->num);
		break;
	}
	if (!held) {
		jr_items_unlock_nums(st, nums, locked);
		free(nums);
	}
	if (renamed) {
		int src = jr_store_sync_dir(st, st->itemsfd, "items", err);
		if (!rc)
			rc = src;
		jerry_error ignored; /* the items are in place: a failed ok only leaves puts to settle */
		(void)jr_index_confirm_many(st, (const jerry_item *const *)items, renamed, &ignored);
	}
	return rc;
}

/*
 * Remove what is in the stage directory fd (best effort), then the
 * directory; with history, the history file of every item still staged
 * (an import that never happened: its numbers are never used).
 */
static void stage_remove(jerry_store *st, int tmpfd, const char *name, int fd, int history)
{
	int dfd = jr_io_dup(fd);
	DIR *d = dfd >= 0 ? jr_io_fdopendir(dfd) : NULL;
	struct dirent *de;
	if (!d) {
		if (dfd >= 0)
			jr_io_close(dfd);
		return;
	}
	/* The mark goes last: a crash half-way through leaves it committed or empty. */
	while (jr_io_readdir(d, &de) == 0 && de) {
		int64_t num = jr_store_item_file_num(de->d_name);
		if (history && num > 0) {
			char id[24], rel[64];
			jerry_id_format(id, sizeof(id), num);
			snprintf(rel, sizeof(rel), "history/%s.jsonl", id);
			(void)jr_io_unlinkat(st->dirfd, rel, 0);
		}
		if (de->d_name[0] != '.' && strcmp(de->d_name, STAGE_COMMIT) != 0)
			(void)jr_io_unlinkat(fd, de->d_name, 0);
	}
	(void)jr_io_closedir(d);
	(void)jr_io_unlinkat(fd, STAGE_COMMIT, 0);
	(void)jr_io_unlinkat(tmpfd, name, AT_REMOVEDIR);
}

void jr_stage_close(jr_stage *sg, jerry_store *st, int failed)
{
	if (sg->fd < 0)
		return;
	/*
	 * Done, or failed before the mark: the directory goes.  Failed after
	 * it: it stays, for the next process to publish the rest.
	 */
	if (!failed || !sg->committed)
		stage_remove(st, st->tmpfd, sg->name, sg->fd, !sg->committed && !is_sync(sg->name));
	jr_io_close(sg->fd); /* the flock goes with it */
	sg->fd = -1;
}

static int cmp_num(const void *a, const void *b)
{
	int64_t x = (*(jerry_item *const *)a)->num, y = (*(jerry_item *const *)b)->num;
	return (x > y) - (x < y);
}

/* The items still in a committed stage directory, by number; JERRY_* on failure. */
static int stage_items(jerry_item ***out, size_t *out_n, jerry_store *st, const char *name,
		       int fd)
{
	jerry_item **items = NULL;
	jerry_error ignored;
	size_t n = 0, cap = 0;
	int rc = 0, dfd = jr_io_dup(fd);
	DIR *d = dfd >= 0 ? jr_io_fdopendir(dfd) : NULL;
	struct dirent *de;
	if (!d) {
		if (dfd >= 0)
			jr_io_close(dfd);
		return JERRY_ESTORAGE;
	}
	while (!rc && jr_io_readdir(d, &de) == 0 && de) {
		int64_t num = jr_store_item_file_num(de->d_name);
		char path[PATH_MAX + 384], *buf = NULL;
		size_t len;
		if (num <= 0)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			jerry_item **grown = realloc(items, ncap * sizeof(*items));
			if (!grown) {
				rc = JERRY_ENOMEM;
				break;
			}
			items = grown;
			cap = ncap;
		}
		snprintf(path, sizeof(path), "%s/tmp/%s/%s", st->dir, name, de->d_name);
		int ifd = jr_io_openat(fd, de->d_name, O_RDONLY | O_NOFOLLOW, 0);
		if (ifd < 0 || jr_io_read_all(ifd, &buf, &len, JR_ITEM_FILE_MAX) < 0)
			rc = JERRY_ESTORAGE;
		if (ifd >= 0)
			jr_io_close(ifd);
		if (!rc && !(rc = jr_codec_parse_item(&items[n], buf, len, path, num, &ignored)))
			n++;
		free(buf);
	}
	(void)jr_io_closedir(d);
	if (rc) {
		for (size_t i = 0; i < n; i++)
			jerry_item_free(items[i]);
		free(items);
		return rc;
	}
	if (n)
		qsort(items, n, sizeof(*items), cmp_num); /* items is NULL when the stage is empty */
	*out = items;
	*out_n = n;
	return 0;
}

/*
 * A stage held by another process: a live writer before its commit point
 * is left alone (its numbers are in sequences.json, which no power cut
 * has lost while it lives).  One past its commit point - its writer
 * publishing, or another process settling it after a crash - is waited
 * for, bounded by the lock timeout: after a power cut that lost
 * sequences.json, the sequence is rebuilt from the item files, and a
 * create must not take a number of the stage before its file is in
 * items/.  Returns whether fd is now ours.
 */
static int wait_publisher(jerry_store *st, int fd)
{
	if (errno != EWOULDBLOCK || jr_io_faccessat(fd, STAGE_COMMIT, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	for (int waited = 0; waited < st->wait.timeout_ms; waited += 10) {
		const struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
		if (jr_io_flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 1;
		if (errno != EWOULDBLOCK)
			return 0;
	}
	return 0;
}

/* One stage directory of tmp/: settle it if its importer is dead (held: every item lock is ours). */
static void stage_settle(jerry_store *st, int tmpfd, const char *name, int held)
{
	int fd = jr_io_openat(tmpfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	if (fd < 0)
		return;
	/* Held: a live importer, or another process settling it. */
	if ((jr_io_flock(fd, LOCK_EX | LOCK_NB) < 0 && !wait_publisher(st, fd)) ||
	    !still_named(tmpfd, name, fd)) {
		jr_io_close(fd);
		return;
	}
	if (jr_io_faccessat(fd, STAGE_COMMIT, F_OK, AT_SYMLINK_NOFOLLOW) < 0) {
		jerry_error ignored;
		/* A merge that never happened: the index it moved aside is right again. */
		if (errno == ENOENT &&
		    (!is_sync(name) || (jr_store_writable(st, &ignored) == 0 &&
					jr_index_aside(st, fd, JR_SYNC_STAGE_INDEX, 1, &ignored) == 0)))
			stage_remove(st, tmpfd, name, fd, !is_sync(name));
		jr_io_close(fd);
		return;
	}
	if (is_sync(name)) {
		/* A merge past its commit point: every file of it goes in. */
		if (jr_sync_stage_roll(st, fd, held) == 0)
			stage_remove(st, tmpfd, name, fd, 0);
		jr_io_close(fd);
		return;
	}
	jerry_item **items = NULL;
	size_t n = 0;
	jerry_error ignored;
	/* Left in place on failure: the next process tries again. */
	if (jr_store_writable(st, &ignored) == 0 && stage_items(&items, &n, st, name, fd) == 0 &&
	    jr_stage_publish(st, fd, items, n, 0, &ignored) == 0)
		stage_remove(st, tmpfd, name, fd, 0);
	for (size_t i = 0; i < n; i++)
		jerry_item_free(items[i]);
	free(items);
	jr_io_close(fd);
}

static void settle_all(jerry_store *st, int syncs_held)
{
	char (*names)[64] = NULL;
	size_t n = 0, cap = 0;
	int fd = jr_io_openat(st->dirfd, "tmp", O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	DIR *d = fd >= 0 ? jr_io_fdopendir(fd) : NULL;
	struct dirent *de;
	if (!d) {
		if (fd >= 0)
			jr_io_close(fd);
		return;
	}
	/* Names first, settled after: removing entries while reading tmp/ may skip some. */
	while (jr_io_readdir(d, &de) == 0 && de) {
		if ((strncmp(de->d_name, STAGE_PREFIX, strlen(STAGE_PREFIX)) != 0 &&
		     !is_sync(de->d_name)) || (syncs_held && !is_sync(de->d_name)) ||
		    strlen(de->d_name) >= sizeof(*names))
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			char (*grown)[64] = realloc(names, ncap * sizeof(*names));
			if (!grown)
				break;
			names = grown;
			cap = ncap;
		}
		snprintf(names[n++], sizeof(*names), "%s", de->d_name);
	}
	for (size_t i = 0; i < n; i++)
		stage_settle(st, dirfd(d), names[i], syncs_held);
	free(names);
	(void)jr_io_closedir(d);
}

void jr_stage_settle_all(jerry_store *st)
{
	settle_all(st, 0);
}

void jr_stage_settle_syncs_held(jerry_store *st)
{
	settle_all(st, 1);
}
