/*
 * jerry/open.h - finding, creating and opening a store.
 * Part of libjerry's public API: include "jerry/jerry.h", which includes
 * every part and says the conventions they all follow.
 */
#ifndef JERRY_OPEN_H
#define JERRY_OPEN_H

#include <stddef.h>
#include <stdint.h>
#include "jerry/items.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the store --------------------------------------------------------- */

typedef struct jerry_store jerry_store;

typedef struct jerry_open_opts {
	const char *data_dir;     /* the data directory itself, or NULL to search */
	const char *project;      /* JERRY_PROJECT, or NULL                       */
	const char *start_dir;    /* where the upward search starts; NULL: cwd    */
	int lock_timeout_ms;      /* < 0: the default (10,000 ms)                 */
	/*
	 * The acting name; NULL: a name derived from CLAUDE_CODE_SESSION_ID
	 * ("claude-" and its first 8 characters) when that is set, else
	 * user@host:pid.  A given or derived name alone is the claimer; only
	 * user@host is qualified by the session (ADR 0012).
	 */
	const char *instance;
	const char *session;      /* claim session; NULL: derived per process tree */
	const char *claim_token;  /* proof of holding a claim (jerry claim's token), or NULL */
	int sync;                 /* 1 (default when opts is NULL): fsync; 0: none */
	/*
	 * 1: the caller has installed a SIGALRM handler without SA_RESTART,
	 * so lock waits may block in the kernel (woken the moment a lock is
	 * free) with a periodic ITIMER_REAL tick bounding them.  0 (default):
	 * waits poll with backoff and touch no signal or timer.
	 */
	int lock_wait_interruptible;
} jerry_open_opts;

void jerry_open_opts_init(jerry_open_opts *opts);

/*
 * Create a store (idempotent): with opts->data_dir, exactly there; otherwise
 * `.jerry/data` in start_dir (or `projects/<project>/.jerry/data` when a
 * project is named).  `out_dir` (may be NULL) receives the directory,
 * `out_created` whether anything was new.
 */
int jerry_store_init(char *out_dir, size_t out_size, int *out_created,
		     const jerry_open_opts *opts, jerry_error *err);

/* Find and open an existing store; JERRY_ENOTFOUND when there is none. */
int jerry_store_open(jerry_store **out, const jerry_open_opts *opts, jerry_error *err);
void jerry_store_free(jerry_store *store);
const char *jerry_store_dir(const jerry_store *store);
const char *jerry_store_instance(const jerry_store *store);
/* The name claims are recorded under: the instance, without a default's ":pid". */
const char *jerry_store_claimer(const jerry_store *store);
/*
 * Now, in ms since the epoch, by the clock the store judges leases and
 * stamps changes by: what jerry_claim_live() and jerry_claim_stale() are
 * to be asked against, and where a window such as "the last day" starts.
 */
int64_t jerry_store_now(jerry_store *store);
/* 1 when the claimer is a name (given or derived), which no session qualifies. */
int jerry_store_named(const jerry_store *store);
/*
 * A short text that changes whenever any process commits a write to the
 * store, at the cost of a stat or two and no read: a face that shows the
 * store live (jerry serve) asks it often and reloads when it differs.
 * Equal stamps mean nothing was committed in between.  out gets at least
 * JERRY_STAMP_MAX bytes.
 */
#define JERRY_STAMP_MAX 128
int jerry_store_stamp(char *out, size_t size, jerry_store *store, jerry_error *err);

#ifdef __cplusplus
}
#endif
#endif
