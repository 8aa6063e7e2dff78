/*
 * list.c - jerry list: the index's summaries through a filter (filter.h),
 * sorted by the key asked for, ID order breaking ties.
 */
#define _GNU_SOURCE
#include "app.h"
#include "filter.h"
#include "../domain/domain.h"

#include <stdlib.h>
#include <string.h>

static int cmp_items(const void *a, const void *b, void *arg)
{
	const jerry_item *x = *(jerry_item *const *)a, *y = *(jerry_item *const *)b;
	int c = 0;
	switch (*(const int *)arg) {
	case 1: c = (int)x->priority - (int)y->priority; break;
	case 2: c = (y->updated_at > x->updated_at) - (y->updated_at < x->updated_at); break;
	case 3: c = (x->created_at > y->created_at) - (x->created_at < y->created_at); break;
	case 4: c = (int)x->status - (int)y->status; break;
	case 5: c = strcmp(x->title ? x->title : "", y->title ? y->title : ""); break;
	}
	if (c)
		return c;
	return (x->num > y->num) - (x->num < y->num);
}

int jr_app_list(jerry_item ***out, size_t *out_n, const jr_port *port,
		const jerry_filter *f, jerry_error *err)
{
	static const char *const sorts[] = {"id", "priority", "updated", "created", "status", "title"};
	jerry_item **all = NULL;
	size_t n = 0, k = 0;
	int key = -1, rc;
	struct jr_match m;
	if (out)
		*out = NULL;
	*out_n = 0;
	for (int i = 0; i < 6; i++)
		if (strcmp(f->sort ? f->sort : "id", sorts[i]) == 0)
			key = i;
	if (key < 0) {
		jr_error(err, JERRY_EINVALID, "cannot sort by '%.32s'", f->sort);
		jr_error_hint(err, "sort by one of: id, priority, updated, created, status, title");
		return JERRY_EINVALID;
	}
	if ((rc = jr_match_init(&m, f, err)))
		return rc;
	if ((rc = port->scan(port->ctx, &all, &n, err))) {
		jr_match_release(&m);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		jerry_item *it = all[i];
		if (jr_match_listed(&m, f->all, it))
			all[k++] = it;
		else
			jerry_item_free(it);
	}
	jr_match_release(&m);
	/* The index hands them over in ID order, the default sort. */
	size_t sorted = 1;
	while (sorted < k && cmp_items(&all[sorted - 1], &all[sorted], &key) < 0)
		sorted++;
	if (sorted < k)
		qsort_r(all, k, sizeof(*all), cmp_items, &key);
	if (f->limit && k > f->limit) {
		for (size_t i = f->limit; i < k; i++)
			jerry_item_free(all[i]);
		k = f->limit;
	}
	*out = all;
	*out_n = k;
	return 0;
}
