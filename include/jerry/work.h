/*
 * jerry/work.h - use cases: create, show, update, list; claims, dependencies, ready work.
 * Part of libjerry's public API: include "jerry/jerry.h", which includes
 * every part and says the conventions they all follow.
 */
#ifndef JERRY_WORK_H
#define JERRY_WORK_H

#include <stddef.h>
#include <stdint.h>
#include "jerry/open.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- use cases --------------------------------------------------------- */

typedef struct jerry_create_spec {
	const char *title;
	const char *description;       /* NULL: none                      */
	const char *type;              /* NULL: "task"                    */
	const char *priority;          /* NULL: "medium"                  */
	const char *const *labels;
	size_t nlabels;
	const char *parent;            /* an ID in any spelling, or NULL  */
	const char *assignee;
} jerry_create_spec;

int jerry_create(jerry_item **out, jerry_store *store,
		 const jerry_create_spec *spec, jerry_error *err);

/* Read one item from its file (never from the index). */
int jerry_show(jerry_item **out, jerry_store *store, const char *id, jerry_error *err);

/*
 * A change to one item.  Every NULL / zero field is left alone.  The change
 * is applied to the item as it is under the item's lock, so two changes to
 * different fields never lose each other.  With has_if_version, the change
 * applies only when the item's version is still if_version (JERRY_ECONFLICT
 * otherwise, nothing written).
 */
typedef struct jerry_change {
	const char *title;
	const char *description;       /* "" clears it                    */
	const char *type;
	const char *priority;
	const char *status;            /* goes through the state machine  */
	const char *assignee;          /* "" clears it                    */
	const char *parent;            /* "" clears it                    */
	const char *const *add_labels;
	size_t nadd_labels;
	const char *const *remove_labels;
	size_t nremove_labels;
	const char *note;              /* appended to notes               */
	const char *block_reason;      /* with status blocked, done, cancelled: a note "STATUS: why" */
	/*
	 * With status: apply only if the item is now in this status (reopen is
	 * "in_progress from done"); otherwise JERRY_EREFUSED, nothing written.
	 */
	const char *from_status;
	int has_if_version;
	int64_t if_version;
	/*
	 * Act although another holds a live claim, or - for a move from
	 * pending or blocked to in_progress - although a dependency is not
	 * done, or - for done and cancelled - although items below it are
	 * open (they stay open).  An override is recorded as a note on the item.
	 */
	int force;
	/*
	 * With status cancelled: cancel every open item below this one too,
	 * each under its own lock, with its own history entry and a note.
	 * Refused (nothing changed) while one of them is claimed live by
	 * someone else, unless force.
	 */
	int cascade;
} jerry_change;

int jerry_update(jerry_item **out, jerry_store *store, const char *id,
		 const jerry_change *change, jerry_error *err);
/*
 * Closing an item (done, cancelled) is JERRY_EREFUSED while an item below
 * it - a child, a child's child - is open (err->open_descendants), unless
 * change->force or, for cancelled, change->cascade.  As jerry_update;
 * *out_cascaded (may be NULL; free() it) gets the numbers of the items a
 * cascade cancelled, *out_n how many.  When the item was cancelled but
 * one below it could not be (claimed or changed meanwhile), the code of
 * that failure, with the item named in err; the rest were cancelled.
 */
int jerry_update_cascade(jerry_item **out, int64_t **out_cascaded, size_t *out_n,
			 jerry_store *store, const char *id, const jerry_change *change,
			 jerry_error *err);
/*
 * After `item` was closed: the open parent whose children are now all
 * closed, for someone to close (it is never closed by itself), as a
 * summary from the index; NULL when there is none.
 */
int jerry_parent_closable(jerry_item **out_parent, jerry_store *store, const jerry_item *item,
			  jerry_error *err);
/*
 * Open items that have children, every one of them done or cancelled:
 * parents waiting for someone to close them.  Summaries, from the index.
 */
int jerry_closable(jerry_item ***out, size_t *out_n, jerry_store *store, jerry_error *err);

/*
 * Listing filters; zero / NULL fields do not filter.  A field an item has
 * one of (status, type, priority, assignee, parent) matches when it is ANY
 * of the values given for it; labels match when the item has ALL of them,
 * or any of them with any_label.  Each single field below may be a comma
 * list ("task,bug"), and each array adds more values to it, every string of
 * which may be a comma list too - except assignees, which are names taken
 * whole.  Unknown statuses, types and priorities and bad IDs are
 * JERRY_EINVALID, whichever value they are.
 */
typedef struct jerry_filter {
	const char *statuses;          /* "pending,blocked"; NULL: open ones  */
	int all;                       /* include done and cancelled          */
	const char *type;
	const char *label;
	const char *assignee;
	const char *priority;
	const char *parent;
	const char *sort;              /* id (default), priority, updated, created, status, title */
	size_t limit;                  /* 0: no limit                         */
	const char *const *status_list;  /* more statuses                       */
	size_t nstatus_list;
	const char *const *types;        /* more types                          */
	size_t ntypes;
	const char *const *labels;       /* more labels                         */
	size_t nlabels;
	int any_label;                   /* labels: any of them, not all        */
	const char *const *assignees;    /* more assignees                      */
	size_t nassignees;
	const char *const *priorities;   /* more priorities                     */
	size_t npriorities;
	const char *const *parents;      /* more parents                        */
	size_t nparents;
	/*
	 * ready and claim --next: include containers - epics, features and
	 * any item with an open child - which are not work (see jerry_ready).
	 */
	int containers;
	/*
	 * Assignment (ready, claim --next).  mine: assigned to this store's
	 * claimer (jerry_store_claimer); unassigned: assigned to no one.  With
	 * assignee(s) they mean "any of these".  An assignee that a claim set
	 * (assignee == claim.by) lapses with the claim's lease: the item then
	 * counts as unassigned.  jerry_claim_next() never takes an item
	 * assigned to someone else unless any_assignee.
	 */
	int mine;
	int unassigned;
	int any_assignee;
	const char *const *skip;         /* claim --next / ready: never these IDs */
	size_t nskip;
} jerry_filter;

/* Summaries from the index, never from every item file. */
int jerry_list(jerry_item ***out, size_t *out_n, jerry_store *store,
	       const jerry_filter *filter, jerry_error *err);

/* ---- coordination: claims, dependencies, ready work ------------------------ */

#define JERRY_DEFAULT_LEASE_MS (30LL * 60 * 1000)

/* "1500ms", "90s", "30m", "2h", "1d", "1w" -> milliseconds (> 0, at most a year). */
int jerry_duration_parse(int64_t *out_ms, const char *text);

/*
 * Claim an item for this instance and session for lease_ms (<= 0: the
 * default, 30 minutes).  Succeeds when the item is unclaimed, its lease has
 * expired, or the caller already holds it (then the lease is renewed).
 * Sets the assignee and moves a pending item to in_progress.
 * JERRY_ECONFLICT when someone else holds a live claim (err->holder,
 * err->holder_expires_ms); JERRY_EREFUSED for a done or cancelled item, and
 * for a pending item that depends on one not done (err->open_deps), unless
 * flags has JERRY_CLAIM_FORCE, which records the override as a note.
 * Exactly one of any number of concurrent claimers wins.
 */
#define JERRY_CLAIM_FORCE 1
int jerry_claim_take(jerry_item **out, jerry_store *store, const char *id, int64_t lease_ms,
		     int flags, jerry_error *err);
/*
 * Claim the best ready item (see jerry_ready; the same filter fields apply).
 * An item whose claim went stale is taken over in its priority order; the
 * new claim replaces the old one under the item's lock and a note records
 * who lost it ("reclaimed from NAME (lease expired at TIME)").  Items
 * assigned to someone other than the claimer are left alone unless
 * filter->any_assignee.  Concurrent callers always get different items.
 * JERRY_ENOTFOUND when nothing is ready.
 */
int jerry_claim_next(jerry_item **out, jerry_store *store, const jerry_filter *filter,
		     int64_t lease_ms, jerry_error *err);
/* Extend the caller's own claim; JERRY_ECONFLICT for anyone else. */
int jerry_claim_heartbeat(jerry_item **out, jerry_store *store, const char *id, int64_t lease_ms,
		    jerry_error *err);
/*
 * Give an item back, claimed or not (ADR 0016): its claim is cleared, an
 * assignee that is the holder's or the caller's is cleared, and an item in
 * progress returns to pending, ready for someone else - the only way from
 * in_progress back to pending.  JERRY_ECONFLICT when someone else holds a
 * live claim (unless flags has JERRY_CLAIM_FORCE, recorded as a note) and
 * for a pending or blocked item that is not claimed; JERRY_EREFUSED for a
 * done or cancelled item.  Clearing another's expired claim is allowed and
 * recorded as a note.  if_version > 0: only while the item is at that
 * version (a page that showed it), else JERRY_ECONFLICT, as an update's.
 */
int jerry_claim_release(jerry_item **out, jerry_store *store, const char *id, int flags,
			int64_t if_version, jerry_error *err);
/*
 * Whether the item's claim is live at now_ms (ms since the epoch): the one
 * liveness rule.  A claim recorded but not live is stale: its item is ready
 * work again.
 */
int jerry_claim_live(const jerry_item *item, int64_t now_ms);
/* Whether the item carries a claim that is not live at now_ms: a stale one. */
int jerry_claim_stale(const jerry_item *item, int64_t now_ms);
/*
 * Why the item was moved to `status`: the text of its latest note
 * "STATUS: why" (what jerry_update() writes for block_reason), after the
 * prefix; NULL when there is none.  A summary carries no notes: ask the
 * whole item (jerry_show()).
 */
const char *jerry_item_reason(const jerry_item *item, jerry_status status);

/*
 * `id` cannot start before `on` is done: jerry_update() to in_progress from
 * pending or blocked, and jerry_claim_take() of a pending item, are
 * JERRY_EREFUSED while `on` is anything but done (cancelled included), unless
 * forced.  A cycle is JERRY_EREFUSED, naming it.
 */
int jerry_dep_add(jerry_item **out, jerry_store *store, const char *id, const char *on,
		  jerry_error *err);
int jerry_dep_remove(jerry_item **out, jerry_store *store, const char *id, const char *on,
		     jerry_error *err);
/*
 * Several dependencies of `id` in one change: all of them or none, one new
 * version (none when nothing changes).  Any unknown or invalid OTHER, or
 * any one that would close a cycle, refuses the whole change.
 */
int jerry_dep_add_many(jerry_item **out, jerry_store *store, const char *id,
		       const char *const *on, size_t non, jerry_error *err);
int jerry_dep_remove_many(jerry_item **out, jerry_store *store, const char *id,
			  const char *const *on, size_t non, jerry_error *err);

/* One node of a dependency tree: `item` (a summary) at `depth`, reached from `via`. */
typedef struct jerry_dep_node {
	jerry_item *item;
	int depth;                 /* 0: the root item itself */
	int64_t via;               /* the item that depends on this one; 0 for the root */
} jerry_dep_node;

/* Everything `id` waits for, transitively, depth-first; from the index. */
int jerry_dep_tree(jerry_dep_node **out, size_t *out_n, jerry_store *store, const char *id,
		   jerry_error *err);
void jerry_dep_nodes_free(jerry_dep_node *nodes, size_t n);
/*
 * The JSON every face shows for these results (the `jerry` command's
 * --json, `jerry mcp`'s tool results), malloc'd, NULL when out of memory;
 * flags as jerry_item_json.  jerry_ready_item_json: an item of
 * jerry_ready(), with "stale_claim": {"by", "expired_at"} when it still
 * carries a claim (one that went stale).  jerry_dep_tree_json: the nodes
 * as [{"id", "title", "status", "depth", "via"}].
 */
char *jerry_ready_item_json(const jerry_item *item, int flags);
char *jerry_dep_tree_json(const jerry_dep_node *nodes, size_t n, int flags);

/*
 * Ready work: pending items with no live claim, and in_progress items whose
 * claim is stale (its lease ended: claim.by is still set), whose
 * dependencies are all done, best first (priority, then oldest, then
 * number).  Every filter field but the statuses, `all`, `sort` and
 * `any_assignee` applies.  From the index only.
 * Only work is ready: not an epic or a feature, nor any item with an open
 * child (neither done nor cancelled) - unless filter->containers.
 */
int jerry_ready(jerry_item ***out, size_t *out_n, jerry_store *store,
		const jerry_filter *filter, jerry_error *err);
/* Open items that wait: status blocked, or a dependency not yet done. */
int jerry_blocked(jerry_item ***out, size_t *out_n, jerry_store *store, jerry_error *err);

/* A dependency that is not done, as jerry_waiting_on() names it. */
typedef struct jerry_blocker {
	int64_t num;                   /* 13 for WORK-013                          */
	jerry_item *item;              /* its summary, or NULL: there is no such item */
} jerry_blocker;

/* An open item that waits, and what it waits for. */
typedef struct jerry_waiting {
	jerry_item *item;              /* the item, a summary                      */
	jerry_blocker *blockers;       /* its dependencies not done, in depends_on order */
	size_t nblockers;              /* 0 for an item only marked blocked        */
} jerry_waiting;

/*
 * jerry_blocked() with each item's open dependencies, from one read of
 * the index: the items in the same order.  Free with jerry_waiting_free().
 */
int jerry_waiting_on(jerry_waiting **out, size_t *out_n, jerry_store *store, jerry_error *err);
void jerry_waiting_free(jerry_waiting *waiting, size_t n);
/*
 * One waiting item's JSON text, as `jerry blocked --json` gives it: the
 * item with "waiting_on": [{"id", "status"}] (status "missing" for no such
 * item).  Flags as jerry_item_json; NULL when out of memory.
 */
char *jerry_waiting_json(const jerry_waiting *waiting, int flags);

/*
 * What `summary` and `prime` report, and what a face shows a newcomer: the
 * store at one moment.  The lists borrow from one read of the index, except
 * ready and closable; all of it goes with jerry_brief_release().
 */
typedef struct jerry_brief {
	int64_t now;                   /* the store's clock when it was read       */
	int64_t since;                 /* changed: updated at or after this        */
	size_t total;                  /* items in the store                       */
	size_t counts[JERRY_STATUS__COUNT]; /* items per status                    */
	jerry_item **changed;          /* updated since `since`, newest first      */
	size_t nchanged;
	jerry_item **claimed;          /* items carrying a claim (live or not), by number */
	size_t nclaimed;
	jerry_item **stale;            /* the claims whose lease ended (jerry_claim_stale) */
	size_t nstale;
	jerry_item **ready;            /* the top of jerry_ready(), best first     */
	size_t nready;
	jerry_item **closable;         /* open parents whose children are all closed */
	size_t nclosable;
	size_t nblocked;               /* open items that wait (jerry_blocked)     */
	jerry_item **all_;             /* private: what the lists borrow from      */
	size_t nall_;
} jerry_brief;

/* How many ready items a brief holds. */
#define JERRY_BRIEF_READY 5

/* The brief, with changes counted over the last since_ms milliseconds (> 0). */
int jerry_brief_load(jerry_brief *out, jerry_store *store, int64_t since_ms, jerry_error *err);
void jerry_brief_release(jerry_brief *brief);

/*
 * The state part of the briefing `prime` gives an agent named `me`, as
 * text: the counts, its claims, others' claims, stale claims and the ready
 * queue, each list cut at `rows` lines (then "... and N more") and titles
 * at 60 characters.  Says nothing of how to act: each face adds that.
 * *out is the caller's to free.
 */
int jerry_brief_text(char **out, const jerry_brief *brief, const char *me, size_t rows,
		     jerry_error *err);

/*
 * Case-insensitive search in titles, descriptions and notes.  Without `all`,
 * done and cancelled items are left out.  Returns whole items.
 */
int jerry_search(jerry_item ***out, size_t *out_n, jerry_store *store, const char *text,
		 int all, jerry_error *err);

#ifdef __cplusplus
}
#endif
#endif
