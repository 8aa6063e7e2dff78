/*
 * domain.h - jerry's pure logic: names, IDs, times, validation, the status
 * state machine and parent rules.  No I/O, no clock, no globals, no JSON.
 *
 * The status state machine (Jerry's work tracker):
 *
 *     from          may move to
 *     pending       in_progress, cancelled
 *     in_progress   blocked, done, cancelled
 *     blocked       in_progress, cancelled
 *     done          in_progress            (reopen)
 *     cancelled     nothing                (terminal)
 *
 * Invariants:
 *  (1) cancelled is terminal; nothing moves an item out of it.
 *  (2) completed_at is set exactly while the status is done.
 *  (3) a transition to the same status is refused, not silently accepted.
 *
 * Parent rules (a parent's type must appear in the child's list):
 *     epic     -> (no parent)
 *     feature  -> epic
 *     story    -> epic, feature
 *     task     -> epic, feature, story
 *     bug      -> epic, feature, story
 *     spike    -> epic, feature, story
 *     subtask  -> task, bug          (a subtask must have a parent)
 * Because every allowed parent type ranks above its child, the parent
 * relation can never form a cycle.
 */
#ifndef JR_DOMAIN_H
#define JR_DOMAIN_H

#include "jerry/jerry.h"
#include <stdarg.h>

/* Limits.  Documented in doc/FORMAT.md and jerry(1). */
#define JR_TITLE_MAX_CHARS 256
#define JR_TEXT_MAX_BYTES (64 * 1024)     /* description, one note */
#define JR_NAME_MAX_BYTES 128             /* assignee, actor, session */
#define JR_LABEL_MAX_BYTES 64
#define JR_LABELS_MAX 4096
#define JR_NOTES_MAX 100000
#define JR_DEPENDS_MAX 1024
#define JR_ITEM_FILE_MAX (32 * 1024 * 1024)
#define JR_ID_MAX 999999999LL
/*
 * An item's version: 1 to 2^53 - 1, the integers every JSON reader (a
 * JavaScript board or MCP client too) reads exactly.  A write never goes
 * past it.
 */
#define JR_VERSION_MAX 9007199254740991LL
#define JR_INSTANCE_MAX 192

/* Set err (when not NULL) and return code: `return jr_error(err, ...)`. */
int jr_error(jerry_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* As jr_error, with errno e appended as ": strerror(e)" and kept. */
int jr_error_sys(jerry_error *err, int code, int e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void jr_error_hint(jerry_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The item the error is about, as its ID (names.c: IDs are formatted there). */
void jr_error_item(jerry_error *err, int64_t num);
/*
 * Hand a failure kept in a scratch error on to err (NULL: nowhere).  A
 * caller tries something into a scratch error when it may forgive the
 * failure (a missing item, a claim lost to another) or must not let it
 * overwrite the failure it already holds; this is the one place the error
 * is copied then.
 */
void jr_error_pass(jerry_error *err, const jerry_error *from);

/*
 * jerry_id_format, the one spelling of an ID, returning its length (as
 * snprintf does: the whole length, although buf got only size - 1 of it).
 */
size_t jr_id_spell(char *buf, size_t size, int64_t num);

/* Frees what one history entry holds and zeroes it (results.c). */
void jr_history_entry_clear(jerry_history_entry *e);

/* Text validation.  `what` names the field in the message. */
int jr_check_utf8(const char *s, size_t len);
int jr_validate_title(const char *title, jerry_error *err);
int jr_validate_text(const char *what, const char *text, jerry_error *err);
int jr_validate_name(const char *what, const char *name, int allow_empty, jerry_error *err);
int jr_validate_label(const char *label, jerry_error *err);

/* The state machine; see the diagram above. */
int jr_status_transition(jerry_item *item, jerry_status to, int64_t now_ms, jerry_error *err);
/*
 * The moves from `from` into err (when not NULL): err->allowed_moves, and
 * err->allowed in words, "in_progress, cancelled" ("none" when there is none).
 */
void jr_error_allowed(jerry_error *err, jerry_status from);

/* Parent rules; see the table above.  parent_type < 0: no parent. */
int jr_parent_allowed(jerry_type child, int parent_type);
int jr_check_parent(const jerry_item *child, jerry_type child_type,
		    const jerry_item *parent, jerry_error *err);
void jr_parent_types(char *buf, size_t size, jerry_type child);

/*
 * The rules a merge can break and no command can (graph_rules.c): every
 * parent exists and is allowed, no dependency cycle.  nums[0..n) ascending;
 * items[i] is item nums[i], or NULL when it cannot be read (then it is
 * neither missing nor walked).  report() is called for each problem, its
 * nonzero return stops the walk and is returned; else 0 or JERRY_ENOMEM.
 */
enum jr_graph_rule { JR_RULE_PARENT, JR_RULE_CYCLE };
typedef int (*jr_rule_report_fn)(void *arg, enum jr_graph_rule rule, const jerry_item *item,
				 const char *message);
int jr_graph_rules(const int64_t *nums, jerry_item *const *items, size_t n,
		   jr_rule_report_fn report, void *arg);

/* Label set operations; labels stay sorted and unique. */
int jr_labels_add(jerry_item *item, const char *label);
int jr_labels_remove(jerry_item *item, const char *label);
int jr_labels_has(const jerry_item *item, const char *label);

int jr_notes_append(jerry_item *item, int64_t at_ms, const char *by, const char *text);

/* Dependency set (sorted item numbers). */
int jr_depends_add(jerry_item *item, int64_t num);
/* A number a sync renumbered the item from (renumbered_from, sorted, once). */
int jr_renumbered_add(jerry_item *item, int64_t num);
int jr_depends_remove(jerry_item *item, int64_t num);

/*
 * The dependency gate (deps.c): an item cannot start before every item it
 * depends on is done.  It guards the moves pending -> in_progress and
 * blocked -> in_progress; a reopen (done -> in_progress) is not a start.
 * Only done satisfies a dependency: cancelled work was never done, so an
 * item waiting on it stays waiting (as `ready` and `blocked` show it) until
 * the dependency is removed or the start is forced.
 *
 * jr_deps_gated: whether the move item->status -> to is guarded at all.
 * jr_deps_gate: status[i] is the status of item->depends_on[i], or -1 for
 * an item that does not exist; 0 when all are done, else JERRY_EREFUSED
 * with err->open_deps and "cannot VERB 'ID': it depends on WORK-013
 * (pending), which is not done".
 * jr_deps_open_text: "WORK-013 (pending) and WORK-014 (missing)" into buf,
 * ending "... and N more" when it does not fit; returns how many are open.
 */
int jr_deps_gated(const jerry_item *item, jerry_status to);
int jr_deps_gate(const jerry_item *item, const int *status, const char *verb, jerry_error *err);
size_t jr_deps_open_text(char *buf, size_t size, const jerry_item *item, const int *status);

/*
 * Work and containers (work.c).  Epics and features are containers: they
 * group work and are never handed out as work by default.  Any item with
 * an open child (one neither done nor cancelled) is a container too while
 * that child is open: a story with open tasks, a task with open subtasks.
 * Everything else - a task, bug, spike, subtask, or a story without open
 * children - is work.
 *
 * jr_is_work: whether `item`, with or without open children, is work.
 * jr_status_open: neither done nor cancelled.
 * jr_children_gated: whether the move item->status -> to closes the item,
 * which its open descendants refuse (done, cancel) unless forced.
 */
int jr_type_container(jerry_type type);
int jr_is_work(const jerry_item *item, int has_open_children);
int jr_status_open(jerry_status status);
int jr_children_gated(const jerry_item *item, jerry_status to);
/*
 * jr_children_gate: `open` lists the n open items below `item` (its open
 * descendants); 0 when there are none, else JERRY_EREFUSED with
 * err->open_descendants and "cannot finish 'ID': 2 items below it are
 * open: WORK-004 (pending) and WORK-005 (in_progress)" (cancel for
 * cancelled).  jr_open_list_text: such a list into buf, ending "... and N
 * more" when it does not fit, or "N NOUN" when not even one fits ("2
 * items", "3 dependencies"); returns n.
 */
int jr_children_gate(const jerry_item *item, jerry_status to, const jerry_dep_state *open,
		     size_t n, jerry_error *err);
size_t jr_open_list_text(char *buf, size_t size, const jerry_dep_state *open, size_t n,
			 const char *noun);

/* Replace a string field (NULL or "" clears when allow_clear). */
int jr_set_str(char **field, const char *value);

/* Deep copy; NULL on allocation failure.  ext is not copied. */
jerry_item *jr_item_dup(const jerry_item *src);
jerry_item *jr_item_new(void);

/* Days from 1970-01-01 to a civil date (jerry_time_parse's arithmetic). */
int64_t jr_days_from_civil(int y, int m, int d);

/* Claims: whether `item` carries a live claim at now_ms. */
int jr_claim_live(const jerry_item *item, int64_t now_ms);
/* A claim is stale when it is recorded but its lease ended (at or before now_ms). */
int jr_claim_stale(const jerry_item *item, int64_t now_ms);
void jr_claim_clear(jerry_item *item);
/*
 * The assignee that stands at now_ms: NULL when there is none, or when it
 * is the holder of a stale claim - an assignee equal to claim.by is the
 * claim's (a claim sets it) and lapses with the lease.
 */
const char *jr_assignee_standing(const jerry_item *item, int64_t now_ms);

/*
 * The three-way merge of one item (merge.c; ADR 0020): base is the item as
 * both sides last had it in common (NULL: both added it), ours and theirs
 * the two sides.  Symmetric: swapping ours and theirs gives the same item.
 * Field by field:
 *  - a field one side changed takes that side's value;
 *  - labels and depends_on merge as sets: a member stays when both sides
 *    keep it or one side added it, so a removal on one side stays removed;
 *  - notes are a union; a note's identity is (at, by, text), and the
 *    merged notes are ordered by it;
 *  - a scalar both sides changed apart takes the later side's value (by
 *    updated_at, then version, then updated_by; on a full tie the larger
 *    value); for title and description the other value becomes a note,
 *    "title (the other side of a merge): ...", stamped with its side;
 *  - status both sides changed apart: the one further along, cancelled >
 *    done > blocked > in_progress > pending; completed_at is set exactly
 *    when the result is done (the earlier completion of two);
 *  - claims both sides changed apart: a live claim (at now_ms) over none;
 *    of two live ones the earlier, the one whose lease ends first; an
 *    assignee the winning claim set follows it; a result that is not in
 *    progress or blocked carries no claim;
 *  - the version is one above both; updated_at and updated_by the later
 *    side's.  ext (unknown keys) is left NULL: the codec merges it.
 * When one side did not change the item, or both made the same, the result
 * is that item as it is (same version).  Two different uids or numbers are
 * JERRY_ECONFLICT: two items, not two versions of one.  *out_decided gets
 * a JR_MERGE_* bit for every field both sides changed apart.
 */
#define JR_MERGE_TITLE (1u << 0)
#define JR_MERGE_DESCRIPTION (1u << 1)
#define JR_MERGE_TYPE (1u << 2)
#define JR_MERGE_PRIORITY (1u << 3)
#define JR_MERGE_STATUS (1u << 4)
#define JR_MERGE_ASSIGNEE (1u << 5)
#define JR_MERGE_PARENT (1u << 6)
#define JR_MERGE_CLAIM (1u << 7)
int jr_item_merge(jerry_item **out, unsigned *out_decided, const jerry_item *base,
		  const jerry_item *ours, const jerry_item *theirs, int64_t now_ms,
		  jerry_error *err);
/* "title" for JR_MERGE_TITLE ... */
const char *jr_merge_field_name(unsigned bit);
/* >0: a is the later side, <0: b is, 0: a tie (see above). */
int jr_merge_side(const jerry_item *a, const jerry_item *b);
/*
 * This copy's item `it` after a sync renumbered this copy's item `from`
 * to `to` (ADR 0020): what this copy wrote since base (base: the item at
 * the last sync; NULL when it is new here) meant the moved item, so a
 * parent or dependency on `from` that base did not have points at `to`,
 * and a note base did not have gets " (now TO)" after each mention of
 * FROM.  What base already had is left: the remote's item keeps `from`.
 * (A note the mention would grow past JR_TEXT_MAX_BYTES is left.)
 * *changed is 1 when it changed; 0, or JERRY_ENOMEM.
 */
int jr_item_follow_renumber(int *changed, jerry_item *it, const jerry_item *base, int64_t from,
			    int64_t to);
/* Whether two items are the same in every known field. */
int jr_item_same(const jerry_item *a, const jerry_item *b);

#endif
