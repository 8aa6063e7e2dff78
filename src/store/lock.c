/*
 * lock.c - bounded, fair waits on OFD locks.
 *
 * A lock timeout means "the holder is stuck", not "the queue is long".
 * Three mechanisms make that so; all of them live in locks/turns.lock
 * (doc/FORMAT.md "Locks"), next to the lock files themselves.
 *
 * (1) Progress.  Every exclusive one-byte lock of a known lock file has a
 *     16-byte record in turns.lock: { u32 next ticket, u32 served ticket,
 *     u64 turn }.  Whoever takes the lock writes a fresh `turn` (the
 *     monotonic clock in ns) right away, fast path included: one pwrite
 *     into the page cache, never synced (every process on the machine
 *     shares it, and nothing survives a reboot that would need it).  A
 *     waiter rereads the record at every wake-up; while `turn` keeps
 *     changing the lock is changing hands, and the waiter's deadline moves
 *     to timeout_ms after the last change.  So the wait ends with
 *     JERRY_ELOCKED only when nobody has taken the lock for timeout_ms: a
 *     stopped or dead-locked holder still times out on time.
 *
 * (2) A queue.  Kernel lock waits wake every waiter at once and the winner
 *     is luck, so under 100 writers some lose again and again.  A writer
 *     whose try-lock fails takes a ticket t (under the record's entry lock,
 *     byte REC of turns.lock: read `next`, write next+1, lock queue byte
 *     (REC, t)), then waits for queue byte (REC, t-1) - held by the waiter
 *     before it until that one has the lock, or dies, or gives up - and
 *     only then blocks on the lock itself, so at most one queued waiter
 *     is ever blocked on it.  Having taken the lock it writes served = t and
 *     drops byte (REC, t), which lets the next one step up while it still
 *     holds the lock: the hand-over is first in, first out, and the longest
 *     wait grows with the queue.  A newcomer's try-lock can still slip in
 *     between two queued holders; that is bounded by how often the lock is
 *     free at the instant a process starts, and it keeps the uncontended
 *     path at one fcntl.  Queue bytes are kernel locks too: a killed
 *     waiter's byte is freed with it.
 *
 * (3) A stuck queue.  A waiter ahead that is stopped (SIGSTOP, ^Z) holds its
 *     queue byte forever while the lock itself is free for anyone's
 *     try-lock.  So a queued waiter that sees the queue not advance
 *     (`served` unchanged) for a stall time (half the timeout, at most
 *     1 s) while the lock changed hands or is free leaves the queue and
 *     waits on the lock directly, as before; it keeps its own queue byte,
 *     so the waiters behind it follow it, not the stopped one.  A lock
 *     that is simply held long (reindex) keeps its queue in order.
 *
 * Only exclusive one-byte locks of items.lock, sequence.lock, index.lock
 * and deps.lock (recognised by the lock file's name) have a record; shared
 * and range locks (check, reindex) wait with a plain timeout.  Without
 * turns.lock (w->turns < 0) every wait is a plain timeout.  Records are
 * per lock, never shared by two locks: a queue that mixed two locks could
 * hold a waiter behind one that waits for a lock the first one holds.
 *
 * How a waiter sleeps: F_OFD_SETLKW cannot time out without a signal, and
 * a library must not install signal handlers.  So
 *
 *  - the caller (the jerry command) has installed a SIGALRM handler
 *    without SA_RESTART and says so: we block in F_OFD_SETLKW, woken the
 *    instant the lock is free, and a periodic ITIMER_REAL tick interrupts
 *    the wait so we can look at the record and the deadline.  The tick
 *    repeats, so a tick that fires just before we block is followed by
 *    another one: no lost wake-up can make the wait unbounded;
 *  - otherwise we poll F_OFD_SETLK with exponential backoff (50 us doubling
 *    to 4 ms) plus jitter.  The jitter keeps a crowd of waiters from waking
 *    in lockstep.
 */
#define _GNU_SOURCE
#include "lock.h"
#include "io.h"
#include "../domain/domain.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define TICK_US 20000
/* A queue that has not moved while the lock changed hands, for this long, is stuck. */
#define STALL_MAX_MS 1000
#define REC_SIZE 16
/* turns.lock bytes [0, QUEUE_BASE) are entry locks, one per record. */
#define QUEUE_BASE ((off_t)1 << 40)
/* Queue bytes: QUEUE_BITS of ticket per record; 4 million waiters before a wrap. */
#define QUEUE_BITS 22
#define REC_LIMIT ((int64_t)1 << 40)
/* What a wait ended with, inside this file. */
enum { W_TAKEN, W_LEFT_QUEUE, W_TIMEOUT, W_FAILED };

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int set_lock(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = start;
	fl.l_len = len;
	return jr_io_lock(fd, cmd, &fl);
}

static int try_lock(int fd, short type, off_t start, off_t len)
{
	return set_lock(fd, F_OFD_SETLK, type, start, len);
}

static int timed_out(int timeout_ms, const char *what, const char *path, jerry_error *err)
{
	jr_error(err, JERRY_ELOCKED,
		 "timed out waiting for the lock on %s ('%s'): it has not changed hands for %d ms",
		 what, path, timeout_ms);
	jr_error_hint(err, "another jerry process holds it; retry later, or raise "
			   "--lock-timeout / JERRY_LOCK_TIMEOUT");
	return JERRY_ELOCKED;
}

/*
 * The record of a lock, from the lock file's name and the byte: -1 for
 * locks without one.  sequence, index and deps come first, then item N.
 */
static int64_t record_of(const char *path, short type, off_t start, off_t len)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	const char *name = slash ? slash + 1 : path;
	if (!name || type != F_WRLCK || len != 1 || start < 0)
		return -1;
	if (strcmp(name, "items.lock") == 0)
		return start >= 1 && start < REC_LIMIT - 3 ? (int64_t)start + 2 : -1;
	if (start != 0)
		return -1;
	if (strcmp(name, "sequence.lock") == 0)
		return 0;
	if (strcmp(name, "index.lock") == 0)
		return 1;
	if (strcmp(name, "deps.lock") == 0)
		return 2;
	return -1;
}

static off_t queue_byte(int64_t rec, uint32_t ticket)
{
	return QUEUE_BASE + ((off_t)rec << QUEUE_BITS) +
	       (off_t)(ticket & ((1u << QUEUE_BITS) - 1));
}

typedef struct rec_state {
	uint32_t next, served;
	uint64_t turn;
} rec_state;

/* A record past the end of the file reads as zeros; -1 on a read error. */
static int rec_read(rec_state *out, int turns, int64_t rec)
{
	unsigned char b[REC_SIZE];
	memset(b, 0, sizeof(b));
	ssize_t n = jr_io_pread(turns, b, sizeof(b), (off_t)rec * REC_SIZE);
	if (n < 0)
		return -1;
	memcpy(&out->next, b, 4);
	memcpy(&out->served, b + 4, 4);
	memcpy(&out->turn, b + 8, 8);
	return 0;
}

/*
 * (1) and (2): a new turn, and served = ticket when we came through the
 * queue.  A failed write only makes waiters less patient (they see no
 * progress), never unsafe, and the lock is ours either way: ignore it.
 */
static void publish(int turns, int64_t rec, int queued, uint32_t ticket)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t turn = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	unsigned char b[12];
	memcpy(b, &ticket, 4);
	memcpy(b + 4, &turn, 8);
	(void)(queued ? jr_io_pwrite_all(turns, b, 12, (off_t)rec * REC_SIZE + 4)
		      : jr_io_pwrite_all(turns, b + 4, 8, (off_t)rec * REC_SIZE + 8));
}

/* One waiter: its lock's record and what it has seen of it. */
typedef struct waiter {
	const jr_lock_wait *w;
	int fd;                    /* the lock waited for */
	off_t start, len;
	int64_t rec;               /* -1: plain timeout */
	rec_state seen;
	int64_t deadline;          /* time out here unless the lock changes hands */
	int64_t stall;             /* (3): leave the queue here, if the lock ...   */
	int turned;                /* ... changed hands since `served` did, or is free */
	int64_t delay;             /* polling backoff, us */
	int error;                 /* errno of a failed fcntl (W_FAILED) */
	uint32_t seed;
} waiter;

static int64_t stall_us(int timeout_ms)
{
	int ms = timeout_ms / 2 < STALL_MAX_MS ? timeout_ms / 2 : STALL_MAX_MS;
	return (int64_t)ms * 1000;
}

/*
 * After a wake-up that did not bring the lock: 0 to go on waiting,
 * W_LEFT_QUEUE when the queue is stuck (in_queue only), W_TIMEOUT at the
 * deadline.
 */
static int waiter_check(waiter *wt, int in_queue)
{
	int64_t now = mono_us();
	rec_state cur;
	if (wt->rec >= 0 && rec_read(&cur, wt->w->turns, wt->rec) == 0) {
		if (cur.turn != wt->seen.turn) {
			wt->seen.turn = cur.turn;
			wt->deadline = now + (int64_t)wt->w->timeout_ms * 1000;
			wt->turned = 1;
		}
		if (cur.served != wt->seen.served) {
			wt->seen.served = cur.served;
			wt->stall = now + stall_us(wt->w->timeout_ms);
			wt->turned = 0;
		}
	}
	if (now >= wt->deadline)
		return W_TIMEOUT;
	if (in_queue && now >= wt->stall &&
	    (wt->turned || jr_lock_held(wt->fd, wt->start, wt->len) == 0))
		return W_LEFT_QUEUE;
	return 0;
}

/* Sleep before the next poll: backoff with jitter, never past the deadline. */
static void poll_sleep(waiter *wt)
{
	int64_t now = mono_us();
	wt->seed ^= wt->seed << 13;
	wt->seed ^= wt->seed >> 17;
	wt->seed ^= wt->seed << 5;
	int64_t sleep_us = wt->delay / 2 + (int64_t)(wt->seed % (uint32_t)(wt->delay / 2 + 1));
	if (now + sleep_us > wt->deadline)
		sleep_us = wt->deadline - now > 0 ? wt->deadline - now : 0;
	struct timespec ts = {(time_t)(sleep_us / 1000000), (long)(sleep_us % 1000000) * 1000};
	nanosleep(&ts, NULL);
	if (wt->delay < 4000)
		wt->delay *= 2;
}

/*
 * Wait for a lock as the waiter says: W_TAKEN, W_LEFT_QUEUE (in_queue
 * only), W_TIMEOUT at the deadline, or W_FAILED with wt->error.
 */
static int wait_for(waiter *wt, int in_queue, int fd, short type, off_t start, off_t len)
{
	int cmd = wt->w->interruptible ? F_OFD_SETLKW : F_OFD_SETLK;
	for (;;) {
		if (set_lock(fd, cmd, type, start, len) == 0)
			return W_TAKEN;
		int e = errno;
		if (e != EINTR && e != EAGAIN && e != EACCES) {
			wt->error = e;
			return W_FAILED;
		}
		int rc = waiter_check(wt, in_queue);
		if (rc)
			return rc;
		if (!wt->w->interruptible)
			poll_sleep(wt);
	}
}

/*
 * (2): take a ticket and lock its queue byte; *queued = 1 and *ticket when
 * that worked.  We wait without the queue when turns.lock cannot be read
 * or written, when a wrapped ticket is still held, or when the entry lock
 * is stuck (W_LEFT_QUEUE).  Returns wait_for's code for the entry lock.
 */
static int enqueue(int *queued, uint32_t *ticket, waiter *wt)
{
	int turns = wt->w->turns;
	int rc = wait_for(wt, 1, turns, F_WRLCK, (off_t)wt->rec, 1);
	*queued = 0;
	if (rc == W_LEFT_QUEUE)
		return W_TAKEN;
	if (rc != W_TAKEN)
		return rc;
	rec_state cur;
	if (rec_read(&cur, turns, wt->rec) == 0) {
		uint32_t next = cur.next + 1;
		if (jr_io_pwrite_all(turns, &next, 4, (off_t)wt->rec * REC_SIZE) == 0 &&
		    try_lock(turns, F_WRLCK, queue_byte(wt->rec, cur.next), 1) == 0) {
			*ticket = cur.next;
			*queued = 1;
		}
	}
	jr_lock_drop(turns, (off_t)wt->rec, 1);
	return W_TAKEN;
}

static int take_slow(int fd, short type, off_t start, off_t len, const jr_lock_wait *w,
		     int64_t rec, const char *what, const char *path, jerry_error *err)
{
	struct itimerval tick = {{0, TICK_US}, {0, TICK_US}}, off = {{0, 0}, {0, 0}};
	waiter wt;
	uint32_t ticket = 0;
	int queued = 0, rc = W_TAKEN;
	memset(&wt, 0, sizeof(wt));
	wt.w = w;
	wt.fd = fd;
	wt.start = start;
	wt.len = len;
	wt.rec = rec;
	wt.delay = 50;
	wt.seed = (uint32_t)getpid() ^ (uint32_t)mono_us();
	if (rec >= 0 && rec_read(&wt.seen, w->turns, rec) < 0)
		wt.rec = -1;
	wt.deadline = mono_us() + (int64_t)w->timeout_ms * 1000;
	wt.stall = mono_us() + stall_us(w->timeout_ms);
	if (w->interruptible && setitimer(ITIMER_REAL, &tick, NULL) < 0)
		return jr_error_sys(err, JERRY_EINTERNAL, errno, "cannot arm the lock timer");
	if (wt.rec >= 0 && (rc = enqueue(&queued, &ticket, &wt)) != W_TAKEN)
		goto out;
	if (queued) {
		off_t ahead = queue_byte(rec, ticket - 1);
		rc = wait_for(&wt, 1, w->turns, F_WRLCK, ahead, 1);
		if (rc == W_TAKEN)
			jr_lock_drop(w->turns, ahead, 1);
		else if (rc != W_LEFT_QUEUE)
			goto out;
	}
	rc = wait_for(&wt, 0, fd, type, start, len);
	if (rc == W_TAKEN && wt.rec >= 0)
		publish(w->turns, rec, queued, ticket);
out:
	/* Right after taking the lock: the next in line steps up while we hold it. */
	if (queued)
		jr_lock_drop(w->turns, queue_byte(rec, ticket), 1);
	if (w->interruptible)
		setitimer(ITIMER_REAL, &off, NULL);
	if (rc == W_TIMEOUT)
		return timed_out(w->timeout_ms, what, path, err);
	if (rc == W_FAILED)
		return jr_error_sys(err, JERRY_ESTORAGE, wt.error, "cannot lock %s ('%s')", what,
				    path);
	return 0;
}

static int take(int fd, short type, off_t start, off_t len, const jr_lock_wait *w,
		const char *what, const char *path, jerry_error *err)
{
#ifdef JERRY_BREAK_LOCKS
	/* Sensitivity build (tests/README.md): no locking at all. */
	(void)fd; (void)type; (void)start; (void)len; (void)w; (void)what; (void)path;
	(void)err; (void)take_slow; (void)record_of;
	return 0;
#endif
	int64_t rec = w->turns >= 0 ? record_of(path, type, start, len) : -1;
	if (try_lock(fd, type, start, len) == 0) {
		if (rec >= 0)
			publish(w->turns, rec, 0, 0);
		return 0;
	}
	int e = errno;
	if (e != EAGAIN && e != EACCES && e != EINTR)
		return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot lock %s ('%s')", what, path);
	if (w->timeout_ms <= 0)
		return timed_out(w->timeout_ms > 0 ? w->timeout_ms : 0, what, path, err);
	return take_slow(fd, type, start, len, w, rec, what, path, err);
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
	if (jr_io_lock(fd, F_OFD_GETLK, &fl) < 0)
		return -1;
	return fl.l_type != F_UNLCK;
}
