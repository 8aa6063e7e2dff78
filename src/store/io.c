/*
 * io.c - checked system calls, and the fault injector of test builds.
 */
#define _GNU_SOURCE
#include "io.h"
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
static jr_syscalls sys = SYS_DEFAULT;

jr_syscalls *jr_io_syscalls(void)
{
	return &sys;
}

void jr_io_reset(void)
{
	sys = sys_default;
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

/*
 * Every call is retried on EINTR - a signal (our own lock-wait alarm, or a
 * network filesystem's) must never turn into a failed write - and an
 * injected fault is taken exactly where the real call would fail, inside
 * the retry loop, so an injected EINTR is retried too.
 */
#define RETRY(name, rc, call)                                 \
	do {                                                  \
		for (;;) {                                    \
			if (jr_fault_hit(name)) {             \
				if (errno == EINTR)           \
					continue;             \
				return -1;                    \
			}                                     \
			(rc) = (call);                        \
			if ((rc) < 0 && errno == EINTR)       \
				continue;                     \
			break;                                \
		}                                             \
	} while (0)

int jr_io_open(const char *path, int flags, mode_t mode)
{
	int fd;
	RETRY("open", fd, sys.open(path, flags | O_CLOEXEC, mode));
	return fd;
}

int jr_io_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	int fd;
	RETRY("openat", fd, sys.openat(dirfd, path, flags | O_CLOEXEC, mode));
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
		ssize_t n = off < 0 ? sys.write(fd, p, chunk) : sys.pwrite(fd, p, chunk, off);
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
		ssize_t n = sys.read(fd, w, room);
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
	if (!sb->alloc && sys.fstat(fd, &st) == 0 && st.st_size > 0) {
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
	RETRY("fsync", rc, sys.fsync(fd));
	return rc;
}

int jr_io_fdatasync(int fd)
{
#ifdef JERRY_BREAK_FSYNC
	(void)fd;
	return 0;
#endif
	int rc;
	RETRY("fdatasync", rc, sys.fdatasync(fd));
	return rc;
}

int jr_io_syncfs(int fd)
{
#ifdef JERRY_BREAK_FSYNC
	(void)fd;
	return 0;
#endif
	int rc;
	RETRY("syncfs", rc, sys.syncfs(fd));
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
	return closed(injected, e, sys.close(fd));
}

int jr_io_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	int rc;
	RETRY("rename", rc, sys.renameat(olddirfd, oldpath, newdirfd, newpath));
	return rc;
}

int jr_io_rename_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	int rc;
	RETRY("rename_noreplace", rc,
	      sys.rename_noreplace(olddirfd, oldpath, newdirfd, newpath));
	if (rc == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
	/*
	 * The filesystem has no RENAME_NOREPLACE (FUSE, older NFS): link()
	 * also refuses to replace.  Where even link() is missing the caller
	 * holds the item lock and has checked the name is free.
	 */
	RETRY("link", rc, sys.linkat(olddirfd, oldpath, newdirfd, newpath, 0));
	if (rc == 0) {
		RETRY("unlink", rc, sys.unlinkat(olddirfd, oldpath, 0));
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
	RETRY("rename", rc, sys.renameat(olddirfd, oldpath, newdirfd, newpath));
	return rc;
}

int jr_io_unlinkat(int dirfd, const char *path, int flags)
{
	int rc;
	RETRY("unlink", rc, sys.unlinkat(dirfd, path, flags));
	return rc;
}

int jr_io_mkdir(const char *path, mode_t mode)
{
	int rc;
	RETRY("mkdir", rc, sys.mkdir(path, mode));
	return rc;
}

int jr_io_mkdirat(int dirfd, const char *path, mode_t mode)
{
	int rc;
	RETRY("mkdirat", rc, sys.mkdirat(dirfd, path, mode));
	return rc;
}

int jr_io_fstat(int fd, struct stat *st)
{
	int rc;
	RETRY("fstat", rc, sys.fstat(fd, st));
	return rc;
}

int jr_io_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	int rc;
	RETRY("fstatat", rc, sys.fstatat(dirfd, path, st, flags));
	return rc;
}

int jr_io_faccessat(int dirfd, const char *path, int mode, int flags)
{
	int rc;
	RETRY("faccessat", rc, sys.faccessat(dirfd, path, mode, flags));
	return rc;
}

int jr_io_ftruncate(int fd, off_t len)
{
	int rc;
	RETRY("ftruncate", rc, sys.ftruncate(fd, len));
	return rc;
}

ssize_t jr_io_pread(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n;
	RETRY("pread", n, sys.pread(fd, buf, len, off));
	return n;
}

int jr_io_flock(int fd, int op)
{
	int rc;
	RETRY("flock", rc, sys.flock(fd, op));
	return rc;
}

int jr_io_lock(int fd, int cmd, struct flock *fl)
{
	if (jr_fault_hit("lock"))
		return -1;
	return sys.lock(fd, cmd, fl);
}

int jr_io_dup(int fd)
{
	int rc;
	RETRY("dup", rc, sys.dup(fd));
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
		return sys.fdopendir(fd);
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
		*de = sys.readdir(d);
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
	return closed(injected, e, sys.closedir(d));
}

static ssize_t stream_read(void *cookie, char *buf, size_t len)
{
	ssize_t n;
	RETRY("read", n, sys.read((int)(intptr_t)cookie, buf, len));
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
		RETRY("getrandom", n, sys.getrandom(p, len, flags));
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* ---- running a program ------------------------------------------------------- */

extern char **environ;

/* environ, with each of add ("NAME=VALUE") replacing a variable of its name. */
static char **env_with(const char *const add[])
{
	size_t n = 0, k = 0;
	while (environ[n])
		n++;
	while (add && add[k])
		k++;
	char **env = malloc((n + k + 1) * sizeof(*env));
	size_t m = 0;
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int replaced = 0;
		for (size_t j = 0; j < k && !replaced; j++) {
			const char *eq = strchr(add[j], '=');
			size_t len = eq ? (size_t)(eq - add[j]) + 1 : strlen(add[j]);
			replaced = strncmp(environ[i], add[j], len) == 0;
		}
		if (!replaced)
			env[m++] = environ[i];
	}
	for (size_t j = 0; j < k; j++)
		env[m++] = (char *)add[j];
	env[m] = NULL;
	return env;
}

struct sink {
	int fd;
	char *buf;
	size_t len, cap, max;
	int over;                  /* more came than max: the rest was read and dropped */
};

static int sink_read(struct sink *s)
{
	char chunk[4096];
	ssize_t n;
	RETRY("read", n, sys.read(s->fd, chunk, sizeof(chunk)));
	if (n <= 0)
		return (int)n;
	size_t keep = s->len + (size_t)n > s->max ? s->max - s->len : (size_t)n;
	s->over |= keep < (size_t)n;
	if (keep && s->len + keep + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		while (cap < s->len + keep + 1)
			cap *= 2;
		char *g = realloc(s->buf, cap);
		if (!g) {
			errno = ENOMEM;
			return -1;
		}
		s->buf = g;
		s->cap = cap;
	}
	if (keep) {
		memcpy(s->buf + s->len, chunk, keep);
		s->len += keep;
		s->buf[s->len] = '\0';
	}
	return 1;
}

/*
 * Start argv[0] (PATH searched, env on top of ours) with in, out and err as
 * its standard streams (err -1: /dev/null).  0, or -1 with errno.
 */
static int spawn_with(pid_t *pid, const char *const argv[], const char *const env[], int in,
		      int out, int err)
{
	posix_spawn_file_actions_t fa;
	char **envp = env_with(env);
	int e = 0;
	*pid = -1;
	if (!envp)
		return -1;
	if ((e = posix_spawn_file_actions_init(&fa))) {
		free(envp);
		errno = e;
		return -1;
	}
	if (!(e = posix_spawn_file_actions_adddup2(&fa, in, 0)) &&
	    !(e = posix_spawn_file_actions_adddup2(&fa, out, 1)) &&
	    !(e = err >= 0 ? posix_spawn_file_actions_adddup2(&fa, err, 2)
			   : posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0))) {
		if (jr_fault_hit("spawn"))
			e = errno;
		else if ((e = sys.spawn(pid, argv[0], &fa, NULL, (char *const *)argv, envp)))
			*pid = -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	free(envp);
	errno = e;
	return e ? -1 : 0;
}

int64_t jr_io_now_ms(void)
{
	struct timespec ts;
	/* CLOCK_MONOTONIC cannot fail on Linux; were it to, no deadline passes early. */
	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int jr_io_left_ms(int64_t deadline)
{
	if (!deadline)
		return -1;
	int64_t left = deadline - jr_io_now_ms();
	return left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}

void jr_io_stop(pid_t pid, int *status)
{
	if (sys.kill(pid, SIGTERM) == 0) {
		for (int i = 0; i < 100; i++) {
			pid_t w = sys.waitpid(pid, status, WNOHANG);
			if (w == pid || (w < 0 && errno != EINTR))
				return;
			struct timespec ten_ms = {0, 10 * 1000 * 1000};
			(void)nanosleep(&ten_ms, NULL);
		}
		(void)sys.kill(pid, SIGKILL);
	}
	while (sys.waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

int jr_io_run(int *status, char **out, char **errout, const char *const argv[],
	      const char *const env[], const char *input, size_t max, int64_t deadline)
{
	int pin[2] = {-1, -1}, pout[2] = {-1, -1}, perr[2] = {-1, -1};
	struct sink so = {-1, NULL, 0, 0, max, 0}, se = {-1, NULL, 0, 0, max, 0};
	pid_t pid = -1;
	int rc = -1, e = 0;
	size_t in_len = input ? strlen(input) : 0, in_off = 0;
	if (out)
		*out = NULL;
	if (errout)
		*errout = NULL;
	*status = -1;
	if (sys.pipe2(pin, O_CLOEXEC) < 0 || sys.pipe2(pout, O_CLOEXEC) < 0 ||
	    sys.pipe2(perr, O_CLOEXEC) < 0)
		goto fail;
	if (spawn_with(&pid, argv, env, pin[0], pout[1], perr[1]) < 0)
		goto fail;
	sys.close(pin[0]);
	sys.close(pout[1]);
	sys.close(perr[1]);
	pin[0] = pout[1] = perr[1] = -1;
	if (!in_len) {
		sys.close(pin[1]);
		pin[1] = -1;
	}
	so.fd = pout[0];
	se.fd = perr[0];
	while (so.fd >= 0 || se.fd >= 0 || pin[1] >= 0) {
		struct pollfd p[3] = {{so.fd, POLLIN, 0}, {se.fd, POLLIN, 0}, {pin[1], POLLOUT, 0}};
		int n, left = jr_io_left_ms(deadline);
		if (left == 0) {
			jr_io_stop(pid, status);
			pid = -1;
			errno = ETIMEDOUT;
			goto fail;
		}
		RETRY("poll", n, sys.poll(p, 3, left));
		if (n < 0)
			goto fail;
		for (int i = 0; i < 2; i++) {
			struct sink *s = i ? &se : &so;
			if (s->fd >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR))) {
				int r = sink_read(s);
				if (r < 0)
					goto fail;
				if (r == 0) {
					sys.close(s->fd);
					s->fd = -1;
					if (i)
						perr[0] = -1;
					else
						pout[0] = -1;
				}
			}
		}
		if (pin[1] >= 0 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w;
			RETRY("write", w, sys.write(pin[1], input + in_off, in_len - in_off));
			if (w < 0 && errno != EPIPE)
				goto fail;
			in_off = w < 0 ? in_len : in_off + (size_t)w;
			if (in_off == in_len) {
				sys.close(pin[1]);
				pin[1] = -1;
			}
		}
	}
	pid_t w;
	RETRY("waitpid", w, sys.waitpid(pid, status, 0));
	if (w < 0)
		goto fail;
	pid = -1;
	rc = 0;
	/* Output cut short is never taken for the whole of it (standard error may be). */
	if (out && so.over) {
		e = EFBIG;
		rc = -1;
		goto out;
	}
	if (out) {
		*out = so.buf ? so.buf : strdup("");
		so.buf = NULL;
		if (!*out) {
			errno = ENOMEM;
			rc = -1;
		}
	}
	if (errout && rc == 0) {
		*errout = se.buf ? se.buf : strdup("");
		se.buf = NULL;
		if (!*errout) {
			errno = ENOMEM;
			rc = -1;
		}
	}
	if (rc < 0 && out) {
		free(*out);
		*out = NULL;
	}
	goto out;
fail:
	e = errno;
out:
	for (int i = 0; i < 2; i++) {
		if (pin[i] >= 0)
			sys.close(pin[i]);
		if (pout[i] >= 0)
			sys.close(pout[i]);
		if (perr[i] >= 0)
			sys.close(perr[i]);
	}
	if (pid > 0) {
		int st;
		while (sys.waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	free(so.buf);
	free(se.buf);
	if (rc < 0 && e)
		errno = e;
	return rc;
}

int jr_io_spawn(pid_t *pid, int *to, int *from, const char *const argv[],
		const char *const env[])
{
	int pin[2] = {-1, -1}, pout[2] = {-1, -1}, e = 0;
	*pid = -1;
	*to = *from = -1;
	/* Not RETRY: a fault injected there would return with a descriptor open. */
	if (jr_fault_hit("socketpair") ||
	    sys.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pin) < 0 ||
	    jr_fault_hit("pipe2") || sys.pipe2(pout, O_CLOEXEC) < 0 ||
	    spawn_with(pid, argv, env, pin[0], pout[1], -1) < 0)
		goto fail;
	sys.close(pin[0]);
	sys.close(pout[1]);
	*to = pin[1];
	*from = pout[0];
	return 0;
fail:
	e = errno;
	for (int i = 0; i < 2; i++) {
		if (pin[i] >= 0)
			sys.close(pin[i]);
		if (pout[i] >= 0)
			sys.close(pout[i]);
	}
	errno = e;
	return -1;
}

int jr_io_send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n;
		RETRY("send", n, sys.send(fd, p, len, MSG_NOSIGNAL));
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t jr_io_read(int fd, void *buf, size_t len)
{
	ssize_t n;
	RETRY("read", n, sys.read(fd, buf, len));
	return n;
}

int jr_io_wait_in(int fd, int64_t deadline)
{
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		int n, left = jr_io_left_ms(deadline);
		if (left == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		RETRY("poll", n, sys.poll(&p, 1, left));
		if (n < 0)
			return -1;
		if (n > 0)
			return 0;
	}
}

int jr_io_reap(pid_t pid, int *status)
{
	/* An injected failure still waits: no child is ever left a zombie. */
	int injected = jr_fault_hit("waitpid") && errno != EINTR, e = errno;
	pid_t w;
	while ((w = sys.waitpid(pid, status, 0)) < 0 && errno == EINTR)
		;
	if (injected) {
		errno = e;
		return -1;
	}
	return w < 0 ? -1 : 0;
}
