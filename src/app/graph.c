/*
 * graph.c - the dependency graph of the use cases (graph.h).
 */
#include "app.h"
#include "graph.h"
#include "../domain/domain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jr_graph_release(struct graph *g)
{
	jerry_item_array_free(g->all, g->n);
	free(g->by_num);
	memset(g, 0, sizeof(*g));
}

static int cmp_num(const void *a, const void *b)
{
	const jerry_item *x = *(jerry_item *const *)a, *y = *(jerry_item *const *)b;
	return (x->num > y->num) - (x->num < y->num);
}

int jr_graph_load(struct graph *g, const jr_port *port, jerry_error *err)
{
	memset(g, 0, sizeof(*g));
	int rc = port->scan(port->ctx, &g->all, &g->n, err);
	if (rc)
		return rc;
	/* One slot more, for jr_graph_put(). */
	g->by_num = malloc((g->n + 1) * sizeof(*g->by_num));
	if (!g->by_num) {
		jr_graph_release(g);
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	}
	int sorted = 1;
	for (size_t i = 0; i < g->n; i++) {
		g->by_num[i] = g->all[i];
		sorted &= i == 0 || g->all[i - 1]->num < g->all[i]->num;
	}
	g->nnum = g->n;
	/* The port gives them sorted; a port that does not costs a sort. */
	if (!sorted)
		qsort(g->by_num, g->nnum, sizeof(*g->by_num), cmp_num);
	return 0;
}

/* 1 and *at = the position of item num in by_num; 0 and where it would go. */
int jr_graph_find(const struct graph *g, int64_t num, size_t *at)
{
	size_t lo = 0, hi = g->nnum;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (g->by_num[mid]->num < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return lo < g->nnum && g->by_num[lo]->num == num;
}

const jerry_item *jr_graph_get(const struct graph *g, int64_t num)
{
	size_t at;
	return jr_graph_find(g, num, &at) ? g->by_num[at] : NULL;
}

/* Let `it` stand for its number in the graph (not owned; once per graph). */
void jr_graph_put(struct graph *g, jerry_item *it)
{
	size_t at;
	if (jr_graph_find(g, it->num, &at)) {
		g->by_num[at] = it;
		return;
	}
	memmove(g->by_num + at + 1, g->by_num + at, (g->nnum - at) * sizeof(*g->by_num));
	g->by_num[at] = it;
	g->nnum++;
}

struct found {
	jerry_problem *p;
	size_t n;
};

static int found_one(void *arg, enum jr_graph_rule rule, const jerry_item *it, const char *message)
{
	struct found *f = arg;
	jerry_problem *grown = realloc(f->p, (f->n + 1) * sizeof(*grown));
	if (!grown)
		return JERRY_ENOMEM;
	f->p = grown;
	jerry_problem *p = memset(&f->p[f->n++], 0, sizeof(*p));
	snprintf(p->kind, sizeof(p->kind), "%s",
		 rule == JR_RULE_CYCLE ? "dependency_cycle" : "parent_rule");
	snprintf(p->path, sizeof(p->path), "%s", it->id);
	snprintf(p->message, sizeof(p->message), "%s", message);
	return 0;
}

int jr_app_graph_problems(jerry_problem **out, size_t *out_n, const jr_port *port,
			  jerry_error *err)
{
	struct graph g;
	struct found f = {NULL, 0};
	int64_t *nums = NULL;
	*out = NULL;
	*out_n = 0;
	int rc = jr_graph_load(&g, port, err);
	if (rc)
		return rc;
	if (!(nums = malloc((g.nnum ? g.nnum : 1) * sizeof(*nums)))) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < g.nnum; i++)
		nums[i] = g.by_num[i]->num;
	if ((rc = jr_graph_rules(nums, g.by_num, g.nnum, found_one, &f))) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		free(f.p);
		goto out;
	}
	*out = f.p;
	*out_n = f.n;
out:
	free(nums);
	jr_graph_release(&g);
	return rc;
}
