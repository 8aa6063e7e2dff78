/*
 * inspect.c - the use cases that look at what the store recorded: an
 * item's history, and the check (with repair) of the store itself.  The
 * files are the port's business; which item, and what a port without
 * history or derived state answers, is ours.
 */
#include "app.h"
#include "../domain/domain.h"

#include <stdlib.h>

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
