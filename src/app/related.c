/*
 * related.c - the items around one item, from the index: its children (the
 * items whose parent it is) and its dependents (the items that depend on
 * it).  `jerry show` lists both.  Also the items a sync renumbered away
 * from a number, and the item of a uid (ADR 0020).
 */
#include "app.h"
#include "../domain/domain.h"

#include <stdlib.h>

/* Is num among the sorted numbers in deps? */
static int depends_on(const jerry_item *it, int64_t num)
{
	size_t lo = 0, hi = it->ndepends;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (it->depends_on[mid] == num)
			return 1;
		if (it->depends_on[mid] < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int jr_app_related(jerry_item ***children, size_t *nchildren, jerry_item ***dependents,
		   size_t *ndependents, const jr_port *port, int64_t num, jerry_error *err)
{
	jerry_item **all = NULL;
	size_t n = 0, nc = 0, nd = 0;
	int rc;
	*children = *dependents = NULL;
	*nchildren = *ndependents = 0;
	if ((rc = port->scan(port->ctx, &all, &n, err)))
		return rc;
	jerry_item **c = calloc(n ? n : 1, sizeof(*c)), **d = calloc(n ? n : 1, sizeof(*d));
	if (!c || !d) {
		free(c);
		free(d);
		jerry_item_array_free(all, n);
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	}
	/* An item may be both: each list then gets its own copy of the summary. */
	for (size_t i = 0; i < n && !rc; i++) {
		jerry_item *it = all[i];
		int child = it->parent == num, dep = depends_on(it, num);
		if (child && dep) {
			jerry_item *copy = NULL;
			if ((rc = port->get(port->ctx, &copy, it->num, err)))
				break;
			c[nc++] = it;
			d[nd++] = copy;
		} else if (child) {
			c[nc++] = it;
		} else if (dep) {
			d[nd++] = it;
		} else {
			jerry_item_free(it);
		}
		all[i] = NULL;
	}
	if (rc) {
		jerry_item_array_free(all, n);
		jerry_item_array_free(c, nc);
		jerry_item_array_free(d, nd);
		return rc;
	}
	free(all);
	*children = c;
	*nchildren = nc;
	*dependents = d;
	*ndependents = nd;
	return 0;
}

/* Is num among the sorted numbers the item was renumbered from? */
static int was_numbered(const jerry_item *it, int64_t num)
{
	for (size_t i = 0; i < it->nrenumbered_from; i++)
		if (it->renumbered_from[i] == num)
			return 1;
	return 0;
}

int jr_app_renumbered_from(jerry_item ***out, size_t *out_n, const jr_port *port, int64_t num,
			   jerry_error *err)
{
	jerry_item **all = NULL;
	size_t n = 0, k = 0;
	int rc;
	*out = NULL;
	*out_n = 0;
	if ((rc = port->scan(port->ctx, &all, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (was_numbered(all[i], num))
			all[k++] = all[i];
		else
			jerry_item_free(all[i]);
	}
	*out = all;
	*out_n = k;
	return 0;
}

int jr_app_uid_find(int64_t *out_num, const jr_port *port, uint64_t uid, jerry_error *err)
{
	jerry_item **all = NULL;
	size_t n = 0;
	int rc;
	*out_num = 0;
	if ((rc = port->scan(port->ctx, &all, &n, err)))
		return rc;
	for (size_t i = 0; i < n && !*out_num; i++)
		if (all[i]->uid == uid)
			*out_num = all[i]->num;
	jerry_item_array_free(all, n);
	if (!*out_num) {
		rc = jr_error(err, JERRY_ENOTFOUND, "no item has uid %llu", (unsigned long long)uid);
		jr_error_hint(err, "'jerry list --all --json' shows every item's uid");
	}
	return rc;
}
