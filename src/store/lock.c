/*
 * lock.c - bounded waits on OFD locks.
 *
 * F_OFD_SETLKW cannot time out without a signal, and a library must not
 * install signal handlers.  So there are two ways to wait:
 *
 *  - the caller (the jerry command) has installed a SIGALRM handler
 *    without SA_RESTART and says so: we block in F_OFD_SETLKW, woken the
 *    instant the lock is free, and a periodic ITIMER_REAL tick interrupts
 *    the wait so we can give up at the deadline.  The tick repeats, so a
 *    tick that fires just before we block is followed by another one: no
 *    lost wake-up can make the wait unbounded.  Under a crowd of 100
 *    writers this matters: polling waiters sleep through releases and the
 *    unlucky ones starve past the timeout;
 *  - otherwise we poll F_OFD_SETLK with exponential backoff (50 us doubling
 *    to 4 ms) plus jitter, until the deadline.  The jitter keeps a crowd of
 *    waiters from waking in lockstep.
 */
#define _GNU_SOURCE
#include "lock.h"
#include "../domain/domain.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/time.h>
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

static int timed_out(int timeout_ms, const char *what, const char *path, jerry_error *err)
{
	jr_error(err, JERRY_ELOCKED, "timed out after %d ms waiting for the lock on %s ('%s')",
		 timeout_ms, what, path);
	jr_error_hint(err, "another jerry process holds it; retry later, or raise "
			   "--lock-timeout / JERRY_LOCK_TIMEOUT");
	return JERRY_ELOCKED;
}

#define TICK_US 20000

static int take_blocking(int fd, short type, off_t start, off_t len, int timeout_ms,
			 const char *what, const char *path, jerry_error *err)
{
	int64_t deadline = mono_us() + (int64_t)timeout_ms * 1000;
	struct itimerval tick = {{0, TICK_US}, {0, TICK_US}}, off = {{0, 0}, {0, 0}};
	struct flock fl;
	int rc = 0;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = start;
	fl.l_len = len;
	if (setitimer(ITIMER_REAL, &tick, NULL) < 0)
		return jr_error_sys(err, JERRY_EINTERNAL, errno, "cannot arm the lock timer");
	for (;;) {
		if (fcntl(fd, F_OFD_SETLKW, &fl) == 0)
			break;
		int e = errno;
		if (e != EINTR) {
			rc = jr_error_sys(err, JERRY_ESTORAGE, e, "cannot lock %s ('%s')", what, path);
			break;
		}
		if (mono_us() >= deadline) {
			rc = timed_out(timeout_ms, what, path, err);
			break;
		}
	}
	setitimer(ITIMER_REAL, &off, NULL);
	return rc;
}

static int take(int fd, short type, off_t start, off_t len, const jr_lock_wait *w,
		const char *what, const char *path, jerry_error *err)
{
	int timeout_ms = w->timeout_ms;
#ifdef JERRY_BREAK_LOCKS
	/* Sensitivity build (tests/README.md): no locking at all. */
	(void)fd; (void)type; (void)start; (void)len; (void)w; (void)what; (void)path;
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
		if (w->interruptible && timeout_ms > 0)
			return take_blocking(fd, type, start, len, timeout_ms, what, path, err);
		int64_t now = mono_us();
		if (now >= deadline)
			return timed_out(timeout_ms, what, path, err);
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

int jr_lock_take(int fd, off_t start, off_t len, const jr_lock_wait *w, const char *what,
		 const char *path, jerry_error *err)
{
	return take(fd, F_WRLCK, start, len, w, what, path, err);
}

int jr_lock_take_shared(int fd, off_t start, off_t len, const jr_lock_wait *w, const char *what,
			const char *path, jerry_error *err)
{
	return take(fd, F_RDLCK, start, len, w, what, path, err);
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
