/*
 * filter.h - a jerry_filter checked once and made quick to test: statuses,
 * types and priorities as bit sets, parents as numbers, comma lists split.
 * list (app.c), ready and claim --next (coord.c) all match through it, so
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
};

/* Check every value of f and fill m; 0, JERRY_EINVALID or JERRY_ENOMEM. */
int jr_match_init(struct jr_match *m, const jerry_filter *f, jerry_error *err);
void jr_match_release(struct jr_match *m);
/* Whether the item passes every field but the statuses. */
int jr_match_fields(const struct jr_match *m, const jerry_item *it);
/* Whether the item's status is one of the statuses given (has_status). */
int jr_match_status(const struct jr_match *m, const jerry_item *it);
/* " of type task or bug with label ui and api", for messages; "" for no filter. */
void jr_match_describe(char *buf, size_t size, const struct jr_match *m);

#endif
