/*
 * lock.c - bounded waits on OFD locks.
 *
 * F_OFD_SETLKW cannot time out without a signal, and a library must not
 * install signal handlers, so the wait polls F_OFD_SETLK with exponential
 * backoff (50 us doubling to 4 ms) plus jitter, until the deadline.  The
 * jitter keeps a crowd of waiters from waking in lockstep.
 */
#define _GNU_SOURCE
#include "lock.h"
#include "../domain/domain.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int try_lock(int fd, short type, off_t start, off_t len)
{
	struct flock fl;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = start;
	fl.l_len = len;
	return fcntl(fd, F_OFD_SETLK, &fl);
}

static int take(int fd, short type, off_t start, off_t len, int timeout_ms, const char *what,
		const char *path, jerry_error *err)
{
#ifdef JERRY_BREAK_LOCKS
	/* Sensitivity build (tests/README.md): no locking at all. */
	(void)fd; (void)type; (void)start; (void)len; (void)timeout_ms; (void)what; (void)path;
	(void)err;
	return 0;
#endif
	int64_t deadline = mono_us() + (int64_t)(timeout_ms > 0 ? timeout_ms : 0) * 1000;
	int64_t delay = 50;
	uint32_t seed = (uint32_t)getpid() ^ (uint32_t)mono_us();
	for (;;) {
		if (try_lock(fd, type, start, len) == 0)
			return 0;
		int e = errno;
		if (e != EAGAIN && e != EACCES && e != EINTR)
			return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot lock %s ('%s')", what, path);
		int64_t now = mono_us();
		if (now >= deadline) {
			jr_error(err, JERRY_ELOCKED,
				 "timed out after %d ms waiting for the lock on %s ('%s')",
				 timeout_ms, what, path);
			jr_error_hint(err, "another jerry process holds it; retry later, or raise "
					   "--lock-timeout / JERRY_LOCK_TIMEOUT");
			return JERRY_ELOCKED;
		}
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		int64_t sleep_us = delay / 2 + (int64_t)(seed % (uint32_t)(delay / 2 + 1));
		if (now + sleep_us > deadline)
			sleep_us = deadline - now;
		struct timespec ts = {(time_t)(sleep_us / 1000000), (long)(sleep_us % 1000000) * 1000};
		nanosleep(&ts, NULL);
		if (delay < 4000)
			delay *= 2;
	}
}

int jr_lock_take(int fd, off_t start, off_t len, int timeout_ms, const char *what,
		 const char *path, jerry_error *err)
{
	return take(fd, F_WRLCK, start, len, timeout_ms, what, path, err);
}

int jr_lock_take_shared(int fd, off_t start, off_t len, int timeout_ms, const char *what,
			const char *path, jerry_error *err)
{
	return take(fd, F_RDLCK, start, len, timeout_ms, what, path, err);
}

void jr_lock_drop(int fd, off_t start, off_t len)
{
	/* Unlocking a range we hold cannot fail in a way we could act on. */
	(void)try_lock(fd, F_UNLCK, start, len);
}

int jr_lock_held(int fd, off_t start, off_t len)
{
	struct flock fl;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = start;
	fl.l_len = len;
	if (fcntl(fd, F_OFD_GETLK, &fl) < 0)
		return -1;
	return fl.l_type != F_UNLCK;
}
