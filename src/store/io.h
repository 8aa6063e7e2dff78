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
 */
#ifndef JR_IO_H
#define JR_IO_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

int jr_io_open(const char *path, int flags, mode_t mode);
int jr_io_openat(int dirfd, const char *path, int flags, mode_t mode);
/* Write all of buf; -1 with errno on failure. */
int jr_io_write_all(int fd, const void *buf, size_t len);
/* Read the whole file at fd into a NUL-terminated malloc'd buffer. */
int jr_io_read_all(int fd, char **out, size_t *out_len, size_t max);
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

#ifdef JERRY_FAULT_INJECTION
int jr_fault_hit(const char *call);
#else
#define jr_fault_hit(call) 0
#endif

#endif
