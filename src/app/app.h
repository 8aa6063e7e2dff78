/*
 * app.h - the use cases, over any port (port/port.h).  The library's
 * public jerry_* functions (lib/jerry.c) wrap these with the store's port;
 * the unit tests run them over an in-memory one.
 */
#ifndef JR_APP_H
#define JR_APP_H

#include "../port/port.h"

/* rules.c: shared by app.c and coord.c, which never call each other */
/* Who claims: the port's claimer, or its actor. */
const char *jr_app_claimer(const jr_port *port);
/* Whether the caller holds the item's claim: its token, or its name (and session). */
int jr_app_holds(const jr_port *port, const jerry_item *item);
/*
 * Under `it`'s lock: may it move to `to` (the dependency gate, domain.h)?
 * 0, or JERRY_EREFUSED naming the open dependencies ("cannot VERB ...").
 * With force, the override is added to `it` as a note "forced VERB ...".
 */
int jr_app_deps_gate(const jr_port *port, jerry_item *it, jerry_status to, int force,
		     const char *verb, jerry_error *err);

/* app.c */
int jr_app_create(jerry_item **out, const jr_port *port, const jerry_create_spec *spec,
		  jerry_error *err);
int jr_app_show(jerry_item **out, const jr_port *port, const char *id, jerry_error *err);
int jr_app_update(jerry_item **out, const jr_port *port, const char *id,
		  const jerry_change *change, jerry_error *err);
/* jr_app_update with a cascade's outcome: see jerry_update_cascade. */
int jr_app_update_cascade(jerry_item **out, int64_t **out_cascaded, size_t *out_n,
			  const jr_port *port, const char *id, const jerry_change *change,
			  jerry_error *err);

/* list.c */
int jr_app_list(jerry_item ***out, size_t *out_n, const jr_port *port,
		const jerry_filter *filter, jerry_error *err);

/* hierarchy.c */
/* The open items below `root` (children, their children...), summaries in number order. */
int jr_app_open_below(jerry_item ***out, size_t *out_n, const jr_port *port, int64_t root,
		      jerry_error *err);
/* See jerry_parent_closable and jerry_closable. */
int jr_app_parent_closable(jerry_item **out_parent, const jr_port *port, const jerry_item *item,
			   jerry_error *err);
int jr_app_closable(jerry_item ***out, size_t *out_n, const jr_port *port, jerry_error *err);

/* related.c */
int jr_app_related(jerry_item ***children, size_t *nchildren, jerry_item ***dependents,
		   size_t *ndependents, const jr_port *port, int64_t num, jerry_error *err);
/* See jerry_renumbered_from and jerry_id_resolve. */
int jr_app_renumbered_from(jerry_item ***out, size_t *out_n, const jr_port *port, int64_t num,
			   jerry_error *err);
int jr_app_uid_find(int64_t *out_num, const jr_port *port, uint64_t uid, jerry_error *err);
/*
 * What a merge made that no command would (graph.c): parents the rules
 * refuse and dependency cycles, over the index; path holds the item's ID.
 */
int jr_app_graph_problems(jerry_problem **out, size_t *out_n, const jr_port *port,
			  jerry_error *err);

/* coord.c */
int jr_app_claim(jerry_item **out, const jr_port *port, const char *id, int64_t lease_ms,
		 int flags, jerry_error *err);
int jr_app_claim_next(jerry_item **out, const jr_port *port, const jerry_filter *f,
		      int64_t lease_ms, jerry_error *err);
int jr_app_heartbeat(jerry_item **out, const jr_port *port, const char *id, int64_t lease_ms,
		     jerry_error *err);
int jr_app_release(jerry_item **out, const jr_port *port, const char *id, int flags,
		   int64_t if_version, jerry_error *err);
int jr_app_dep_change(jerry_item **out, const jr_port *port, const char *id,
		      const char *const *on, size_t non, int add, jerry_error *err);
int jr_app_dep_tree(jerry_dep_node **out, size_t *out_n, const jr_port *port, const char *id,
		    jerry_error *err);
int jr_app_ready(jerry_item ***out, size_t *out_n, const jr_port *port, const jerry_filter *f,
		 jerry_error *err);
int jr_app_blocked(jerry_item ***out, size_t *out_n, const jr_port *port, jerry_error *err);
int jr_app_waiting_on(jerry_waiting **out, size_t *out_n, const jr_port *port, jerry_error *err);
int jr_app_search(jerry_item ***out, size_t *out_n, const jr_port *port, const char *text,
		  int all, jerry_error *err);

/* brief.c: see jerry_brief_load and jerry_brief_text */
int jr_app_brief(jerry_brief *out, const jr_port *port, int64_t since_ms, jerry_error *err);
void jr_app_brief_release(jerry_brief *brief);
int jr_app_brief_text(char **out, const jerry_brief *brief, const char *me, size_t rows,
		      jerry_error *err);

/* inspect.c: what the store recorded, and whether it is sound */
int jr_app_history(jerry_history_entry **out, size_t *out_n, const jr_port *port, const char *id,
		   jerry_error *err);
/* See jerry_log: the window's items from scan, their changes from history_each. */
int jr_app_log(jerry_log_entry **out, size_t *out_n, const jr_port *port,
	       const jerry_log_query *q, jerry_error *err);
int jr_app_check(jerry_report **out, const jr_port *port, int repair, jerry_error *err);

/*
 * transfer.c: export.  fn(arg, item, history, nh) for every item that
 * passes the filter (as list reads it; sort and limit do not apply), in
 * number order; history is NULL unless asked for.  fn returns 0 to go on,
 * a positive value to stop, or a negative code with err set.
 */
typedef int (*jr_export_fn)(void *arg, const jerry_item *item, const jerry_history_entry *h,
			    size_t nh, jerry_error *err);
/*
 * import.c: see jerry_import.  The records (domain/import_map.h) are the
 * caller's; their drafts' ext objects move into the items written.
 */
struct jr_import_set;
int jr_app_import(jerry_import_result **out, const jr_port *port, struct jr_import_set *set,
		  int dry_run, jerry_error *err);
int jr_app_export(size_t *out_count, const jr_port *port, const jerry_filter *f, int history,
		  jr_export_fn fn, void *arg, jerry_error *err);
/*
 * The same without history, as lines: line(arg, text, len) is lent each
 * item's export line through port->each_line (the store's export cache),
 * or, for a port without one, fn(arg, item, NULL, 0) as jr_app_export.
 */
int jr_app_export_lines(size_t *out_count, const jr_port *port, const jerry_filter *f,
			jr_export_fn fn, jr_line_fn line, void *arg, jerry_error *err);

#endif
