/*
 * port.h - the one door between the use cases (app/) and storage (store/).
 * Both sides include it and neither includes the other: the store
 * implements this struct, the app calls it, and the library's root
 * (lib/jerry.c) hands the one to the other.
 *
 * The app layer never sees a path, a lock or a JSON value: it asks the port
 * to run a pure function over an item *under that item's lock*, and the port
 * takes care of reading the current version, bumping `version`, writing
 * atomically and keeping the index in step.  A test can put an in-memory
 * store behind the same struct.
 */
#ifndef JR_PORT_H
#define JR_PORT_H

#include "jerry/jerry.h"

/*
 * Called with the item as it is now, under its lock.  Change it in place and
 * return 0 to commit, JR_UNCHANGED when there is nothing to write (the item
 * is returned as it is, no version is spent), or a negative code (with err
 * set) to abort with nothing written.  The port then sets version,
 * updated_at and updated_by itself.
 */
#define JR_UNCHANGED 1
typedef int (*jr_apply_fn)(jerry_item *item, void *ctx, jerry_error *err);

/*
 * Given the recorded changes h[0..nh) of items[i] (see history below),
 * oldest first; it may move entries out (zeroing what it took), and the
 * rest are freed when it returns.  0 to go on, a positive value to stop
 * (no later item is read), or a negative code with err set.
 */
typedef int (*jr_history_fn)(void *arg, size_t i, jerry_history_entry *h, size_t nh,
			     jerry_error *err);

/*
 * each_line's: pick(arg, item) says whether an item goes out (nonzero: it
 * does); fn(arg, line, len) is lent its export line, newline included,
 * and returns as each's fn does.
 */
typedef int (*jr_pick_fn)(void *arg, const jerry_item *item);
typedef int (*jr_line_fn)(void *arg, const char *line, size_t len, jerry_error *err);

typedef struct jr_port {
	void *ctx;
	/* Now, in ms since the epoch (a port for tests may fix the clock). */
	int64_t (*now)(void *ctx);
	/* Who acts: the instance name, and the claim session. */
	const char *(*actor)(void *ctx);
	const char *(*session)(void *ctx);
	/* Read one whole item file.  JERRY_ENOTFOUND when there is none. */
	int (*get)(void *ctx, jerry_item **out, int64_t num, jerry_error *err);
	/* Read-modify-write one item under its lock; *out (may be NULL) gets the result. */
	int (*mutate)(void *ctx, jerry_item **out, int64_t num, jr_apply_fn fn, void *arg,
		      jerry_error *err);
	/*
	 * Allocate the next ID and uid, let fill() complete the item (num, id,
	 * uid, version, created_* are already set), and create it; never
	 * replaces an existing item.
	 */
	int (*create)(void *ctx, jerry_item **out, jr_apply_fn fill, void *arg, jerry_error *err);
	/* Every item's summary, from the index, sorted by number. */
	int (*scan)(void *ctx, jerry_item ***out, size_t *out_n, jerry_error *err);
	/*
	 * Run fn under the store-wide dependency lock (taken before any item
	 * lock), so two dependency changes cannot both pass a cycle check.
	 * May be NULL in a single-process port.
	 */
	int (*exclusive)(void *ctx, int (*fn)(void *arg, jerry_error *err), void *arg,
			 jerry_error *err);
	/*
	 * The claimer's name: JERRY_INSTANCE when given, else user@host (no
	 * pid: one agent's successive commands are one claimer).  NULL: actor.
	 */
	const char *(*claimer)(void *ctx);
	/*
	 * 1 when the claimer is a name (--as, JERRY_INSTANCE, derived from
	 * CLAUDE_CODE_SESSION_ID): the name alone holds its claims, from any
	 * session.  0 or NULL: a claim is held by claimer and session.
	 */
	int (*named)(void *ctx);
	/* The claim token the caller offers as proof of holding, or NULL (may be NULL). */
	const char *(*proof)(void *ctx);
	/* A new random claim token into buf (may be NULL: claims get no token). */
	int (*new_token)(void *ctx, char *buf, size_t size, jerry_error *err);
	/*
	 * The recorded changes of item (as get returned it), oldest first, one
	 * per version that has one (see jerry_history).  May be NULL: a port
	 * that keeps no history has none to give.
	 */
	int (*history)(void *ctx, jerry_history_entry **out, size_t *out_n, const jerry_item *item,
		       jerry_error *err);
	/*
	 * The recorded changes of several items (as scan or get gave them),
	 * in one pass: fn(arg, i, ...) for each items[i], in the order given,
	 * until fn says stop.  What the items share (the store's index.log)
	 * is read once, and an item after the stop is not read at all, so
	 * the cost follows the items fn wants.  May be NULL, like history.
	 */
	int (*history_each)(void *ctx, jerry_item *const *items, size_t n, jr_history_fn fn,
			    void *arg, jerry_error *err);
	/*
	 * Examine the storage against the items it holds and, with repair, fix
	 * its derived state (see jerry_check).  May be NULL: a port with no
	 * derived state has nothing to drift.
	 */
	int (*check)(void *ctx, jerry_report **out, int repair, jerry_error *err);
	/*
	 * Every item, whole (as get gives it), one at a time in number order:
	 * fn(arg, item) is lent the item and returns 0 to go on, a positive
	 * value to stop, or a negative code with err set.  Memory does not
	 * grow with the items: only one is held at a time.  An item that
	 * cannot be read is an error, not skipped: an export leaves nothing
	 * out without saying so.
	 */
	int (*each)(void *ctx, int (*fn)(void *arg, const jerry_item *item, jerry_error *err),
		    void *arg, jerry_error *err);
	/*
	 * n new items at once (an import): every number and uid is handed
	 * out first, into out_nums[0..n), then fill(item, arg, i) completes
	 * the i-th (as create's fill; it may read out_nums), and the items
	 * are written with syncs that do not grow with n item by item.  Each
	 * item is created as create would; a failure part way leaves the
	 * items before it created, each whole.  May be NULL: the caller
	 * creates one at a time.
	 */
	int (*create_many)(void *ctx, int64_t *out_nums, size_t n,
			   int (*fill)(jerry_item *item, void *arg, size_t i, jerry_error *err),
			   void *arg, jerry_error *err);
	/*
	 * export without history: each item's export line (the bytes
	 * `jerry export` writes for it, its history left out), in number
	 * order, for every item pick keeps (every item when pick is NULL),
	 * as each would give them.  The port may take the lines from a
	 * derived copy it keeps (the store's export cache) instead of
	 * reading every item.  May be NULL: the caller goes through each.
	 */
	int (*each_line)(void *ctx, jr_pick_fn pick, jr_line_fn fn, void *arg, jerry_error *err);
	/*
	 * Run fn holding the store's import lock (taken before every other
	 * lock, its wait bounded as theirs), with every import a dead
	 * importer committed already published: two imports, which match
	 * records to items by external_ref, never plan at once.  May be
	 * NULL in a single-process port.
	 */
	int (*importing)(void *ctx, int (*fn)(void *arg, jerry_error *err), void *arg,
			 jerry_error *err);
} jr_port;

#endif

