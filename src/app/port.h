/*
 * port.h - the one door between the use cases (app/) and storage (store/).
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
} jr_port;

/* Whether the caller holds the item's claim: its token, or its name (and session). */
int jr_app_holds(const jr_port *port, const jerry_item *item);

/* The store's port (store/store.c): the one wiring point of the library. */
const jr_port *jr_store_port(jerry_store *store);

/* The use cases over any port.  The public jerry_* functions wrap these. */
int jr_app_create(jerry_item **out, const jr_port *port, const jerry_create_spec *spec,
		  jerry_error *err);
int jr_app_show(jerry_item **out, const jr_port *port, const char *id, jerry_error *err);
int jr_app_update(jerry_item **out, const jr_port *port, const char *id,
		  const jerry_change *change, jerry_error *err);
int jr_app_list(jerry_item ***out, size_t *out_n, const jr_port *port,
		const jerry_filter *filter, jerry_error *err);
/* jr_app_update with a cascade's outcome: see jerry_update_cascade. */
int jr_app_update_cascade(jerry_item **out, int64_t **out_cascaded, size_t *out_n,
			  const jr_port *port, const char *id, const jerry_change *change,
			  jerry_error *err);
/* See jerry_parent_closable and jerry_closable. */
int jr_app_parent_closable(jerry_item **out_parent, const jr_port *port, const jerry_item *item,
			   jerry_error *err);
int jr_app_closable(jerry_item ***out, size_t *out_n, const jr_port *port, jerry_error *err);
/*
 * Under `it`'s lock: may it move to `to` (the dependency gate, domain.h)?
 * 0, or JERRY_EREFUSED naming the open dependencies ("cannot VERB ...").
 * With force, the override is added to `it` as a note "forced VERB ...".
 */
int jr_app_deps_gate(const jr_port *port, jerry_item *it, jerry_status to, int force,
		     const char *verb, jerry_error *err);

/* related.c */
int jr_app_related(jerry_item ***children, size_t *nchildren, jerry_item ***dependents,
		   size_t *ndependents, const jr_port *port, int64_t num, jerry_error *err);

/* coord.c */
int jr_app_claim(jerry_item **out, const jr_port *port, const char *id, int64_t lease_ms,
		 int flags, jerry_error *err);
int jr_app_claim_next(jerry_item **out, const jr_port *port, const jerry_filter *f,
		      int64_t lease_ms, jerry_error *err);
int jr_app_heartbeat(jerry_item **out, const jr_port *port, const char *id, int64_t lease_ms,
		     jerry_error *err);
int jr_app_release(jerry_item **out, const jr_port *port, const char *id, int flags,
		   jerry_error *err);
int jr_app_dep_change(jerry_item **out, const jr_port *port, const char *id,
		      const char *const *on, size_t non, int add, jerry_error *err);
int jr_app_dep_tree(jerry_dep_node **out, size_t *out_n, const jr_port *port, const char *id,
		    jerry_error *err);
int jr_app_ready(jerry_item ***out, size_t *out_n, const jr_port *port, const jerry_filter *f,
		 jerry_error *err);
int jr_app_blocked(jerry_item ***out, size_t *out_n, const jr_port *port, jerry_error *err);
int jr_app_search(jerry_item ***out, size_t *out_n, const jr_port *port, const char *text,
		  int all, jerry_error *err);

#endif
