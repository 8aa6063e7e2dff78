/*
 * io.c - checked system calls, and the fault injector of test builds.
 */
#define _GNU_SOURCE
#include "io.h"
#include "io_impl.h"
#include "../util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- the table ---------------------------------------------------------- */

/* Fixed-arity faces of the calls whose libc prototype is variadic or missing. */
static int sys_open(const char *path, int flags, mode_t mode)
{
	return open(path, flags, mode);
}

static int sys_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	return openat(dirfd, path, flags, mode);
}

static int sys_rename_noreplace(int olddirfd, const char *oldpath, int newdirfd,
				const char *newpath)
{
#ifdef SYS_renameat2
	return (int)syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath,
			    1 /* RENAME_NOREPLACE */);
#else
	(void)olddirfd; (void)oldpath; (void)newdirfd; (void)newpath;
	errno = ENOSYS;
	return -1;
#endif
}

static int sys_lock(int fd, int cmd, struct flock *fl)
{
	return fcntl(fd, cmd, fl);
}

/* The real calls: what the table holds at start and after jr_io_reset(). */
#define SYS_DEFAULT { \
	.open = sys_open, \
	.openat = sys_openat, \
	.read = read, \
	.write = write, \
	.pread = pread, \
	.pwrite = pwrite, \
	.fsync = fsync, \
	.fdatasync = fdatasync, \
	.syncfs = syncfs, \
	.close = close, \
	.dup = dup, \
	.renameat = renameat, \
	.rename_noreplace = sys_rename_noreplace, \
	.linkat = linkat, \
	.unlinkat = unlinkat, \
	.mkdir = mkdir, \
	.mkdirat = mkdirat, \
	.fstat = fstat, \
	.fstatat = fstatat, \
	.faccessat = faccessat, \
	.ftruncate = ftruncate, \
	.flock = flock, \
	.lock = sys_lock, \
	.fdopendir = fdopendir, \
	.readdir = readdir, \
	.closedir = closedir, \
	.getrandom = getrandom, \
	.pipe2 = pipe2, \
	.spawn = posix_spawnp, \
	.waitpid = waitpid, \
	.poll = poll, \
	.kill = kill, \
	.socketpair = socketpair, \
	.send = send, \
}

static const jr_syscalls sys_default = SYS_DEFAULT;
jr_syscalls jr_io_sys = SYS_DEFAULT;

jr_syscalls *jr_io_syscalls(void)
{
	return &jr_io_sys;
}

void jr_io_reset(void)
{
	jr_io_sys = sys_default;
}

#ifdef JERRY_FAULT_INJECTION
/*
 * Test builds only.  The counter is process-wide on purpose: the fault
 * tests run one command per process and walk N = 1, 2, ... until the
 * command completes without reaching the Nth call.
 */
static long fault_calls;
static long fault_at = -1;
static long fault_count = 1;
static int fault_errno;
static int fault_ready;

static int errno_by_name(const char *s)
{
	static const struct { const char *name; int e; } names[] = {
		{"EIO", EIO}, {"ENOSPC", ENOSPC}, {"EACCES", EACCES}, {"EINTR", EINTR},
		{"EROFS", EROFS}, {"EDQUOT", EDQUOT}, {"EPERM", EPERM}, {"ENOMEM", ENOMEM},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].name, s) == 0)
			return names[i].e;
	return EIO;
}

int jr_fault_hit(const char *call)
{
	if (!fault_ready) {
		fault_ready = 1;
		const char *spec = getenv("JERRY_FAULT");
		if (spec && *spec) {
			char name[32] = "EIO";
			fault_at = strtol(spec, NULL, 10);
			const char *c = strchr(spec, ':');
			if (c) {
				snprintf(name, sizeof(name), "%s", c + 1);
				char *c2 = strchr(name, ':');
				if (c2) {
					*c2 = '\0';
					fault_count = strtol(c2 + 1, NULL, 10);
				}
			}
			fault_errno = errno_by_name(name);
		}
	}
	fault_calls++;
	const char *log = getenv("JERRY_FAULT_LOG");
	if (log && *log) {
		FILE *f = fopen(log, "a");
		if (f) {
			fprintf(f, "%ld %s\n", fault_calls, call);
			fclose(f);
		}
	}
	if (fault_at > 0 && fault_calls >= fault_at && fault_calls < fault_at + fault_count) {
		errno = fault_errno;
		return 1;
	}
	return 0;
}
#endif


int jr_io_open(const char *path, int flags, mode_t mode)
{
	int fd;
	RETRY("open", fd, jr_io_sys.open(path, flags | O_CLOEXEC, mode));
	return fd;
}

int jr_io_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	int fd;
	RETRY("openat", fd, jr_io_sys.openat(dirfd, path, flags | O_CLOEXEC, mode));
	return fd;
}

/* write() or, at off >= 0, pwrite() until done; EINTR retried. */
static int write_loop(int fd, const void *buf, size_t len, off_t off)
{
	const char *p = buf;
	while (len > 0) {
		if (jr_fault_hit(off < 0 ? "write" : "pwrite")) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		size_t chunk = len > (size_t)SSIZE_MAX ? (size_t)SSIZE_MAX : len;
		ssize_t n = off < 0 ? jr_io_sys.write(fd, p, chunk) : jr_io_sys.pwrite(fd, p, chunk, off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		if (off >= 0)
			off += n;
	}
	return 0;
}

int jr_io_write_all(int fd, const void *buf, size_t len)
{
	return write_loop(fd, buf, len, -1);
}

int jr_io_pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	return write_loop(fd, buf, len, off < 0 ? 0 : off);
}

/*
 * The rest of the file at fd onto sb, `room` bytes asked for first.  With
 * short_ends, a read that gives less than it was asked ends the file: a
 * regular file does that only at its end (a signal that stops a read part
 * way is a fatal one), so a file that is never written in place - an item
 * file, only ever replaced by a rename - costs one read, not two.
 */
static int read_loop(int fd, struct jr_sb *sb, size_t room, size_t max, int short_ends)
{
	size_t start = sb->len;
	for (;;) {
		char *w = jr_sb_reserve(sb, room);
		if (!w) {
			errno = ENOMEM;
			return -1;
		}
		if (jr_fault_hit("read")) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		ssize_t n = jr_io_sys.read(fd, w, room);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return 0;
		jr_sb_commit(sb, w + n);
		if (sb->len - start > max) {
			errno = EFBIG;
			return -1;
		}
		if (short_ends && (size_t)n < room)
			return 0;
		/* The room left, or as much again as there is once it is full. */
		room = sb->alloc - sb->len - 1;
		if (!room)
			room = sb->len;
	}
}

static int read_into(int fd, struct jr_sb *sb, size_t max, int short_ends)
{
	size_t room = sb->alloc > sb->len + 1 ? sb->alloc - sb->len - 1 : 0;
	struct stat st;
	/* A fresh buffer: the file's size and a byte, so that seeing its end needs no growth. */
	if (!sb->alloc && jr_io_sys.fstat(fd, &st) == 0 && st.st_size > 0) {
		if ((size_t)st.st_size > max) {
			errno = EFBIG;
			return -1;
		}
		room = (size_t)st.st_size + 1;
	}
	return read_loop(fd, sb, room < 4096 ? 4096 : room, max, short_ends);
}

int jr_io_read_fixed(int fd, struct jr_sb *sb, size_t max)
{
	return read_into(fd, sb, max, 1);
}

int jr_io_read_all(int fd, char **out, size_t *out_len, size_t max)
{
	struct jr_sb sb = JR_SB_INIT;
	*out = NULL;
	if (read_into(fd, &sb, max, 0) < 0) {
		int e = errno;
		jr_sb_release(&sb);
		errno = e;
		return -1;
	}
	*out = jr_sb_detach(&sb, out_len);
	if (!*out) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int jr_io_fsync(int fd)
{
#ifdef JERRY_BREAK_FSYNC
	(void)fd;
	return 0; /* sensitivity build: durability removed */
#endif
	int rc;
	RETRY("fsync", rc, jr_io_sys.fsync(fd));
	return rc;
}

int jr_io_fdatasync(int fd)
{
#ifdef JERRY_BREAK_FSYNC
	(void)fd;
	return 0;
#endif
	int rc;
	RETRY("fdatasync", rc, jr_io_sys.fdatasync(fd));
	return rc;
}

int jr_io_syncfs(int fd)
{
#ifdef JERRY_BREAK_FSYNC
	(void)fd;
	return 0;
#endif
	int rc;
	RETRY("syncfs", rc, jr_io_sys.syncfs(fd));
	return rc;
}

/*
 * Linux releases the descriptor even when close() fails, so it is never
 * retried; a failure is reported but the fd is gone.  An injected failure
 * (injected, with its errno e) closes it too, as the kernel would.
 */
static int closed(int injected, int e, int rc)
{
	if (injected) {
		errno = e;
		rc = -1;
	}
	return rc < 0 && errno == EINTR ? 0 : rc;
}

int jr_io_close(int fd)
{
	if (fd < 0)
		return 0;
	int injected = jr_fault_hit("close");
	int e = errno;
	return closed(injected, e, jr_io_sys.close(fd));
}

int jr_io_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	int rc;
	RETRY("rename", rc, jr_io_sys.renameat(olddirfd, oldpath, newdirfd, newpath));
	return rc;
}

int jr_io_rename_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	int rc;
	RETRY("rename_noreplace", rc,
	      jr_io_sys.rename_noreplace(olddirfd, oldpath, newdirfd, newpath));
	if (rc == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
	/*
	 * The filesystem has no RENAME_NOREPLACE (FUSE, older NFS): link()
	 * also refuses to replace.  Where even link() is missing the caller
	 * holds the item lock and has checked the name is free.
	 */
	RETRY("link", rc, jr_io_sys.linkat(olddirfd, oldpath, newdirfd, newpath, 0));
	if (rc == 0) {
		RETRY("unlink", rc, jr_io_sys.unlinkat(olddirfd, oldpath, 0));
		if (rc < 0 && errno != ENOENT)
			return -1;
		return 0;
	}
	if (errno != EPERM && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
	if (jr_io_faccessat(newdirfd, newpath, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		errno = EEXIST;
		return -1;
	}
	if (errno != ENOENT)
		return -1;
	RETRY("rename", rc, jr_io_sys.renameat(olddirfd, oldpath, newdirfd, newpath));
	return rc;
}

int jr_io_unlinkat(int dirfd, const char *path, int flags)
{
	int rc;
	RETRY("unlink", rc, jr_io_sys.unlinkat(dirfd, path, flags));
	return rc;
}

int jr_io_mkdir(const char *path, mode_t mode)
{
	int rc;
	RETRY("mkdir", rc, jr_io_sys.mkdir(path, mode));
	return rc;
}

int jr_io_mkdirat(int dirfd, const char *path, mode_t mode)
{
	int rc;
	RETRY("mkdirat", rc, jr_io_sys.mkdirat(dirfd, path, mode));
	return rc;
}

int jr_io_fstat(int fd, struct stat *st)
{
	int rc;
	RETRY("fstat", rc, jr_io_sys.fstat(fd, st));
	return rc;
}

int jr_io_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	int rc;
	RETRY("fstatat", rc, jr_io_sys.fstatat(dirfd, path, st, flags));
	return rc;
}

int jr_io_faccessat(int dirfd, const char *path, int mode, int flags)
{
	int rc;
	RETRY("faccessat", rc, jr_io_sys.faccessat(dirfd, path, mode, flags));
	return rc;
}

int jr_io_ftruncate(int fd, off_t len)
{
	int rc;
	RETRY("ftruncate", rc, jr_io_sys.ftruncate(fd, len));
	return rc;
}

ssize_t jr_io_pread(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n;
	RETRY("pread", n, jr_io_sys.pread(fd, buf, len, off));
	return n;
}

int jr_io_flock(int fd, int op)
{
	int rc;
	RETRY("flock", rc, jr_io_sys.flock(fd, op));
	return rc;
}

int jr_io_lock(int fd, int cmd, struct flock *fl)
{
	if (jr_fault_hit("lock"))
		return -1;
	return jr_io_sys.lock(fd, cmd, fl);
}

int jr_io_dup(int fd)
{
	int rc;
	RETRY("dup", rc, jr_io_sys.dup(fd));
	return rc;
}

DIR *jr_io_fdopendir(int fd)
{
	for (;;) {
		if (jr_fault_hit("fdopendir")) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		return jr_io_sys.fdopendir(fd);
	}
}

int jr_io_readdir(DIR *d, struct dirent **de)
{
	for (;;) {
		*de = NULL;
		if (jr_fault_hit("readdir")) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		errno = 0;
		*de = jr_io_sys.readdir(d);
		if (*de || errno == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

int jr_io_closedir(DIR *d)
{
	if (!d)
		return 0;
	int injected = jr_fault_hit("closedir");
	int e = errno;
	return closed(injected, e, jr_io_sys.closedir(d));
}

static ssize_t stream_read(void *cookie, char *buf, size_t len)
{
	ssize_t n;
	RETRY("read", n, jr_io_sys.read((int)(intptr_t)cookie, buf, len));
	return n;
}

static int stream_close(void *cookie)
{
	return jr_io_close((int)(intptr_t)cookie);
}

FILE *jr_io_fdopen_read(int fd)
{
	cookie_io_functions_t fns = {.read = stream_read, .close = stream_close};
	return fopencookie((void *)(intptr_t)fd, "r", fns);
}

int jr_io_getrandom(void *buf, size_t len, unsigned int flags)
{
	unsigned char *p = buf;
	while (len > 0) {
		ssize_t n;
		RETRY("getrandom", n, jr_io_sys.getrandom(p, len, flags));
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
