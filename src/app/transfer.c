/*
 * transfer.c - export: every item that passes a filter, whole, in number
 * order, one at a time (port->each), handed to the caller's function with
 * its history when asked.  Memory does not grow with the store: one item
 * is held without history, a batch of them with it (index.log is read once
 * a batch, not once an item).
 */
#include "app.h"
#include "filter.h"
#include "../domain/domain.h"

#include <stdlib.h>

/* Items whose history is read in one pass over index.log. */
#define EXPORT_BATCH 256

struct export_run {
	struct jr_match m;
	int all;
	const jr_port *port;
	jr_export_fn fn;
	void *arg;
	jerry_item *batch[EXPORT_BATCH];   /* with history: waiting for it */
	size_t nbatch;
	size_t count;
};

static int give_history(void *arg, size_t i, jerry_history_entry *h, size_t nh, jerry_error *err)
{
	struct export_run *r = arg;
	r->count++;
	return r->fn(r->arg, r->batch[i], h, nh, err);
}

static int flush_batch(struct export_run *r, jerry_error *err)
{
	int rc = 0;
	if (r->nbatch)
		rc = r->port->history_each(r->port->ctx, r->batch, r->nbatch, give_history, r, err);
	for (size_t i = 0; i < r->nbatch; i++)
		jerry_item_free(r->batch[i]);
	r->nbatch = 0;
	return rc;
}

static int export_one(void *arg, const jerry_item *it, jerry_error *err)
{
	struct export_run *r = arg;
	if (!jr_match_listed(&r->m, r->all, it))
		return 0;
	if (!r->port->history_each) {
		r->count++;
		return r->fn(r->arg, it, NULL, 0, err);
	}
	if (!(r->batch[r->nbatch] = jr_item_dup(it)))
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	if (++r->nbatch < EXPORT_BATCH)
		return 0;
	return flush_batch(r, err);
}

int jr_app_export(size_t *out_count, const jr_port *port, const jerry_filter *f, int history,
		  jr_export_fn fn, void *arg, jerry_error *err)
{
	struct export_run *r = calloc(1, sizeof(*r));
	int rc;
	if (out_count)
		*out_count = 0;
	if (!r)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	if ((rc = jr_match_init(&r->m, f, err))) {
		free(r);
		return rc;
	}
	r->all = f->all;
	r->port = port;
	r->fn = fn;
	r->arg = arg;
	if (history) {
		rc = port->each(port->ctx, export_one, r, err);
		if (rc == 0)
			rc = flush_batch(r, err);
	} else {
		/* Without history nothing is batched: each item goes straight out. */
		jr_port plain = *port;
		plain.history_each = NULL;
		r->port = &plain;
		rc = port->each(port->ctx, export_one, r, err);
	}
	for (size_t i = 0; i < r->nbatch; i++)
		jerry_item_free(r->batch[i]);
	if (out_count)
		*out_count = r->count;
	jr_match_release(&r->m);
	free(r);
	return rc > 0 ? 0 : rc;
}

struct line_run {
	struct jr_match m;
	int all;
	jr_line_fn fn;
	void *arg;
	size_t count;
};

static int pick_listed(void *arg, const jerry_item *it)
{
	struct line_run *r = arg;
	return jr_match_listed(&r->m, r->all, it);
}

static int give_line(void *arg, const char *line, size_t len, jerry_error *err)
{
	struct line_run *r = arg;
	r->count++;
	return r->fn(r->arg, line, len, err);
}

int jr_app_export_lines(size_t *out_count, const jr_port *port, const jerry_filter *f,
			jr_export_fn fn, jr_line_fn line, void *arg, jerry_error *err)
{
	if (!port->each_line)
		return jr_app_export(out_count, port, f, 0, fn, arg, err);
	struct line_run r = {.all = f->all, .fn = line, .arg = arg};
	int rc;
	if (out_count)
		*out_count = 0;
	if ((rc = jr_match_init(&r.m, f, err)))
		return rc;
	/* No filter: every line goes out as it is, never read back into an item. */
	rc = port->each_line(port->ctx, jr_match_everything(&r.m, r.all) ? NULL : pick_listed,
			     give_line, &r, err);
	if (out_count)
		*out_count = r.count;
	jr_match_release(&r.m);
	return rc > 0 ? 0 : rc;
}
