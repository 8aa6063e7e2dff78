/*
 * lock.h - kernel byte-range locks (open file description locks, F_OFD_*)
 * with a bounded wait.
 *
 * OFD locks belong to the open file description, so they are released by
 * the kernel when the last descriptor closes - including when the process
 * is killed - and, unlike classic POSIX locks, closing some other
 * descriptor of the same file does not drop them.  Lock files are opened
 * O_CLOEXEC and are never renamed or deleted.
 */
#ifndef JR_LOCK_H
#define JR_LOCK_H

#include "jerry/jerry.h"
#include <sys/types.h>

/*
 * How to wait.  timeout_ms bounds the wait (0: try once): a waiter gives
 * up when the lock has not changed hands for timeout_ms, however long the
 * queue in front of it.  With `interruptible`, the caller has installed a
 * SIGALRM handler without SA_RESTART
 * (jerry_open_opts.lock_wait_interruptible): we then block in F_OFD_SETLKW
 * and let a periodic ITIMER_REAL tick wake us to check the deadline, so a
 * waiter gets the lock the moment it is released.  Otherwise we poll with
 * backoff, which needs no signal at all.  `turns` is locks/turns.lock open
 * read-write, or -1: without it a wait is a plain timeout from its start,
 * with no queue (lock.c explains both).
 */
typedef struct jr_lock_wait {
	int timeout_ms;
	int interruptible;
	int turns;
} jr_lock_wait;

/*
 * Take an exclusive lock on [start, start+len) of fd, waiting as `w` says.
 * `path` is the lock file's path: its name (items.lock, sequence.lock,
 * index.lock, deps.lock) picks the lock's record in turns.lock.
 * On timeout: JERRY_ELOCKED with a message that names `what` and `path`.
 */
int jr_lock_take(int fd, off_t start, off_t len, const jr_lock_wait *w, const char *what,
		 const char *path, jerry_error *err);
/* Shared (read) lock, same rules. */
int jr_lock_take_shared(int fd, off_t start, off_t len, const jr_lock_wait *w, const char *what,
			const char *path, jerry_error *err);
void jr_lock_drop(int fd, off_t start, off_t len);
/* 1 when another open file description holds a lock over the range, 0 if free, -1 on error. */
int jr_lock_held(int fd, off_t start, off_t len);

#endif
