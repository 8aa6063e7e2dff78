/*
 * filter.h - a jerry_filter checked once and made quick to test: statuses,
 * types and priorities as bit sets, parents as numbers, comma lists split.
 * list (list.c), ready and claim --next (coord.c) all match through it, so
 * they agree on what a filter with several values means.
 */
#ifndef JERRY_APP_FILTER_H
#define JERRY_APP_FILTER_H

#include "jerry/jerry.h"

struct jr_match {
	int has_status;               /* statuses given (else: the caller's default) */
	unsigned statuses;            /* bit (1u << status) per status allowed       */
	unsigned types;               /* 0: any type                                 */
	unsigned priorities;          /* 0: any priority                             */
	int64_t *parents;             /* any of these; none: any parent              */
	size_t nparents;
	char **labels;                /* all of them (any of them with any_label)    */
	size_t nlabels;
	int any_label;
	const char **assignees;       /* any of these, the filter's own strings      */
	size_t nassignees;
	int mine, unassigned;         /* or assigned to `me`, or to no one           */
	int64_t *skip;                /* never these items                           */
	size_t nskip;
	const char *me;               /* jr_match_who(): the claimer ...             */
	int64_t now;                  /* ... and the time assignments are read at    */
};

/* Check every value of f and fill m; 0, JERRY_EINVALID or JERRY_ENOMEM. */
int jr_match_init(struct jr_match *m, const jerry_filter *f, jerry_error *err);
void jr_match_release(struct jr_match *m);
/*
 * Who "mine" is and when: assignees are then read as they stand at now
 * (jr_assignee_standing: one a stale claim set counts as none).  Without
 * it, "mine" matches nothing and assignees are read as recorded.
 */
void jr_match_who(struct jr_match *m, const char *me, int64_t now);
/* Whether the item is one of the filter's skipped ones. */
int jr_match_skipped(const struct jr_match *m, const jerry_item *it);
/* Whether the item passes every field but the statuses. */
int jr_match_fields(const struct jr_match *m, const jerry_item *it);
/* Whether the item's status is one of the statuses given (has_status). */
int jr_match_status(const struct jr_match *m, const jerry_item *it);
/*
 * Whether list (and export) shows the item: its status is one given, or,
 * when none is, it is open (or any status with `all`); and every other
 * field matches.
 */
int jr_match_listed(const struct jr_match *m, int all, const jerry_item *it);
/* Whether jr_match_listed(m, all, ...) keeps every item whatever it holds. */
int jr_match_everything(const struct jr_match *m, int all);
/* " of type task or bug with label ui and api", for messages; "" for no filter. */
void jr_match_describe(char *buf, size_t size, const struct jr_match *m);

#endif
