/*
 * io.h - every system call the store makes that can fail goes through here.
 *
 * Two reasons: one place that gets EINTR and short writes right, and one
 * place to inject faults.  A build with -DJERRY_FAULT_INJECTION reads
 * JERRY_FAULT="N:ERRNO[:COUNT]" (e.g. "3:ENOSPC") and makes the Nth call
 * through this layer fail with that errno (COUNT times, default once).
 * `JERRY_FAULT_LOG=path` appends each call's number and name to a file, so
 * a test can learn how many calls a command makes.  Production builds have
 * no such global state: the macros compile to nothing.
 *
 * Under the jr_io_* functions the calls themselves sit in one table,
 * jr_syscalls (SQLite's aSyscall[] is the model): a named function pointer
 * per call, so a unit test can point one entry at its own function, see
 * what the store does when that call fails, and put it back.  Nothing
 * outside io.c and io_run.c (running programs, io_impl.h shares the table
 * between them) calls the table or the kernel directly.
 *
 * What is not here, on purpose: finding the store (realpath, getcwd and
 * stat of the user's path, in store.c, before there is a store), naming
 * the process (getpid, getsid, gethostname, the boot id), and time
 * (clock_gettime, nanosleep, the lock timer's setitimer).  None of them
 * touches the store's files, and a failure of any of them is not an I/O
 * error the store must survive.
 */
#ifndef JR_IO_H
#define JR_IO_H

#include <dirent.h>
#include <poll.h>
#include <spawn.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

typedef struct jr_syscalls {
	int (*open)(const char *path, int flags, mode_t mode);
	int (*openat)(int dirfd, const char *path, int flags, mode_t mode);
	ssize_t (*read)(int fd, void *buf, size_t len);
	ssize_t (*write)(int fd, const void *buf, size_t len);
	ssize_t (*pread)(int fd, void *buf, size_t len, off_t off);
	ssize_t (*pwrite)(int fd, const void *buf, size_t len, off_t off);
	int (*fsync)(int fd);
	int (*fdatasync)(int fd);
	int (*syncfs)(int fd);
	int (*close)(int fd);
	int (*dup)(int fd);
	int (*renameat)(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
	/* renameat2(2) with RENAME_NOREPLACE; ENOSYS where the kernel has none. */
	int (*rename_noreplace)(int olddirfd, const char *oldpath, int newdirfd,
				const char *newpath);
	int (*linkat)(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
		      int flags);
	int (*unlinkat)(int dirfd, const char *path, int flags);
	int (*mkdir)(const char *path, mode_t mode);
	int (*mkdirat)(int dirfd, const char *path, mode_t mode);
	int (*fstat)(int fd, struct stat *st);
	int (*fstatat)(int dirfd, const char *path, struct stat *st, int flags);
	int (*faccessat)(int dirfd, const char *path, int mode, int flags);
	int (*ftruncate)(int fd, off_t len);
	int (*flock)(int fd, int op);
	/* fcntl(fd, cmd, fl) for the record locks: F_OFD_SETLK, F_OFD_SETLKW, F_OFD_GETLK. */
	int (*lock)(int fd, int cmd, struct flock *fl);
	DIR *(*fdopendir)(int fd);
	struct dirent *(*readdir)(DIR *d);
	int (*closedir)(DIR *d);
	ssize_t (*getrandom)(void *buf, size_t len, unsigned int flags);
	/* Running git (jerry git setup, jerry sync): jr_io_run. */
	int (*pipe2)(int fds[2], int flags);
	int (*spawn)(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
		     const posix_spawnattr_t *attr, char *const argv[], char *const envp[]);
	pid_t (*waitpid)(pid_t pid, int *status, int options);
	int (*poll)(struct pollfd *fds, nfds_t n, int timeout);
	/* A child past its time: jr_io_stop. */
	int (*kill)(pid_t pid, int sig);
	/* A child that answers request by request (git cat-file --batch): jr_io_spawn. */
	int (*socketpair)(int domain, int type, int protocol, int fds[2]);
	ssize_t (*send)(int fd, const void *buf, size_t len, int flags);
} jr_syscalls;

/* The table, for a test to change one entry of; jr_io_reset() restores it. */
jr_syscalls *jr_io_syscalls(void);
void jr_io_reset(void);

int jr_io_open(const char *path, int flags, mode_t mode);
int jr_io_openat(int dirfd, const char *path, int flags, mode_t mode);
/* Write all of buf; -1 with errno on failure. */
int jr_io_write_all(int fd, const void *buf, size_t len);
/* Read the whole file at fd into a NUL-terminated malloc'd buffer. */
int jr_io_read_all(int fd, char **out, size_t *out_len, size_t max);
/*
 * Append the file at fd to sb, for a file never written in place once it
 * has its name (an item file: replaced by rename only).  A fresh sb is
 * sized by fstat; one with room is read into without it, so a reader of
 * many files reuses one buffer; and a read that gives less than asked is
 * the end, so a file that fits costs one read.  -1 with errno (EFBIG past
 * max bytes, ENOMEM), sb then holding part of the file.
 */
struct jr_sb;
int jr_io_read_fixed(int fd, struct jr_sb *sb, size_t max);
int jr_io_fsync(int fd);
int jr_io_fdatasync(int fd);
/* Every dirty file of fd's file system (reports write-back errors since Linux 5.8). */
int jr_io_syncfs(int fd);
int jr_io_close(int fd);
int jr_io_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
/* rename that refuses to replace (renameat2 RENAME_NOREPLACE, else link+unlink). */
int jr_io_rename_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
int jr_io_unlinkat(int dirfd, const char *path, int flags);
int jr_io_mkdir(const char *path, mode_t mode);
int jr_io_mkdirat(int dirfd, const char *path, mode_t mode);
int jr_io_fstat(int fd, struct stat *st);
int jr_io_ftruncate(int fd, off_t len);
/* pwrite() until done; EINTR retried. */
int jr_io_pwrite_all(int fd, const void *buf, size_t len, off_t off);
/* One pread(): EINTR retried, a short count at the end of the file. */
ssize_t jr_io_pread(int fd, void *buf, size_t len, off_t off);
int jr_io_fstatat(int dirfd, const char *path, struct stat *st, int flags);
int jr_io_faccessat(int dirfd, const char *path, int mode, int flags);
int jr_io_flock(int fd, int op);
/*
 * fcntl() record locks.  EINTR is not retried but returned: an interrupted
 * F_OFD_SETLKW is how lock.c's timer ends a wait.
 */
int jr_io_lock(int fd, int cmd, struct flock *fl);
int jr_io_dup(int fd);
/* A directory stream over fd, which it then owns (jr_io_closedir closes it). */
DIR *jr_io_fdopendir(int fd);
/* The next entry in *de, NULL at the end: 0, or -1 with errno on an error. */
int jr_io_readdir(DIR *d, struct dirent **de);
int jr_io_closedir(DIR *d);
/*
 * A read-only stdio stream over fd whose reads go through the table (and
 * the injector); fclose() closes fd with jr_io_close().  NULL with errno.
 */
FILE *jr_io_fdopen_read(int fd);
/* Fill buf with random bytes (EINTR and short counts retried); -1 with errno. */
int jr_io_getrandom(void *buf, size_t len, unsigned int flags);

/*
 * Run a program (searched in PATH) to its end: argv[0] is its name, env
 * (NULL-terminated, may be NULL) are "NAME=VALUE" set on top of this
 * process's environment, input (may be NULL) its standard input; its
 * standard output and error are collected into *out and *errout (each
 * NUL-terminated, malloc'd; either pointer may be NULL to drop the
 * stream).  Of standard error at most `max` bytes are kept; standard
 * output longer than `max` is never cut short: -1 with EFBIG.  *status is
 * its wait status.  deadline (jr_io_now_ms's clock; 0: none) bounds the
 * wait: a program still running then is stopped (jr_io_stop) and the call
 * fails with ETIMEDOUT.  0, or -1 with errno when it could not be started,
 * waited for, or was stopped.
 */
int jr_io_run(int *status, char **out, char **errout, const char *const argv[],
	      const char *const env[], const char *input, size_t max, int64_t deadline);
/* Now on a clock that only goes forward (CLOCK_MONOTONIC), in milliseconds. */
int64_t jr_io_now_ms(void);
/* Milliseconds left until deadline (0: none, then -1 for poll's "forever"); 0 once past. */
int jr_io_left_ms(int64_t deadline);
/*
 * Stop a child and reap it: SIGTERM (git removes its lock files and ends
 * its own children), SIGKILL if it is still there a second later.
 */
void jr_io_stop(pid_t pid, int *status);

/*
 * Start a program (searched in PATH, env as jr_io_run's) that stays to
 * answer requests: *to is its standard input (a socket: jr_io_send_all
 * writes to it without a SIGPIPE should it be gone), *from its standard
 * output; its standard error goes to /dev/null.  The caller closes both
 * and reaps *pid (jr_io_reap).  0, or -1 with errno (nothing left open).
 */
int jr_io_spawn(pid_t *pid, int *to, int *from, const char *const argv[],
		const char *const env[]);
/* Send all of buf on a socket; a reader that is gone is EPIPE, never a signal. */
int jr_io_send_all(int fd, const void *buf, size_t len);
/* One read(): EINTR retried; 0 at the end. */
ssize_t jr_io_read(int fd, void *buf, size_t len);
/* Wait until fd can be read or deadline (0: none) passes: 0, or -1 with errno (ETIMEDOUT). */
int jr_io_wait_in(int fd, int64_t deadline);
/* Wait for the child pid to end (EINTR retried), always: 0, or -1 with errno. */
int jr_io_reap(pid_t pid, int *status);

#ifdef JERRY_FAULT_INJECTION
int jr_fault_hit(const char *call);
#else
#define jr_fault_hit(call) 0
#endif

#endif
