/*
 * graph_rules.c - the rules between items that no command lets a store
 * break, but a merge of two copies can: two sides each adding half of a
 * dependency cycle, one side changing a parent's type while the other
 * adds a child.  jerry check walks them over the item files, jerry sync
 * over the index after its merge; both report, neither repairs: which
 * link to drop is a person's decision.
 */
#include "domain.h"

#include <stdio.h>
#include <stdlib.h>

/* The position of num in nums[0..n), or n. */
static size_t position(const int64_t *nums, size_t n, int64_t num)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (nums[mid] < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && nums[lo] == num ? lo : n;
}

static int parent_rules(const int64_t *nums, jerry_item *const *items, size_t n,
			jr_rule_report_fn report, void *arg)
{
	char msg[256], pid[24];
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const jerry_item *it = items[i];
		if (!it)
			continue;
		size_t at = it->parent ? position(nums, n, it->parent) : n;
		const jerry_item *parent = at < n ? items[at] : NULL;
		jerry_id_format(pid, sizeof(pid), it->parent);
		msg[0] = '\0';
		if (it->parent && at == n)
			snprintf(msg, sizeof(msg), "the parent of %s, %s, does not exist", it->id, pid);
		else if (it->parent == it->num)
			snprintf(msg, sizeof(msg), "%s is its own parent", it->id);
		else if (parent && !jr_parent_allowed(it->type, (int)parent->type))
			snprintf(msg, sizeof(msg), "a %s (%s) cannot have a %s (%s) as its parent",
				 jerry_type_name(it->type), it->id, jerry_type_name(parent->type), pid);
		else if (!it->parent && !jr_parent_allowed(it->type, -1))
			snprintf(msg, sizeof(msg), "%s is a %s without a parent", it->id,
				 jerry_type_name(it->type));
		if (msg[0])
			rc = report(arg, JR_RULE_PARENT, it, msg);
	}
	return rc;
}

/* A depth-first walk over depends_on, one report per cycle found. */
static int cycles(const int64_t *nums, jerry_item *const *items, size_t n,
		  jr_rule_report_fn report, void *arg)
{
	unsigned char *color = calloc(n, 1);
	size_t *stack = malloc(n * sizeof(*stack)), *edge = malloc(n * sizeof(*edge));
	char msg[256], wid[24];
	int rc = 0;
	if (!color || !stack || !edge) {
		rc = JERRY_ENOMEM;
		goto out;
	}
	for (size_t root = 0; root < n && !rc; root++) {
		size_t top = 0;
		if (color[root] || !items[root])
			continue;
		stack[top] = root;
		edge[top++] = 0;
		color[root] = 1;
		while (top && !rc) {
			size_t v = stack[top - 1];
			const jerry_item *it = items[v];
			if (edge[top - 1] >= it->ndepends) {
				color[v] = 2;
				top--;
				continue;
			}
			size_t w = position(nums, n, it->depends_on[edge[top - 1]++]);
			if (w == n || !items[w] || color[w] == 2)
				continue;
			if (color[w] == 1) {
				jerry_id_format(wid, sizeof(wid), nums[w]);
				snprintf(msg, sizeof(msg),
					 "%s depends on %s, which depends back on it (a dependency cycle)",
					 it->id, wid);
				rc = report(arg, JR_RULE_CYCLE, it, msg);
				continue;
			}
			color[w] = 1;
			stack[top] = w;
			edge[top++] = 0;
		}
	}
out:
	free(color);
	free(stack);
	free(edge);
	return rc;
}

int jr_graph_rules(const int64_t *nums, jerry_item *const *items, size_t n,
		   jr_rule_report_fn report, void *arg)
{
	int rc = parent_rules(nums, items, n, report, arg);
	return rc || !n ? rc : cycles(nums, items, n, report, arg);
}
