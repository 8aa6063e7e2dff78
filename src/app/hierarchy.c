/*
 * hierarchy.c - parents and children, read from the index: the open items
 * below an item (which update's children gate and cancel --cascade ask
 * for), and the parents whose children are all closed (jerry_closable).
 */
#include "app.h"
#include "../domain/domain.h"

#include <stdlib.h>

static int cmp_num(const void *a, const void *b)
{
	const jerry_item *x = *(jerry_item *const *)a, *y = *(jerry_item *const *)b;
	return (x->num > y->num) - (x->num < y->num);
}

/* Position of num in all[] (sorted by number), or n. */
static size_t find_num(jerry_item **all, size_t n, int64_t num)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (all[mid]->num < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && all[lo]->num == num ? lo : n;
}

/* Every summary, sorted by number (the port gives them so; one that does not costs a sort). */
static int scan_sorted(jerry_item ***all, size_t *n, const jr_port *port, jerry_error *err)
{
	int rc = port->scan(port->ctx, all, n, err);
	if (rc)
		return rc;
	for (size_t i = 1; i < *n; i++)
		if ((*all)[i - 1]->num >= (*all)[i]->num) {
			qsort(*all, *n, sizeof(**all), cmp_num);
			break;
		}
	return 0;
}

/* One pass over the summaries per level: parents rank above their children (domain.h). */
int jr_app_open_below(jerry_item ***out, size_t *out_n, const jr_port *port, int64_t root,
		      jerry_error *err)
{
	jerry_item **all = NULL, **sel = NULL;
	unsigned char *in = NULL;
	size_t n = 0, k = 0;
	int rc;
	*out = NULL;
	*out_n = 0;
	if ((rc = scan_sorted(&all, &n, port, err)))
		return rc;
	in = calloc(n ? n : 1, 1);
	sel = calloc(n ? n : 1, sizeof(*sel));
	if (!in || !sel) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t i = 0; i < n; i++) {
			int64_t p = all[i]->parent;
			size_t at;
			if (in[i] || p <= 0 || all[i]->num == root)
				continue;
			if (p == root || ((at = find_num(all, n, p)) < n && in[at])) {
				in[i] = 1;
				changed = 1;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		if (in[i] && jr_status_open(all[i]->status)) {
			sel[k++] = all[i];
			all[i] = NULL;
		}
	*out = sel;
	*out_n = k;
	sel = NULL;
out:
	free(in);
	free(sel);
	jerry_item_array_free(all, n);
	return rc;
}

int jr_app_parent_closable(jerry_item **out_parent, const jr_port *port, const jerry_item *item,
			   jerry_error *err)
{
	jerry_item **all = NULL;
	size_t n = 0, at;
	int rc;
	*out_parent = NULL;
	if (item->parent <= 0 || jr_status_open(item->status))
		return 0;
	if ((rc = scan_sorted(&all, &n, port, err)))
		return rc;
	int open_child = 0;
	for (size_t i = 0; i < n && !open_child; i++)
		open_child = all[i]->parent == item->parent && jr_status_open(all[i]->status);
	if (!open_child && (at = find_num(all, n, item->parent)) < n &&
	    jr_status_open(all[at]->status)) {
		*out_parent = all[at];
		all[at] = NULL;
	}
	jerry_item_array_free(all, n);
	return 0;
}

int jr_app_closable(jerry_item ***out, size_t *out_n, const jr_port *port, jerry_error *err)
{
	jerry_item **all = NULL, **sel = NULL;
	unsigned char *kids = NULL;     /* 1: has children; 2: one of them is open */
	size_t n = 0, k = 0;
	int rc;
	*out = NULL;
	*out_n = 0;
	if ((rc = scan_sorted(&all, &n, port, err)))
		return rc;
	kids = calloc(n ? n : 1, 1);
	sel = calloc(n ? n : 1, sizeof(*sel));
	if (!kids || !sel) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		size_t at;
		if (all[i]->parent > 0 && (at = find_num(all, n, all[i]->parent)) < n)
			kids[at] |= jr_status_open(all[i]->status) ? 3 : 1;
	}
	for (size_t i = 0; i < n; i++)
		if (kids[i] == 1 && jr_status_open(all[i]->status)) {
			sel[k++] = all[i];
			all[i] = NULL;
		}
	*out = sel;
	*out_n = k;
	sel = NULL;
out:
	free(kids);
	free(sel);
	jerry_item_array_free(all, n);
	return rc;
}
