/*
 * files.c - durable file replacement and item file access, and the lock
 * files and tmp/ a writer opens first (jr_store_writable).
 *
 * Atomic replace, in five steps (see store.h guarantee 1):
 *   1. create "tmp/NAME.tmp-PID-RANDOM", O_EXCL: every temp file lives in
 *      the store's tmp/, never next to its target, so items/ holds only
 *      items and a listing of it is never a listing of temp files;
 *   2. flock() it: a live writer's temp file is locked, so a cleaner can
 *      tell a dead writer's leftover from one in use;
 *   3. write everything, fsync;
 *   4. rename over the target (or link-style no-replace for new items):
 *      tmp/ is on the same file system, so the rename stays atomic;
 *   5. fsync the target's directory.
 * A failure before step 4 unlinks the temp file: nothing is installed and
 * nothing is left behind.  A failure of step 5 is reported as "committed,
 * durability uncertain".  A writer killed before step 4 leaves its temp
 * file; the next writing process removes it (jr_store_tmpdir), since
 * nobody holds its flock any more.
 */
#define _GNU_SOURCE
#include "store.h"
#include "codec.h"
#include "io.h"
#include "../domain/domain.h"
#include "../util/array.h"
#include "../util/strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <unistd.h>

void jr_store_path(char *buf, size_t size, const jerry_store *st, const char *rel)
{
	snprintf(buf, size, "%s/%s", st->dir, rel);
}

void jr_store_item_rel(char *buf, size_t size, int64_t num)
{
	char id[24];
	jerry_id_format(id, sizeof(id), num);
	snprintf(buf, size, "items/%s.json", id);
}

static int storage_error(jerry_error *err, int e, const char *verb, const jerry_store *st,
			 const char *rel)
{
	char path[PATH_MAX + 64];
	jr_store_path(path, sizeof(path), st, rel);
	jr_error_sys(err, JERRY_ESTORAGE, e, "cannot %s '%s'", verb, path);
	if (err) {
		snprintf(err->path, sizeof(err->path), "%s", path);
		if (e == ENOSPC || e == EDQUOT)
			jr_error_hint(err, "free some disk space and retry; nothing was changed");
		else if (e == EACCES || e == EPERM || e == EROFS)
			jr_error_hint(err, "check the permissions of the store; nothing was changed");
		else
			jr_error_hint(err, "nothing was changed");
	}
	return JERRY_ESTORAGE;
}

int jr_store_sync_fd(const jerry_store *st, int fd, const char *what, jerry_error *err)
{
	if (!st->sync)
		return 0;
	if (jr_io_fsync(fd) < 0)
		return storage_error(err, errno, "sync", st, what);
	return 0;
}

int jr_store_sync_dir(const jerry_store *st, int dirfd, const char *what, jerry_error *err)
{
	if (!st->sync)
		return 0;
	if (jr_io_fsync(dirfd) < 0) {
		int e = errno;
		const char *sub = dirfd == st->itemsfd ? "items/" : "";
		jr_error_sys(err, JERRY_EDURABLE, e,
			     "the change to '%s/%s%s' was made but could not be made durable", st->dir,
			     sub, what);
		if (err) {
			snprintf(err->path, sizeof(err->path), "%s/%s%s", st->dir, sub, what);
			int64_t num = jr_store_item_file_num(what);
			jr_error_item(err, num);
		}
		jr_error_hint(err, "run 'jerry show' to verify it after a crash or power loss");
		return JERRY_EDURABLE;
	}
	return 0;
}

int jr_tmp_dead(int dirfd, const char *name, int remove, int *removed)
{
	struct stat a, b;
	*removed = 0;
	/* O_NONBLOCK: a FIFO under a temp file's name must not hang us. */
	int fd = jr_io_openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
	if (fd < 0)
		return 0;
	/*
	 * A writer that renamed its temp file into place and closed it
	 * between our open() and flock() left us holding the inode it now
	 * is, not a dead writer's leftover: hence the look at the name again.
	 */
	int dead = jr_io_fstat(fd, &a) == 0 && S_ISREG(a.st_mode) &&
		   jr_io_flock(fd, LOCK_EX | LOCK_NB) == 0 &&
		   jr_io_fstatat(dirfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 && a.st_dev == b.st_dev &&
		   a.st_ino == b.st_ino;
	/* Unlinked while we hold the lock, so the writer's retry sees it. */
	if (dead && remove && jr_io_unlinkat(dirfd, name, 0) == 0)
		*removed = 1;
	(void)jr_io_close(fd); /* read-only: nothing to lose; the lock goes with it */
	return dead;
}

/*
 * Remove the temp files of dead writers from tmp/.  Best effort: what
 * cannot be read or removed now is left for the next writer or for
 * `jerry check --repair`.  tmp/ holds only the temp files of writes in
 * flight and of writers that died, so this costs a few system calls per
 * concurrent writer, whatever the number of items.
 */
static void tmp_sweep(int tmpfd)
{
	int fd = jr_io_openat(tmpfd, ".", O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return;
	DIR *d = jr_io_fdopendir(fd);
	if (!d) {
		(void)jr_io_close(fd);
		return;
	}
	struct dirent *de;
	while (jr_io_readdir(d, &de) == 0 && de) {
		int removed;
		if (de->d_name[0] != '.' && strstr(de->d_name, ".tmp-"))
			(void)jr_tmp_dead(tmpfd, de->d_name, 1, &removed);
	}
	(void)jr_io_closedir(d);
}

int jr_store_tmpdir(jerry_store *st, jerry_error *err)
{
	if (st->tmpfd >= 0)
		return 0;
	int fd = jr_io_openat(st->dirfd, "tmp", O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	if (fd < 0 && errno == ENOENT) {
		/* A store made before tmp/ existed: make it now. */
		if (jr_io_mkdirat(st->dirfd, "tmp", 0755) < 0 && errno != EEXIST)
			return storage_error(err, errno, "create", st, "tmp");
		fd = jr_io_openat(st->dirfd, "tmp", O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	}
	if (fd < 0)
		return storage_error(err, errno, "open", st, "tmp");
	st->tmpfd = fd;
	tmp_sweep(fd);
	return 0;
}

static int open_lock(int *fd, jerry_store *st, const char *name, jerry_error *err)
{
	if (*fd >= 0)
		return 0;
	char rel[64], path[PATH_MAX + 64];
	snprintf(rel, sizeof(rel), "locks/%s", name);
	jr_store_path(path, sizeof(path), st, rel);
	*fd = jr_io_openat(st->dirfd, rel, O_RDWR | O_CREAT | O_NOFOLLOW, 0644);
	if (*fd < 0) {
		int e = errno;
		/* No locks/ at all: a fresh checkout that could not be prepared, as it cannot be written. */
		if (e == EROFS || e == EACCES || e == EPERM ||
		    (e == ENOENT && jr_io_faccessat(st->dirfd, "locks", F_OK, AT_SYMLINK_NOFOLLOW) < 0 &&
		     errno == ENOENT)) {
			jr_error_sys(err, JERRY_ESTORAGE, e, "the store is read-only: cannot open '%s'", path);
			jr_error_hint(err, "reading works; writing needs write access to '%s'", st->dir);
		} else if (e == EISDIR || e == ELOOP || e == ENXIO) {
			jr_error(err, JERRY_ECORRUPT, "'%s' is not a regular lock file", path);
			jr_error_hint(err, "'jerry check' explains; replace it with an empty file");
			return JERRY_ECORRUPT;
		} else {
			jr_error_sys(err, JERRY_ESTORAGE, e, "cannot open '%s'", path);
		}
		if (err)
			snprintf(err->path, sizeof(err->path), "%s", path);
		return JERRY_ESTORAGE;
	}
	struct stat sb;
	if (jr_io_fstat(*fd, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		jr_io_close(*fd);
		*fd = -1;
		return jr_error(err, JERRY_ECORRUPT, "'%s' is not a regular lock file", path);
	}
	return 0;
}

int jr_store_writable(jerry_store *st, jerry_error *err)
{
	int rc;
	if ((rc = open_lock(&st->lock_items, st, "items.lock", err)) ||
	    (rc = open_lock(&st->lock_seq, st, "sequence.lock", err)) ||
	    (rc = open_lock(&st->lock_index, st, "index.lock", err)) ||
	    (rc = open_lock(&st->lock_deps, st, "deps.lock", err)) ||
	    (rc = open_lock(&st->wait.turns, st, "turns.lock", err)))
		return rc;
	/* Before any lock is taken: a dead writer's temp files go now. */
	return jr_store_tmpdir(st, err);
}

/* Steps 1 and 2: create tmp/NAME.tmp-PID-RAND and flock it; relpath names it. */
static int tmpfile_open(jr_tmpfile *tf, jerry_store *st, int dirfd, const char *name,
			char *relpath, size_t relsize, jerry_error *err)
{
	tf->dirfd = dirfd;
	tf->tmpfd = st->tmpfd;
	snprintf(tf->name, sizeof(tf->name), "%s", name);
#ifdef JERRY_BREAK_INPLACE
	/* Sensitivity build: write the target in place, as the seed's first draft did. */
	tf->tmpfd = dirfd;
	snprintf(tf->tmp, sizeof(tf->tmp), "%s", name);
	snprintf(relpath, relsize, "%s%s", dirfd == st->itemsfd ? "items/" : "", name);
	tf->fd = jr_io_openat(dirfd, tf->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
	return tf->fd < 0 ? storage_error(err, errno, "create", st, relpath) : 0;
#else
	for (int tries = 0; tries < 8; tries++) {
		uint32_t rnd = 0;
		struct stat sb;
		if (jr_io_getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) < 0)
			rnd = (uint32_t)(uintptr_t)tf ^ (uint32_t)getpid() ^ (uint32_t)tries;
		snprintf(tf->tmp, sizeof(tf->tmp), "%s.tmp-%ld-%08x", name, (long)getpid(), rnd);
		snprintf(relpath, relsize, "tmp/%s", tf->tmp);
		tf->fd = jr_io_openat(tf->tmpfd, tf->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW,
				      0644);
		if (tf->fd < 0)
			return storage_error(err, errno, "create", st, relpath);
		/*
		 * A cleaner that can take this lock knows the writer is gone.
		 * One that took it between our open() and here thinks so too,
		 * and removes the file while it holds the lock: if it still
		 * holds it, our flock fails; if it is done, the file has no
		 * name left (st_nlink 0).  Either way, leave that file to it
		 * and start again under a new name.  (Some filesystems have
		 * no flock(); the temp file is still usable.)
		 */
		if (jr_io_flock(tf->fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK) {
			jr_tmpfile_abort(tf);
			continue;
		}
		if (jr_io_fstat(tf->fd, &sb) < 0) {
			int e = errno;
			jr_tmpfile_abort(tf);
			return storage_error(err, e, "create", st, relpath);
		}
		if (sb.st_nlink > 0)
			return 0;
		jr_io_close(tf->fd); /* no name to unlink: the cleaner took it */
		tf->fd = -1;
	}
	return storage_error(err, EAGAIN, "create", st, relpath);
#endif
}

static int tmpfile_write(jr_tmpfile *tf, jerry_store *st, int dirfd, const char *name,
			 const char *buf, size_t len, int sync, jerry_error *err)
{
	char relpath[160];
	int rc;
	if ((rc = jr_store_tmpdir(st, err)) ||
	    (rc = tmpfile_open(tf, st, dirfd, name, relpath, sizeof(relpath), err)))
		return rc;
	if (jr_io_write_all(tf->fd, buf, len) < 0) {
		int e = errno;
		jr_tmpfile_abort(tf);
		return storage_error(err, e, "write", st, relpath);
	}
	if (sync && st->sync && jr_io_fsync(tf->fd) < 0) {
		int e = errno;
		jr_tmpfile_abort(tf);
		return storage_error(err, e, "sync", st, relpath);
	}
	return 0;
}

int jr_tmpfile_write(jr_tmpfile *tf, jerry_store *st, int dirfd, const char *name,
		     const char *buf, size_t len, jerry_error *err)
{
	return tmpfile_write(tf, st, dirfd, name, buf, len, 1, err);
}

int jr_tmpfile_write_nosync(jr_tmpfile *tf, jerry_store *st, int dirfd, const char *name,
			    const char *buf, size_t len, jerry_error *err)
{
	return tmpfile_write(tf, st, dirfd, name, buf, len, 0, err);
}

int jr_tmpfile_commit(jr_tmpfile *tf, jerry_store *st, int noreplace, jerry_error *err)
{
#ifdef JERRY_BREAK_INPLACE
	(void)st; (void)noreplace; (void)err;
	jr_io_close(tf->fd);
	tf->fd = -1;
	return 0;
#endif
	int rc = noreplace ? jr_io_rename_noreplace(tf->tmpfd, tf->tmp, tf->dirfd, tf->name)
			   : jr_io_renameat(tf->tmpfd, tf->tmp, tf->dirfd, tf->name);
	if (rc < 0) {
		int e = errno;
		jr_tmpfile_abort(tf);
		char rel[160];
		snprintf(rel, sizeof(rel), "%s%s", tf->dirfd == st->itemsfd ? "items/" : "", tf->name);
		if (e == EEXIST)
			return jr_error(err, JERRY_EINTERNAL, "refusing to overwrite existing '%s/%s'",
					st->dir, rel);
		return storage_error(err, e, "rename into", st, rel);
	}
	/* The flock goes with the inode; closing drops it. */
	jr_io_close(tf->fd);
	tf->fd = -1;
	return 0;
}

void jr_tmpfile_abort(jr_tmpfile *tf)
{
	if (tf->fd >= 0) {
		int e = errno;
		(void)jr_io_unlinkat(tf->tmpfd, tf->tmp, 0); /* cleanup: the caller reports the cause */
		jr_io_close(tf->fd);
		tf->fd = -1;
		errno = e;
	}
}

int jr_store_replace(jerry_store *st, int dirfd, const char *name, const char *buf,
		     size_t len, jerry_error *err)
{
	jr_tmpfile tf;
	int rc = jr_tmpfile_write(&tf, st, dirfd, name, buf, len, err);
	if (rc)
		return rc;
	if ((rc = jr_tmpfile_commit(&tf, st, 0, err)))
		return rc;
	return jr_store_sync_dir(st, dirfd, name, err);
}

int jr_store_read_item_buf(jerry_item **out, jerry_store *st, int64_t num, struct jr_sb *buf,
			   jerry_error *err)
{
	return jr_store_read_item_stat(out, st, num, buf, NULL, err);
}

int jr_store_read_item_stat(jerry_item **out, jerry_store *st, int64_t num, struct jr_sb *buf,
			    struct stat *sb, jerry_error *err)
{
	char rel[64], path[PATH_MAX + 64];
	*out = NULL;
	jr_store_item_rel(rel, sizeof(rel), num);
	jr_store_path(path, sizeof(path), st, rel);
	/* O_NONBLOCK: a FIFO under an item's name must not hang every reader. */
	int fd = jr_io_openat(st->itemsfd, rel + 6, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT) {
			char id[24];
			jerry_id_format(id, sizeof(id), num);
			jr_error_item(err, num);
			jr_error(err, JERRY_ENOTFOUND, "no item '%s'", id);
			jr_error_hint(err, "'jerry list --all' shows the items there are");
			return JERRY_ENOTFOUND;
		}
		if (e == ELOOP) {
			jr_error(err, JERRY_ECORRUPT,
				 "'%s' is a symbolic link; jerry refuses to follow it", path);
			if (err)
				snprintf(err->path, sizeof(err->path), "%s", path);
			return JERRY_ECORRUPT;
		}
		return storage_error(err, e, "open", st, rel);
	}
	buf->len = 0;
	if (sb && jr_io_fstat(fd, sb) < 0) {
		int e = errno;
		jr_io_close(fd);
		return storage_error(err, e, "read", st, rel);
	}
	int got = jr_io_read_fixed(fd, buf, JR_ITEM_FILE_MAX), e = errno;
	/*
	 * Nothing read (or a read that would block): an empty file, or not a
	 * file at all - a FIFO, a socket, a device someone put there.  Only
	 * then is the fstat paid, so the common read stays one call.
	 */
	struct stat what;
	if ((got < 0 && e == EAGAIN) || (got == 0 && buf->len == 0)) {
		if (jr_io_fstat(fd, &what) == 0 && !S_ISREG(what.st_mode)) {
			jr_io_close(fd);
			jr_error_item(err, num);
			jr_error(err, JERRY_ECORRUPT, "'%s' is not a regular file", path);
			if (err)
				snprintf(err->path, sizeof(err->path), "%s", path);
			return JERRY_ECORRUPT;
		}
	}
	if (got < 0) {
		jr_io_close(fd);
		if (e == EFBIG)
			return jr_error(err, JERRY_ECORRUPT, "'%s' is larger than %d bytes", path,
					JR_ITEM_FILE_MAX);
		return storage_error(err, e, "read", st, rel);
	}
	jr_io_close(fd);
	int rc = jr_codec_parse_item(out, buf->buf, buf->len, path, num, err);
	if (rc)
		jr_error_item(err, num);
	return rc;
}

int jr_store_read_item(jerry_item **out, jerry_store *st, int64_t num, jerry_error *err)
{
	struct jr_sb buf = JR_SB_INIT;
	int rc = jr_store_read_item_buf(out, st, num, &buf, err);
	jr_sb_release(&buf);
	return rc;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* "WORK-007.json" -> 7; 0 for anything else. */
static int64_t item_file_num(const char *name)
{
	int64_t num;
	size_t n = strlen(name);
	if (n < 11 || strcmp(name + n - 5, ".json") != 0 || strncmp(name, "WORK-", 5) != 0)
		return 0;
	char id[32];
	if (n - 5 >= sizeof(id))
		return 0;
	memcpy(id, name, n - 5);
	id[n - 5] = '\0';
	if (jerry_id_parse(&num, id, NULL) != 0)
		return 0;
	/* Only the canonical spelling counts: WORK-7.json is a stray file. */
	char canon[32];
	jerry_id_format(canon, sizeof(canon), num);
	return strcmp(canon, id) == 0 ? num : 0;
}

int jr_store_list_item_files(int64_t **out, size_t *out_n, jerry_store *st, jerry_error *err)
{
	*out = NULL;
	*out_n = 0;
	int fd = jr_io_dup(st->itemsfd);
	if (fd < 0)
		return storage_error(err, errno, "read", st, "items");
	DIR *d = jr_io_fdopendir(fd);
	if (!d) {
		int e = errno;
		jr_io_close(fd);
		return storage_error(err, e, "read", st, "items");
	}
	rewinddir(d);
	int64_t *nums = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	for (;;) {
		if (jr_io_readdir(d, &de) < 0) {
			int e = errno;
			free(nums);
			jr_io_closedir(d);
			return storage_error(err, e, "read", st, "items");
		}
		if (!de)
			break;
		int64_t num = item_file_num(de->d_name);
		if (!num)
			continue;
		if (JR_ARRAY_GROW(nums, n + 1, cap)) {
			free(nums);
			jr_io_closedir(d);
			return jr_error(err, JERRY_ENOMEM, "out of memory listing items");
		}
		nums[n++] = num;
	}
	jr_io_closedir(d);
	if (n) /* an empty store: nums is NULL, which qsort may not take */
		qsort(nums, n, sizeof(*nums), cmp_i64);
	*out = nums;
	*out_n = n;
	return 0;
}

int64_t jr_store_item_file_num(const char *name)
{
	return item_file_num(name);
}

/*
 * A writer killed inside write() can leave a log's last line without its
 * newline.  Readers ignore such a line, but the next append would be glued
 * onto it and both would be lost as one unparseable line.  So before
 * appending, under the file's lock, cut a torn tail back to the last
 * newline: what it held was never acknowledged.  *out_end gets the size the
 * file then has.
 */
int jr_file_end_whole(int fd, off_t *out_end)
{
	struct stat sb;
	char buf[4096];
	if (jr_io_fstat(fd, &sb) < 0)
		return -1;
	off_t end = sb.st_size;
	*out_end = end;
	if (end == 0)
		return 0;
	ssize_t n = jr_io_pread(fd, buf, 1, end - 1);
	if (n != 1)
		return n < 0 ? -1 : 0;
	if (buf[0] == '\n')
		return 0;
	off_t pos = end;
	while (pos > 0) {
		size_t chunk = pos > (off_t)sizeof(buf) ? sizeof(buf) : (size_t)pos;
		pos -= (off_t)chunk;
		n = jr_io_pread(fd, buf, chunk, pos);
		if (n != (ssize_t)chunk)
			return -1;
		for (size_t i = chunk; i-- > 0;) {
			if (buf[i] == '\n') {
				off_t keep = pos + (off_t)i + 1;
				if (jr_io_ftruncate(fd, keep) < 0)
					return -1;
				*out_end = keep;
				return 0;
			}
		}
	}
	if (jr_io_ftruncate(fd, 0) < 0)
		return -1;
	*out_end = 0;
	return 0;
}
