/*
 * inspect.c - the use cases that look at what the store recorded: an
 * item's history, every change in the project (the log), and the check
 * (with repair) of the store itself.  The files are the port's business;
 * which items, which of their changes, in what order, and what a port
 * without history or derived state answers, is ours.
 */
#include "app.h"
#include "../domain/domain.h"
#include "../util/array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int jr_app_history(jerry_history_entry **out, size_t *out_n, const jr_port *port, const char *id,
		   jerry_error *err)
{
	int64_t num;
	jerry_item *item = NULL;
	int rc;
	*out = NULL;
	*out_n = 0;
	if ((rc = jerry_id_parse(&num, id, err)) || (rc = port->get(port->ctx, &item, num, err)))
		return rc;
	if (port->history)
		rc = port->history(port->ctx, out, out_n, item, err);
	jerry_item_free(item);
	return rc;
}

int jr_app_check(jerry_report **out, const jr_port *port, int repair, jerry_error *err)
{
	jerry_item **all = NULL;
	size_t n = 0;
	int rc;
	*out = NULL;
	if (port->check)
		return port->check(port->ctx, out, repair, err);
	/* Nothing derived to drift: the report counts the items and finds no problem. */
	jerry_report *r = calloc(1, sizeof(*r));
	if (!r)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	if ((rc = port->scan(port->ctx, &all, &n, err))) {
		free(r);
		return rc;
	}
	jerry_item_array_free(all, n);
	r->items = n;
	*out = r;
	return 0;
}

/*
 * ---- jerry log: every change in the project (ADR 0015) ----------------------
 * The items changed in the window (their updated_at, from the scan), newest
 * first, and their history through the port until `limit` entries are
 * certain: the cost follows the window, not the number of items.
 */

static int newest_item_first(const void *a, const void *b)
{
	const jerry_item *x = *(jerry_item *const *)a, *y = *(jerry_item *const *)b;
	if (x->updated_at != y->updated_at)
		return x->updated_at < y->updated_at ? 1 : -1;
	return (x->num < y->num) - (x->num > y->num);
}

static int newest_entry_first(const void *a, const void *b)
{
	const jerry_log_entry *x = a, *y = b;
	if (x->change.at_ms != y->change.at_ms)
		return x->change.at_ms < y->change.at_ms ? 1 : -1;
	if (x->num != y->num)
		return x->num < y->num ? 1 : -1;
	return (x->change.version < y->change.version) - (x->change.version > y->change.version);
}

static int wanted_by(const jerry_log_query *q, const char *by)
{
	if (!q->nby)
		return 1;
	for (size_t i = 0; i < q->nby; i++)
		if (by && strcmp(q->by[i], by) == 0)
			return 1;
	return 0;
}

struct log_run {
	const jerry_log_query *q;
	jerry_item *const *items;   /* the window's items, newest first */
	size_t nitems;
	jerry_log_entry *e;
	size_t n, cap;
};

/* Sort what r holds, newest first, and keep the newest limit. */
static void log_trim(struct log_run *r)
{
	if (r->n) /* r->e is NULL until the first entry */
		qsort(r->e, r->n, sizeof(*r->e), newest_entry_first);
	if (r->q->limit && r->n > r->q->limit) {
		for (size_t i = r->q->limit; i < r->n; i++)
			jr_history_entry_clear(&r->e[i].change);
		r->n = r->q->limit;
	}
}

/* items[i]'s entries in the window into r (jr_history_fn); 1 when no later item can show. */
static int log_item(void *arg, size_t i, jerry_history_entry *h, size_t nh, jerry_error *err)
{
	struct log_run *r = arg;
	const jerry_item *item = r->items[i];
	for (size_t k = 0; k < nh; k++) {
		jerry_history_entry *e = &h[k];
		if (e->at_ms < r->q->since_ms || !wanted_by(r->q, e->by))
			continue;
		if (JR_ARRAY_GROW(r->e, r->n + 1, r->cap))
			return jr_error(err, JERRY_ENOMEM, "out of memory");
		jerry_log_entry *out = &r->e[r->n++];
		memset(out, 0, sizeof(*out));
		out->num = item->num;
		snprintf(out->id, sizeof(out->id), "%s", item->id);
		out->change = *e;
		memset(e, 0, sizeof(*e)); /* moved */
	}
	/*
	 * Every entry of the next item and after is at or before its
	 * updated_at, and on a tie of a smaller number (both orders put the
	 * higher number first): once limit entries come before that, none of
	 * them can show.
	 */
	if (i + 1 < r->nitems && r->q->limit && r->n >= r->q->limit) {
		const jerry_item *next = r->items[i + 1];
		const jerry_log_entry *last;
		log_trim(r);
		last = &r->e[r->n - 1];
		if (last->change.at_ms > next->updated_at ||
		    (last->change.at_ms == next->updated_at && last->num > next->num))
			return 1;
	}
	return 0;
}

int jr_app_log(jerry_log_entry **out, size_t *out_n, const jr_port *port,
	       const jerry_log_query *q, jerry_error *err)
{
	jerry_item **all = NULL;
	size_t n = 0, k = 0;
	struct log_run r;
	int rc;
	*out = NULL;
	*out_n = 0;
	memset(&r, 0, sizeof(r));
	r.q = q;
	int64_t *nums = calloc(q->nitems ? q->nitems : 1, sizeof(*nums));
	if (!nums)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	for (size_t i = 0; i < q->nitems; i++)
		if ((rc = jerry_id_parse(&nums[i], q->items[i], err))) {
			free(nums);
			return rc;
		}
	if ((rc = port->scan(port->ctx, &all, &n, err)))
		goto out;
	/* The items the window can hold: changed since since_ms (and asked for). */
	for (size_t i = 0; i < n; i++) {
		int keep = all[i]->updated_at >= q->since_ms;
		if (keep && q->nitems) {
			keep = 0;
			for (size_t j = 0; j < q->nitems; j++)
				keep |= nums[j] == all[i]->num;
		}
		if (keep)
			all[k++] = all[i];
		else
			jerry_item_free(all[i]);
	}
	n = k;
	for (size_t j = 0; j < q->nitems; j++) {
		int known = 0;
		for (size_t i = 0; i < n && !known; i++)
			known = all[i]->num == nums[j];
		jerry_item *it = NULL;
		if (!known && (rc = port->get(port->ctx, &it, nums[j], err)))
			goto out; /* no such item */
		jerry_item_free(it);
	}
	if (n)
		qsort(all, n, sizeof(*all), newest_item_first);
	r.items = all;
	r.nitems = n;
	if (n && port->history_each && (rc = port->history_each(port->ctx, all, n, log_item, &r, err)))
		goto out;
	log_trim(&r);
	*out = r.e;
	*out_n = r.n;
	r.e = NULL;
	r.n = 0;
out:
	free(nums);
	jerry_item_array_free(all, n);
	jerry_log_free(r.e, r.n);
	return rc;
}
