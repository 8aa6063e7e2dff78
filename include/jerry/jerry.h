/*
 * jerry.h - the public face of libjerry, a work tracker that many processes
 * can share without losing a write.
 *
 * Calling conventions (the whole library follows them):
 *
 *  - Every function that can fail returns 0 or a negative jerry_code and, when
 *    `err` is not NULL, fills the caller-owned jerry_error.  The error path
 *    never allocates.  The numeric value of a code, negated, is the exit
 *    status the `jerry` command uses for it (JERRY_ECONFLICT == -4 -> exit 4).
 *  - Out-parameters come first, then the object, then inputs, then the error.
 *  - Objects returned through `**out` are owned by the caller and released
 *    with the matching `_free`, which accepts NULL.
 *  - Nothing here prints, exits, installs signal handlers or keeps global
 *    mutable state.  A jerry_store is not thread-safe: use one per thread.
 *
 * Item identifiers are accepted in any of the spellings "7", "WORK-7",
 * "work-007"; anything else is JERRY_EINVALID.  Canonical form is "WORK-NNN",
 * at least three digits.
 */
#ifndef JERRY_JERRY_H
#define JERRY_JERRY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JERRY_VERSION "0.1.0"

/* Result codes.  Fixed forever: scripts depend on the exit codes. */
typedef enum jerry_code {
	JERRY_OK = 0,
	JERRY_EINTERNAL = -1,  /* a bug or an impossible state           exit 1 */
	JERRY_EINVALID = -2,   /* bad usage or invalid input             exit 2 */
	JERRY_ENOTFOUND = -3,  /* no such item, no store, nothing ready  exit 3 */
	JERRY_ECONFLICT = -4,  /* stale --if-version, claim held         exit 4 */
	JERRY_ELOCKED = -5,    /* a lock was not granted in time         exit 5 */
	JERRY_ESTORAGE = -6,   /* I/O failed, nothing changed            exit 6 */
	JERRY_ECORRUPT = -7,   /* unreadable data on disk                exit 7 */
	JERRY_EDURABLE = -8,   /* committed, durability uncertain        exit 8 */
	JERRY_EREFUSED = -9,   /* a rule refused it (transition, parent) exit 9 */
	JERRY_ENOMEM = -10,    /* out of memory                          exit 1 */
	JERRY_EOUTPUT = -11    /* committed, but the result not delivered exit 10 */
} jerry_code;

/*
 * JERRY_EOUTPUT is never returned by the library's own functions: it is
 * the outcome a face (the `jerry` command, a server) reports when the
 * library committed a change and then the face failed to deliver the
 * result - a failed write of standard output, say.  It is here so that
 * every face gives that outcome the same name and exit status: the change
 * is made, and repeating the command would make it twice.
 */

/* The exit status the CLI uses for a code (0..10). */
int jerry_code_exit_status(int code);
/* A stable machine name for a code: "conflict", "lock_timeout", ... */
const char *jerry_code_name(int code);

/*
 * The exit-status table: one row per code, in the order of the exit
 * status.  It is the one source of what each status means; the two
 * functions above read it, `jerry help exit-codes` prints it, `jerry
 * prime` briefs an agent from it, and tests/system/t0240 holds the
 * tables in README.md, doc/CLI.md, doc/jerry.1 and the skill to it.
 */
typedef struct jerry_exit_row {
	int status;                    /* the exit status, 0..10                  */
	int code;                      /* the jerry_code it stands for            */
	const char *name;              /* jerry_code_name(code)                   */
	const char *meaning;           /* what happened, in one line              */
	const char *advice;            /* what a caller does next, briefly; NULL:
					  not worth an agent's attention (exit 1) */
} jerry_exit_row;

/* The rows, static; *n gets how many. */
const jerry_exit_row *jerry_exit_table(size_t *n);

#define JERRY_ERROR_MSG_MAX 768
#define JERRY_ERROR_DEPS_MAX 32

/* A dependency that is not done, as a refusal to start an item lists it. */
typedef struct jerry_dep_state {
	int64_t num;                   /* 13 for WORK-013                         */
	int status;                    /* its jerry_status, or -1: no such item   */
} jerry_dep_state;

/*
 * What went wrong, in words and in facts.  Fields that do not apply are left
 * at zero / empty.  `message` is a complete sentence fragment in the style
 * "cannot update 'WORK-012': version 4 is stale (now 5)".
 */
typedef struct jerry_error {
	int code;
	int sys_errno;                 /* errno behind a storage error, or 0   */
	char message[JERRY_ERROR_MSG_MAX];
	char hint[256];                /* what to do next, or ""                */
	char item[32];                 /* the item concerned, "WORK-012"       */
	char path[4352];               /* file concerned (corrupt data, I/O)   */
	int line, column;              /* position in `path` for JERRY_ECORRUPT */
	int64_t expected_version;      /* JERRY_ECONFLICT on --if-version      */
	int64_t current_version;
	char holder[192];              /* JERRY_ECONFLICT on a held claim      */
	int64_t holder_expires_ms;
	char allowed[160];             /* JERRY_EREFUSED: allowed transitions, "in_progress, cancelled" */
	/*
	 * The same moves for a program: bit (1u << s) is set for every
	 * jerry_status s the item could move to (0: none, or not a refused
	 * move).  jerry_error_allowed() reads it.
	 */
	unsigned allowed_moves;
	/*
	 * JERRY_EREFUSED by the dependency gate (an item cannot start before
	 * what it depends on is done): the dependencies that are not done,
	 * the first JERRY_ERROR_DEPS_MAX of them, and how many there are.
	 */
	jerry_dep_state open_deps[JERRY_ERROR_DEPS_MAX];
	size_t nopen_deps;
	/*
	 * JERRY_EREFUSED closing (done, cancel) an item with open items below
	 * it: the first JERRY_ERROR_DEPS_MAX of them, and how many there are.
	 */
	jerry_dep_state open_descendants[JERRY_ERROR_DEPS_MAX];
	size_t nopen_descendants;
} jerry_error;

void jerry_error_clear(jerry_error *err);
/*
 * The error object every face shows for a refusal, as JSON text:
 * {"code", "exit", "message"} and what applies of "hint", "item", "path",
 * "line", "column", "expected_version", "current_version", "holder",
 * "holder_expires_at", "open_dependencies", "open_descendants",
 * "allowed" (doc/CLI.md).  `code` is the jerry_code (a code >= 0 counts as
 * JERRY_EINTERNAL); flags as jerry_item_json (JERRY_JSON_COMPACT: one
 * line).  malloc'd; NULL when out of memory.
 */
char *jerry_error_json(int code, const jerry_error *err, int flags);

/* ---- the domain ------------------------------------------------------ */

typedef enum jerry_type {
	JERRY_TYPE_EPIC, JERRY_TYPE_FEATURE, JERRY_TYPE_STORY, JERRY_TYPE_TASK,
	JERRY_TYPE_SUBTASK, JERRY_TYPE_BUG, JERRY_TYPE_SPIKE,
	JERRY_TYPE__COUNT
} jerry_type;

typedef enum jerry_status {
	JERRY_STATUS_PENDING, JERRY_STATUS_IN_PROGRESS, JERRY_STATUS_BLOCKED,
	JERRY_STATUS_DONE, JERRY_STATUS_CANCELLED,
	JERRY_STATUS__COUNT
} jerry_status;

/* Ordered from most to least urgent: the numeric order is the sort order. */
typedef enum jerry_priority {
	JERRY_PRIORITY_CRITICAL, JERRY_PRIORITY_HIGH, JERRY_PRIORITY_MEDIUM,
	JERRY_PRIORITY_LOW,
	JERRY_PRIORITY__COUNT
} jerry_priority;

const char *jerry_type_name(jerry_type t);
const char *jerry_status_name(jerry_status s);
const char *jerry_priority_name(jerry_priority p);
/* Parse a name; return 0 or JERRY_EINVALID. */
int jerry_type_parse(jerry_type *out, const char *name);
int jerry_status_parse(jerry_status *out, const char *name);
int jerry_priority_parse(jerry_priority *out, const char *name);

/* Whether the state machine allows from -> to (from == to is never allowed). */
int jerry_status_can_move(jerry_status from, jerry_status to);
/*
 * The moves a refused transition names (err->allowed_moves) as statuses,
 * in the state machine's order, into out (room for JERRY_STATUS__COUNT);
 * returns how many.
 */
size_t jerry_error_allowed(jerry_status *out, const jerry_error *err);

/* Parse any accepted spelling of an item ID into its number (>= 1). */
int jerry_id_parse(int64_t *out, const char *text, jerry_error *err);
/* Canonical "WORK-007" spelling into buf (at least 24 bytes). */
void jerry_id_format(char *buf, size_t size, int64_t num);

typedef struct jerry_note {
	int64_t at_ms;
	char *by;
	char *text;
} jerry_note;

typedef struct jerry_claim {
	char *by;                /* the claimer's instance name     */
	char *session;           /* and its session                 */
	char *token;             /* the claim token (proof of holding); NULL on old claims */
	int64_t expires_ms;
} jerry_claim;

/*
 * A work item.  Times are milliseconds since the Unix epoch, UTC; 0 means
 * "not set".  A string that is not set is NULL.  Summaries returned by
 * jerry_list() carry everything but `description` and `notes`.
 */
typedef struct jerry_item {
	int64_t num;                  /* 7 for WORK-007                  */
	char id[24];                  /* "WORK-007"                      */
	uint64_t uid;                 /* 64-bit Snowflake-style ID       */
	int64_t version;              /* 1 at creation, +1 per write     */
	char *title;
	char *description;
	jerry_type type;
	jerry_status status;
	jerry_priority priority;
	char **labels;                /* sorted, no duplicates           */
	size_t nlabels;
	char *assignee;
	int64_t parent;               /* 0: none                         */
	int64_t *depends_on;          /* sorted item numbers             */
	size_t ndepends;
	jerry_claim claim;            /* claim.by == NULL: unclaimed     */
	jerry_note *notes;            /* oldest first, append-only       */
	size_t nnotes;
	int64_t created_at, updated_at, completed_at;
	char *created_by, *updated_by;
	char *external_ref;           /* imported: the source's ID ("gh-12"); NULL */
	int64_t *renumbered_from;     /* numbers a sync moved it from, sorted; NULL */
	size_t nrenumbered_from;
	int is_summary;               /* description and notes omitted   */
	void *ext;                    /* unknown keys kept from the file; opaque */
	void (*ext_free)(void *ext);  /* how to release ext                 */
	void *(*ext_dup)(const void *ext); /* a copy of ext (NULL: out of memory) */
} jerry_item;

void jerry_item_free(jerry_item *item);
void jerry_item_array_free(jerry_item **items, size_t n);

/*
 * JSON text of an item in the on-disk schema (doc/FORMAT.md), or of an
 * array of items.  Summaries render without description and notes.
 * JERRY_JSON_COMPACT gives one line; otherwise 2-space indentation.
 * Returns a malloc'd NUL-terminated string, or NULL when out of memory.
 */
#define JERRY_JSON_COMPACT 1
char *jerry_item_json(const jerry_item *item, int flags);
char *jerry_items_json(jerry_item *const *items, size_t n, int flags);
/*
 * The item's JSON text as jerry_item_json gives it, with n members of the
 * face's own appended after the item's: keys[i] set to the JSON text
 * values[i] (children, dependents, a stale claim...), so that a face adds
 * to an item without parsing the library's text back.  NULL when out of
 * memory or when a value is not JSON text.
 */
char *jerry_item_json_with(const jerry_item *item, int flags, const char *const *keys,
			   const char *const *values, size_t n);

/*
 * title cut to at most max characters (UTF-8 aware; "..." marks a cut) into
 * buf of at least 4 * max + 4 bytes; returns buf, or title itself when it
 * fits or max is 0, or "" for NULL.
 */
const char *jerry_title_cut(char *buf, const char *title, size_t max);

/* Format milliseconds as RFC 3339 UTC with milliseconds into buf (>= 32). */
void jerry_time_format(char *buf, size_t size, int64_t ms);
/*
 * `ms` for people, against `now` (jerry_store_now): "just now", "45s ago",
 * "3m ago", "2h ago", "5d ago", "3w ago" (from 14 days), "in 25m" ahead;
 * from 60 days either way the date, "2026-03-14" (UTC).  Into buf (>= 32).
 */
void jerry_time_ago(char *buf, size_t size, int64_t ms, int64_t now);
/*
 * Parse "YYYY-MM-DDTHH:MM:SS[.fff]Z" (or "+00:00"): 0, or JERRY_EINVALID,
 * also for a time at or before 1970-01-01T00:00:00Z (0 means "not set").
 */
int jerry_time_parse(int64_t *out_ms, const char *text);

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

/* ---- history ---------------------------------------------------------- */

/*
 * One field of a change, in words, for a face to show without parsing
 * `changes`: a claim is "BY until WHEN", any other value its compact JSON (a
 * string in quotes); NULL where the entry has no such value.  For
 * "create", `to` is the new item's value.  For notes, `nadded` notes were
 * added and `to` is the text of the first.
 */
typedef struct jerry_field_change {
	char *field;
	char *from;
	char *to;
	size_t nadded;
} jerry_field_change;

/*
 * One acknowledged change to an item.  `changes` is a compact JSON object:
 * for "create" the new item's summary; for "update" one key per changed
 * field, {"from": old, "to": new}, and for notes {"added": [notes]}.
 */
typedef struct jerry_history_entry {
	int64_t version;       /* the version this change produced */
	int64_t at_ms;
	char *by;
	char *op;              /* "create" or "update" */
	char *changes;         /* JSON text */
	jerry_field_change *fields; /* `changes` field by field, in its order */
	size_t nfields;
} jerry_history_entry;

/* Every change to `id`, oldest first, from its append-only history log. */
int jerry_history(jerry_history_entry **out, size_t *out_n, jerry_store *store, const char *id,
		  jerry_error *err);
void jerry_history_free(jerry_history_entry *entries, size_t n);
/*
 * JSON text of one entry: {"version", "at", "by", "op", "changes"} (`by`
 * left out when unknown), with "id" first when id is not NULL (a
 * jerry_log_entry's).  JERRY_JSON_COMPACT gives one line; otherwise 2-space
 * indentation.  A malloc'd string, or NULL when out of memory.
 */
char *jerry_history_json(const jerry_history_entry *entry, const char *id, int flags);

/* ---- a coordinator's view ---------------------------------------------- */

/*
 * The items around `id`, from the index, in ID order: its children (parent
 * is id) and its dependents (depends_on holds id), done and cancelled ones
 * included.  Free both arrays with jerry_item_array_free().
 */
int jerry_related(jerry_item ***children, size_t *nchildren, jerry_item ***dependents,
		  size_t *ndependents, jerry_store *store, const char *id, jerry_error *err);
/*
 * The items a sync renumbered away from `id` (their renumbered_from holds
 * its number; ADR 0020), from the index, in ID order: `jerry show` of an
 * old number names them beside the item that holds it now.  Free with
 * jerry_item_array_free().
 */
int jerry_renumbered_from(jerry_item ***out, size_t *out_n, jerry_store *store, const char *id,
			  jerry_error *err);
/*
 * `ref` as an item ID into buf: "uid:N" is the item whose uid is N (found
 * in the index; JERRY_ENOTFOUND when none), anything else is parsed as an
 * ID (jerry_id_parse).  buf holds at least 24 bytes.
 */
int jerry_id_resolve(char *buf, size_t size, jerry_store *store, const char *ref,
		     jerry_error *err);
/*
 * The item `id` (or "uid:N", jerry_id_resolve) as `jerry show --json`
 * gives it: read from its file, with "children" and "dependents"
 * (jerry_related) as [{"id", "title", "status"}], and, when a sync
 * renumbered other items away from its number, "renumbered_away" of the
 * same shape (jerry_renumbered_from).  *out is malloc'd text; flags as
 * jerry_item_json.
 */
int jerry_show_json(char **out, jerry_store *store, const char *id, int flags, jerry_error *err);

/*
 * jerry_log(): every change in the project, newest first.  The index picks
 * the items changed since `since_ms` (an item's newest entry is its
 * updated_at), and only their history is read, newest item first, until
 * `limit` entries are certain: the cost follows the window asked for.
 */
typedef struct jerry_log_query {
	int64_t since_ms;               /* 0: from the start                 */
	const char *const *by;          /* only changes by one of these      */
	size_t nby;
	const char *const *items;       /* only these items (IDs, any spelling) */
	size_t nitems;
	size_t limit;                   /* 0: no limit                       */
} jerry_log_query;

typedef struct jerry_log_entry {
	int64_t num;                    /* the item changed: 7 for WORK-007  */
	char id[24];
	jerry_history_entry change;
} jerry_log_entry;

int jerry_log(jerry_log_entry **out, size_t *out_n, jerry_store *store,
	      const jerry_log_query *query, jerry_error *err);
void jerry_log_free(jerry_log_entry *entries, size_t n);

/* ---- integrity --------------------------------------------------------- */

typedef struct jerry_problem {
	char kind[32];        /* "corrupt_item", "index_drift", "temp_file",
	                         "duplicate_uid", "corrupt_index", "corrupt_sequence",
	                         "stray_file", "bad_lock"; notices: "temp_file" */
	char path[4352];
	char message[512];
	int repaired;         /* set by jerry_check(.., repair=1) when fixed */
} jerry_problem;

typedef struct jerry_report {
	jerry_problem *problems;
	size_t nproblems;
	size_t items;         /* item files read */
	/*
	 * Information, not problems: what a crash leaves that the next write
	 * cleans up by itself (kind "temp_file": a dead writer's temp file).
	 * They do not make a store unsound; repaired when --repair removed them.
	 */
	jerry_problem *notices;
	size_t nnotices;
} jerry_report;

void jerry_report_free(jerry_report *report);

/*
 * Examine the whole store.  Returns 0 when the check itself ran, whatever it
 * found: look at report->nproblems (report->notices are information only).
 * With repair, fix what can be fixed without losing data (rebuild the
 * index, advance the sequence, remove dead temp files); corrupt item files
 * are never touched.  JERRY_EDURABLE, with the report, when a repair was
 * made but could not be made durable.
 */
int jerry_check(jerry_report **out, jerry_store *store, int repair, jerry_error *err);

/* Rebuild the index from the item files; out_count gets how many items. */
int jerry_reindex(size_t *out_count, jerry_store *store, jerry_error *err);

/* ---- sharing the record across clones (ADR 0020) ---------------------- */

/*
 * What a three-way merge of one file of the record did.  An item file
 * (items/WORK-NNN.json) merges field by field; a history file
 * (history/WORK-NNN.jsonl) keeps every entry of both sides once.
 */
typedef struct jerry_merge_result {
	char id[24];          /* the item the file is about, "WORK-012"        */
	int history;          /* 1: a history file; 0: an item file            */
	int changed;          /* ours was rewritten (0: ours was the result)   */
	int64_t version;      /* an item file: the merged version              */
	unsigned decided;     /* an item file: a bit per field both sides changed
				 apart, decided by a rule; jerry_merge_field() */
	size_t entries;       /* a history file: the entries it now holds      */
} jerry_merge_result;

/*
 * git's merge driver for the record (`jerry merge-file %O %A %B %P`): base,
 * ours and theirs are files, path the file's path in the tree, which says
 * what it is; the result replaces ours (temp file, fsync, rename).  Needs
 * no store.  JERRY_ECONFLICT when both sides created one number as two
 * items (ours is left as it was); JERRY_ECORRUPT for a side that is not
 * an item; JERRY_EINVALID for a path that is neither kind of file.
 */
int jerry_merge_file(jerry_merge_result *out, const char *base, const char *ours,
		     const char *theirs, const char *path, jerry_error *err);
/*
 * The name of the i-th field a merge can decide ("title", "status",
 * "claim" ...), for i from 0 while it is not NULL; bit (1u << i) of
 * jerry_merge_result.decided is that field.
 */
const char *jerry_merge_field(unsigned i);

/* What jerry_git_setup did. */
typedef struct jerry_git_setup_result {
	int config_changed;       /* merge.jerry.* set in the repository's config */
	int attributes_changed;   /* lines added to the data directory's .gitattributes */
	char attributes[4352];    /* that file's path */
	char hooks[4352];         /* the repository's hooks directory */
	/*
	 * Bit i: jerry_git_hook(i) was written (it rebuilds the index after
	 * git changed the record), or is the user's own, left alone, which
	 * lacks that line.
	 */
	unsigned hooks_written, hooks_foreign;
} jerry_git_setup_result;

/*
 * Install `jerry merge-file` as git's merge driver for the store's record:
 * merge.jerry.driver in the repository's config, and `.gitattributes` in
 * the data directory (item and history files: merge=jerry), which
 * is committed with the record; and hooks that run `jerry reindex` after
 * git changed the record (post-merge, post-checkout, post-rewrite), where
 * the repository has none of its own.  Idempotent.  Runs git: JERRY_ESTORAGE
 * when git cannot be run or the store is not in a git repository.
 */
int jerry_git_setup(jerry_git_setup_result *out, jerry_store *store, jerry_error *err);
/* "post-merge", "post-checkout", "post-rewrite", then NULL. */
const char *jerry_git_hook(unsigned i);

/* An item this copy had under a number the remote published another item under. */
typedef struct jerry_sync_renumber {
	int64_t from, to;         /* WORK-042 -> WORK-057                        */
	uint64_t uid;             /* the renumbered item's uid                   */
} jerry_sync_renumber;

/* What a jerry_sync did. */
typedef struct jerry_sync_result {
	char remote[208];
	char commit[72];          /* refs/jerry/data now ("" when nothing to share) */
	int rounds;               /* fetch-merge-push rounds (a rejected push: one more) */
	int pushed;               /* the remote got this copy's changes          */
	int outgoing;             /* this copy had changes since its last sync   */
	size_t incoming;          /* files of the record the remote changed      */
	jerry_merge_result *merged; /* items both sides changed, merged by the rules */
	size_t nmerged;
	jerry_sync_renumber *renumbered;
	size_t nrenumbered;
	/*
	 * After a merge that brought anything in: what it made that no command
	 * would - kind "dependency_cycle" or "parent_rule", path the item's ID,
	 * the message as jerry check words it.  Reported, never repaired: which
	 * link goes is a person's decision (jerry dep remove, update --parent).
	 */
	jerry_problem *problems;
	size_t nproblems;
} jerry_sync_result;

/*
 * Share the record with a git remote (NULL: "origin") on refs/jerry/data:
 * fetch, merge (the rules of jerry_merge_file; an unpublished item under a
 * number the remote published is renumbered), commit, push - never forced,
 * a rejected push fetches and merges again (at most 5 rounds).  HEAD, the
 * user's index and working tree are never touched.  Holds every item lock
 * while it merges.  JERRY_ESTORAGE when git fails or the remote cannot be
 * reached (then nothing changed here).
 */
int jerry_sync(jerry_sync_result **out, jerry_store *store, const char *remote, jerry_error *err);
void jerry_sync_result_free(jerry_sync_result *result);
/* ---- export and import (doc/FORMAT.md "Export files", doc/IMPORT.md) ------- */

/*
 * Where export text goes: write(arg, text, len) returns 0, or -1 with
 * errno set (the export then stops with JERRY_ESTORAGE).
 */
typedef int (*jerry_write_fn)(void *arg, const char *text, size_t len);

/* With each item, its history (every recorded change) under "history". */
#define JERRY_EXPORT_HISTORY 1

/*
 * Every item that passes `filter` (as jerry_list reads it, NULL: the open
 * ones; sort and limit do not apply), whole, as JSON Lines: a header line
 * {"jerry_export":1,"format":1}, then one item a line in number order.
 * Items are read one at a time from their files, so memory does not grow
 * with the store.  *out_count (may be NULL) gets how many items went out.
 */
int jerry_export(size_t *out_count, jerry_store *store, const jerry_filter *filter, int flags,
		 jerry_write_fn write, void *arg, jerry_error *err);
/*
 * The same into the file at path, written whole under a temp name beside
 * it, synced and renamed over it: on failure the old file is untouched.
 */
int jerry_export_file(size_t *out_count, jerry_store *store, const jerry_filter *filter,
		      int flags, const char *path, jerry_error *err);

/* One source item of an import, and what became of it. */
typedef struct jerry_import_row {
	char *ref;                     /* the source's ID, kept as external_ref    */
	char id[24];                   /* the item: "WORK-012"; "" when a dry run would create it */
	const char *action;            /* "create", "update", or "unchanged"       */
	int line;                      /* where it is in the source: a line, an array's element, 1 for a file of a folder */
	char *title;
	char *lost;                    /* what jerry kept only under ext, links left out; NULL: nothing */
} jerry_import_row;

typedef struct jerry_import_result {
	char format[16];               /* "jerry", "beads", "taskwarrior", "github", "backlog" */
	size_t created, updated, unchanged;
	jerry_import_row *rows;        /* in the source's order                   */
	size_t nrows;
} jerry_import_result;

/* Plan only: the result says what would be created and updated; nothing is written. */
#define JERRY_IMPORT_DRY_RUN 1

/*
 * Import the items of another tracker's file, or of a Backlog.md tasks
 * folder (doc/IMPORT.md): `from` is "jerry", "beads", "taskwarrior",
 * "github" or "backlog", or NULL to tell by the content.  Each source item
 * becomes an item whose external_ref is the source's ID, or updates the
 * item that has it already, so importing a file again does not duplicate
 * it.  Parents and dependencies are rebuilt on the new numbers; one the
 * rules refuse (a parent of the wrong type, a cycle, an ID not there) is
 * left out and named in its row's `lost`, never refusing the import.  Bad
 * input (not the format, cut short, invalid UTF-8, a line over 32 MiB, a
 * source ID twice, an item without a title) is JERRY_EINVALID naming the
 * line, and nothing is written.
 */
int jerry_import(jerry_import_result **out, jerry_store *store, const char *path,
		 const char *from, int flags, jerry_error *err);
void jerry_import_result_free(jerry_import_result *result);

#ifdef __cplusplus
}
#endif
#endif
