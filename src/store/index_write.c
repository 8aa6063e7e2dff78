/*
 * index_write.c - writing the index: the snapshot, the log's put and ok
 * records, compaction, rebuilding (the format is described at the top of
 * index.c and in doc/FORMAT.md; the log's records are spelled by ixlog.c).
 */
#define _GNU_SOURCE
#include "store.h"
#include "codec.h"
#include "io.h"
#include "ixlog.h"
#include "lock.h"
#include "../domain/domain.h"
#include "../util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Compact when the log is larger than this and than a quarter of the snapshot. */
#define LOG_COMPACT_MIN (512 * 1024)

static int write_snapshot(jerry_store *st, const jr_index *ix, uint64_t gen, jerry_error *err)
{
	struct jr_sb sb = JR_SB_INIT;
	int rc;
	if (jr_sb_grow(&sb, 4096 + ix->count * 320) == 0)
		jr_sb_addf(&sb, "[\n{\"jerry_index\":1,\"generation\":%llu,\"count\":%zu}%s\n",
			   (unsigned long long)gen, ix->count, ix->count ? "," : "");
	for (size_t i = 0; i < ix->count && !sb.failed; i++) {
		size_t ll;
		char *line = jr_codec_summary_line(ix->e[i].item, ix->e[i].unconfirmed, &ll);
		if (!line) {
			jr_sb_release(&sb);
			return jr_error(err, JERRY_ENOMEM, "out of memory writing the index");
		}
		jr_sb_add(&sb, line, ll);
		jr_sb_add(&sb, i + 1 < ix->count ? ",\n" : "\n", i + 1 < ix->count ? 2 : 1);
		free(line);
	}
	jr_sb_add(&sb, "]\n", 2);
	size_t len;
	char *buf = jr_sb_detach(&sb, &len);
	if (!buf)
		return jr_error(err, JERRY_ENOMEM, "out of memory writing the index");
	rc = jr_store_replace(st, st->dirfd, "index.json", buf, len, err);
	free(buf);
	return rc;
}

static int write_log_header(jerry_store *st, uint64_t gen, jerry_error *err)
{
	char buf[96];
	size_t n = jr_ixlog_header(buf, sizeof(buf), gen);
	return jr_store_replace(st, st->dirfd, "index.log", buf, n, err);
}

static int lock_index(jerry_store *st, jerry_error *err)
{
	char path[PATH_MAX + 32];
	jr_store_path(path, sizeof(path), st, "locks/index.lock");
	return jr_lock_take(st->lock_index, 0, 1, &st->wait, JR_LOCK_INDEX_WHAT, path, err);
}

static void unlock_index(jerry_store *st)
{
	jr_lock_drop(st->lock_index, 0, 1);
}

/*
 * Open index.log for appending, under the index lock.  If it belongs to an
 * older snapshot (a compaction was cut short by a crash) or is missing,
 * start a fresh one: the snapshot already holds everything the old one had.
 * Writers call jr_index_ensure() before taking an item lock, so a damaged
 * snapshot header has been rebuilt by the time we get here.
 */
static int open_log(int *out_fd, off_t *snap_size, jerry_store *st, jerry_error *err)
{
	uint64_t sgen = 0, lgen = 0;
	int rc;
	*out_fd = -1;
	if ((rc = jr_ix_snapshot_generation(st, &sgen, snap_size, err)))
		return rc;
	int fd = jr_io_openat(st->dirfd, "index.log", O_RDWR | O_APPEND | O_NOFOLLOW, 0);
	if (fd >= 0) {
		char buf[128];
		ssize_t n = jr_io_pread(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0) {
			/* Unread is not stale: a fresh log would drop its entries. */
			int e = errno;
			char path[PATH_MAX + 32];
			jr_io_close(fd);
			jr_store_path(path, sizeof(path), st, "index.log");
			return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot read '%s'", path);
		}
		if (n > 0) {
			buf[n] = '\0';
			if (jr_ixlog_generation(buf, (size_t)n, 0, &lgen) != 0)
				lgen = 0;
		}
		if (lgen == sgen) {
			*out_fd = fd;
			return 0;
		}
		jr_io_close(fd);
	} else if (errno != ENOENT) {
		char path[PATH_MAX + 32];
		jr_store_path(path, sizeof(path), st, "index.log");
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot open '%s'", path);
	}
	if ((rc = write_log_header(st, sgen, err)) && rc != JERRY_EDURABLE)
		return rc;
	fd = jr_io_openat(st->dirfd, "index.log", O_RDWR | O_APPEND | O_NOFOLLOW, 0);
	if (fd < 0) {
		char path[PATH_MAX + 32];
		jr_store_path(path, sizeof(path), st, "index.log");
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot open '%s'", path);
	}
	*out_fd = fd;
	return 0;
}

static int append(jerry_store *st, int fd, const char *line, size_t len, jerry_error *err)
{
	off_t end = 0;
	if (jr_file_end_whole(fd, &end) < 0 || jr_io_write_all(fd, line, len) < 0) {
		int e = errno;
		char path[PATH_MAX + 32];
		jr_store_path(path, sizeof(path), st, "index.log");
		/* Cut off whatever part of the line made it, so the log stays whole. */
		if (end > 0)
			(void)jr_io_ftruncate(fd, end);
		jr_error_sys(err, JERRY_ESTORAGE, e, "cannot append to '%s'", path);
		if (err)
			snprintf(err->path, sizeof(err->path), "%s", path);
		jr_error_hint(err, e == ENOSPC ? "free some disk space and retry; nothing was changed"
					       : "nothing was changed");
		return JERRY_ESTORAGE;
	}
	return 0;
}

int jr_index_put(jerry_store *st, const jerry_item *item, const char *entry, size_t elen,
		 jerry_error *err)
{
	return jr_index_put_many(st, &item, entry ? &entry : NULL, &elen, 1, err);
}

int jr_index_put_many(jerry_store *st, const jerry_item *const *items,
		      const char *const *entries, const size_t *elens, size_t n, jerry_error *err)
{
	off_t snap_size;
	int fd = -1, rc = 0;
	struct jr_sb sb = JR_SB_INIT;
	for (size_t i = 0; i < n && !rc; i++) {
		size_t sl;
		char *summary = jr_codec_summary_line(items[i], 0, &sl);
		if (!summary) {
			rc = jr_error(err, JERRY_ENOMEM, "out of memory");
			break;
		}
		/* The history record first, in the same write. */
		jr_ixlog_rec recs[2] = {
			{.kind = JR_IXLOG_HISTORY, .num = items[i]->num,
			 .json = entries ? entries[i] : NULL, .len = entries ? elens[i] : 0},
			{.kind = JR_IXLOG_PUT, .json = summary, .len = sl},
		};
		const jr_ixlog_rec *r = entries ? recs : recs + 1;
		size_t nr = entries ? 2 : 1;
		size_t len = jr_ixlog_format(NULL, 0, r, nr);
		char *w = jr_sb_reserve(&sb, len + 1);
		if (w) {
			jr_ixlog_format(w, len + 1, r, nr);
			jr_sb_commit(&sb, w + len);
		}
		free(summary);
	}
	size_t len;
	char *lines = jr_sb_detach(&sb, &len);
	if (!rc && !lines)
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
	if (rc)
		goto out;
	if ((rc = lock_index(st, err)))
		goto out;
	rc = open_log(&fd, &snap_size, st, err);
	if (!rc)
		rc = append(st, fd, lines, len, err);
	unlock_index(st);
	/*
	 * Synced outside the lock: concurrent writers' syncs of the same log
	 * are committed together by the filesystem journal.
	 */
	if (!rc && st->sync && jr_io_fdatasync(fd) < 0) {
		char path[PATH_MAX + 32];
		jr_store_path(path, sizeof(path), st, "index.log");
		rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot sync '%s'", path);
	}
out:
	if (fd >= 0)
		jr_io_close(fd);
	free(lines);
	return rc;
}

static int compact_locked(jerry_store *st, jerry_error *err)
{
	jr_index ix;
	int rc = jr_ix_load(&ix, st, err);
	if (rc)
		return rc;
	/* The log about to be dropped is the only durable copy of some history. */
	if (!(rc = jr_ix_settle(&ix, st, 1, err)) && !(rc = jr_history_settle_log(st, err))) {
		uint64_t gen = ix.generation + 1;
		rc = write_snapshot(st, &ix, gen, err);
		if (!rc || rc == JERRY_EDURABLE)
			rc = write_log_header(st, gen, err);
	}
	jr_index_release(&ix);
	return rc;
}

int jr_index_confirm(jerry_store *st, const jerry_item *item, jerry_error *err)
{
	return jr_index_confirm_many(st, &item, 1, err);
}

int jr_index_confirm_many(jerry_store *st, const jerry_item *const *items, size_t n,
			  jerry_error *err)
{
	off_t snap_size = 0;
	int fd = -1;
	struct jr_sb sb = JR_SB_INIT;
	for (size_t i = 0; i < n; i++) {
		jr_ixlog_rec ok = {.kind = JR_IXLOG_OK, .num = items[i]->num,
				   .version = items[i]->version};
		char *w = jr_sb_reserve(&sb, 96);
		if (w)
			jr_sb_commit(&sb, w + jr_ixlog_format(w, 96, &ok, 1));
	}
	size_t len;
	char *lines = jr_sb_detach(&sb, &len);
	if (!lines)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	int rc = lock_index(st, err);
	if (rc) {
		free(lines);
		return rc;
	}
	rc = open_log(&fd, &snap_size, st, err);
	if (!rc)
		rc = append(st, fd, lines, len, err);
	if (!rc) {
		struct stat sb2;
		if (jr_io_fstat(fd, &sb2) == 0 && sb2.st_size > LOG_COMPACT_MIN &&
		    sb2.st_size > snap_size / 4) {
			/*
			 * Failing to compact loses nothing: the log stays
			 * valid and the next writer tries again.
			 */
			jerry_error ignored;
			(void)compact_locked(st, &ignored);
		}
	}
	if (fd >= 0)
		jr_io_close(fd);
	unlock_index(st);
	free(lines);
	return rc;
}

static int rebuild_locked(size_t *out_count, jerry_store *st, jerry_error *err)
{
	int64_t *nums = NULL;
	size_t n = 0;
	jr_index ix;
	uint64_t gen = 0;
	off_t ignored;
	int rc;
	memset(&ix, 0, sizeof(ix));
	if (jr_ix_snapshot_generation(st, &gen, &ignored, NULL) != 0)
		gen = 0;
	st->rebuild_skipped = 0;
	if ((rc = jr_store_list_item_files(&nums, &n, st, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		jerry_item *it = NULL;
		jerry_error e2;
		jerry_error_clear(&e2);
		rc = jr_store_read_item(&it, st, nums[i], &e2);
		if (rc == JERRY_ECORRUPT) {
			/* Left out of the index; jerry check reports it, reindex says so. */
			if (!st->rebuild_skipped++)
				st->rebuild_first_bad = e2;
			rc = 0;
			continue;
		}
		if (rc) {
			jr_error_pass(err, &e2);
			goto out;
		}
		it->is_summary = 1;
		if ((rc = jr_ix_set(&ix, it, 0)))
			goto out;
	}
	if ((rc = jr_history_settle_log(st, err)))
		goto out;
	gen++;
	rc = write_snapshot(st, &ix, gen, err);
	if (!rc || rc == JERRY_EDURABLE) {
		/* The snapshot's uncertain durability stands unless the log fails worse. */
		int lrc = write_log_header(st, gen, err);
		if (lrc)
			rc = lrc;
	}
	if (out_count)
		*out_count = ix.count;
out:
	free(nums);
	jr_index_release(&ix);
	return rc;
}

int jr_index_rebuild_held(size_t *out_count, jerry_store *st, jerry_error *err)
{
	int rc = lock_index(st, err);
	if (!rc) {
		rc = rebuild_locked(out_count, st, err);
		unlock_index(st);
	}
	return rc;
}

/* fn under the index lock. */
static int index_locked(jerry_store *st, int (*fn)(jerry_store *, jerry_error *),
			jerry_error *err)
{
	int rc = lock_index(st, err);
	if (!rc) {
		rc = fn(st, err);
		unlock_index(st);
	}
	return rc;
}

int jr_index_settle_history_held(jerry_store *st, jerry_error *err)
{
	return index_locked(st, jr_history_settle_log, err);
}

int jr_index_compact_held(jerry_store *st, jerry_error *err)
{
	return index_locked(st, compact_locked, err);
}

int jr_index_aside(jerry_store *st, int dirfd, const char *name, int back, jerry_error *err)
{
	int rc = lock_index(st, err);
	if (rc)
		return rc;
	int moved = back ? jr_io_rename_noreplace(dirfd, name, st->dirfd, "index.json")
			 : jr_io_renameat(st->dirfd, "index.json", dirfd, name);
	if (moved < 0 && !(back && (errno == EEXIST || errno == ENOENT))) {
		char path[PATH_MAX + 32];
		jr_store_path(path, sizeof(path), st, "index.json");
		rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot move '%s' %s", path,
				  back ? "back" : "aside");
	}
	unlock_index(st);
	return rc;
}

int jr_index_drop_held(jerry_store *st, jerry_error *err)
{
	int rc = lock_index(st, err);
	if (rc)
		return rc;
	rc = compact_locked(st, err);
	if (rc == JERRY_ECORRUPT)
		rc = rebuild_locked(NULL, st, err);
	if ((!rc || rc == JERRY_EDURABLE) && jr_io_unlinkat(st->dirfd, "index.json", 0) < 0) {
		char path[PATH_MAX + 32];
		jr_store_path(path, sizeof(path), st, "index.json");
		rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot remove '%s'", path);
	}
	if (!rc || rc == JERRY_EDURABLE)
		rc = jr_store_sync_dir(st, st->dirfd, st->dir, err);
	unlock_index(st);
	return rc;
}
