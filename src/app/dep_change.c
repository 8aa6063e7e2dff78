/*
 * dep_change.c - changing dependencies and walking them: dep add / rm (under the
 * store-wide dependency lock, port->exclusive, so two changes cannot both
 * pass the cycle check) and dep tree.
 */
#define _GNU_SOURCE
#include "app.h"
#include "graph.h"
#include "../domain/domain.h"
#include "../util/array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Is `target` reachable from `from` along depends_on?  If so, path[] gets
 * the walk from `from` to `target` and *plen its length.  seen[] has a
 * flag per position in g->by_num.
 */
static int reach(const struct graph *g, int64_t from, int64_t target, unsigned char *seen,
		 int64_t *path, size_t *plen, size_t depth)
{
	size_t at;
	if (depth >= JR_DEPENDS_MAX * 4)
		return 0;
	path[depth] = from;
	if (from == target) {
		*plen = depth + 1;
		return 1;
	}
	if (!jr_graph_find(g, from, &at) || seen[at])
		return 0;
	seen[at] = 1;
	const jerry_item *it = g->by_num[at];
	for (size_t i = 0; i < it->ndepends; i++)
		if (reach(g, it->depends_on[i], target, seen, path, plen, depth + 1))
			return 1;
	return 0;
}

struct dep_ctx {
	const jr_port *port;
	const char *id;
	int64_t num;
	int64_t *on;           /* the OTHERs, all changed in one version */
	size_t non;
	int add;
	jerry_item **out;
};

static int apply_dep(jerry_item *it, void *arg, jerry_error *err)
{
	struct dep_ctx *d = arg;
	struct graph g;
	int rc;
	size_t nnew = 0;
	/* Adding what is there, or removing what is not, changes nothing. */
	for (size_t k = 0; k < d->non; k++) {
		int present = 0;
		for (size_t i = 0; i < it->ndepends; i++)
			present |= it->depends_on[i] == d->on[k];
		if (present == d->add)
			continue;
		if (!d->add) {
			jr_depends_remove(it, d->on[k]);
		} else if ((rc = jr_depends_add(it, d->on[k]))) {
			return jr_error(err, rc, rc == JERRY_ENOMEM ? "out of memory"
								    : "'%s' has too many dependencies", it->id);
		}
		/* Only the changed ones need the cycle check: keep them at the front. */
		int64_t changed = d->on[k];
		d->on[k] = d->on[nnew];
		d->on[nnew++] = changed;
	}
	if (nnew == 0)
		return JR_UNCHANGED;
	if (!d->add)
		return 0;
	if ((rc = jr_graph_load(&g, d->port, err)))
		return rc;
	/* The graph as it would be: the item with its new dependencies. */
	jr_graph_put(&g, it);
	unsigned char *seen = calloc(g.nnum, 1);
	int64_t *path = calloc(JR_DEPENDS_MAX * 4 + 1, sizeof(*path));
	size_t plen = 0, k = 0;
	if (!seen || !path) {
		free(seen);
		free(path);
		jr_graph_release(&g);
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	}
	/* One walk per new dependency; any of them closing a cycle refuses them all. */
	for (; k < nnew; k++) {
		memset(seen, 0, g.nnum);
		if (reach(&g, d->on[k], it->num, seen, path, &plen, 0))
			break;
	}
	if (k < nnew) {
		char cycle[512], on[24], step[24];
		size_t off = (size_t)snprintf(cycle, sizeof(cycle), "%s", it->id);
		for (size_t i = 0; i < plen && off < sizeof(cycle); i++) {
			jerry_id_format(step, sizeof(step), path[i]);
			off += (size_t)snprintf(cycle + off, sizeof(cycle) - off, " -> %s", step);
		}
		jerry_id_format(on, sizeof(on), d->on[k]);
		jr_error_item(err, it->num);
		rc = jr_error(err, JERRY_EREFUSED, "a dependency of %s on %s would close a cycle: %s",
			      it->id, on, cycle);
		jr_error_hint(err, "remove one of the dependencies in the cycle first ('jerry dep rm')");
	}
	free(seen);
	free(path);
	jr_graph_release(&g);
	return rc;
}

static int dep_locked(void *arg, jerry_error *err)
{
	struct dep_ctx *d = arg;
	return d->port->mutate(d->port->ctx, d->out, d->num, apply_dep, d, err);
}

int jr_app_dep_change(jerry_item **out, const jr_port *port, const char *id,
		      const char *const *on, size_t non, int add, jerry_error *err)
{
	struct dep_ctx d = {port, id, 0, NULL, non, add, out};
	int rc;
	if (out)
		*out = NULL;
	if ((rc = jerry_id_parse(&d.num, id, err)))
		return rc;
	if (non == 0)
		return jr_error(err, JERRY_EINVALID, "no dependency given");
	if (!(d.on = calloc(non, sizeof(*d.on))))
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	/* Every OTHER is checked before anything changes: all or none. */
	for (size_t k = 0; k < non; k++) {
		jerry_item *other = NULL;
		if ((rc = jerry_id_parse(&d.on[k], on[k], err)))
			goto out;
		if (d.num == d.on[k]) {
			jr_error_item(err, d.num);
			rc = jr_error(err, JERRY_EREFUSED, "an item cannot depend on itself");
			goto out;
		}
		/* Unknown IDs are "not found" for rm too, not a silent no-op. */
		rc = port->get(port->ctx, &other, d.on[k], err);
		jerry_item_free(other);
		if (rc)
			goto out;
	}
	if (port->exclusive)
		rc = port->exclusive(port->ctx, dep_locked, &d, err);
	else
		rc = dep_locked(&d, err);
out:
	free(d.on);
	return rc;
}

int jr_app_dep_tree(jerry_dep_node **out, size_t *out_n, const jr_port *port, const char *id,
		    jerry_error *err)
{
	struct graph g;
	int64_t root;
	int rc;
	*out = NULL;
	*out_n = 0;
	if ((rc = jerry_id_parse(&root, id, err)))
		return rc;
	if ((rc = jr_graph_load(&g, port, err)))
		return rc;
	if (!jr_graph_get(&g, root)) {
		jr_graph_release(&g);
		char rid[24];
		jerry_id_format(rid, sizeof(rid), root);
		jr_error_item(err, root);
		return jr_error(err, JERRY_ENOTFOUND, "no item '%s'", rid);
	}
	/* Iterative depth-first walk; each item appears once, at its first depth. */
	size_t cap = 16, n = 0, sp = 0, scap = 16;
	jerry_dep_node *nodes = calloc(cap, sizeof(*nodes));
	struct frame { int64_t num, via; int depth; } *stack = malloc(sizeof(*stack) * scap);
	unsigned char *seen = calloc(g.nnum, 1);
	if (!nodes || !stack || !seen) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	stack[sp++] = (struct frame){root, 0, 0};
	while (sp > 0) {
		struct frame f = stack[--sp];
		size_t at;
		if (!jr_graph_find(&g, f.num, &at) || seen[at])
			continue;
		seen[at] = 1;
		const jerry_item *it = g.by_num[at];
		if (JR_ARRAY_GROW(nodes, n + 1, cap)) {
			rc = jr_error(err, JERRY_ENOMEM, "out of memory");
			goto out;
		}
		nodes[n].item = jr_item_dup(it);
		if (!nodes[n].item) {
			rc = jr_error(err, JERRY_ENOMEM, "out of memory");
			goto out;
		}
		nodes[n].item->is_summary = 1;
		nodes[n].depth = f.depth;
		nodes[n].via = f.via;
		n++;
		if (JR_ARRAY_GROW(stack, sp + it->ndepends, scap)) {
			rc = jr_error(err, JERRY_ENOMEM, "out of memory");
			goto out;
		}
		/* Pushed in reverse so the first dependency is walked first. */
		for (size_t i = it->ndepends; i-- > 0;)
			stack[sp++] = (struct frame){it->depends_on[i], it->num, f.depth + 1};
	}
	*out = nodes;
	*out_n = n;
	nodes = NULL;
out:
	if (nodes)
		jerry_dep_nodes_free(nodes, n);
	free(stack);
	free(seen);
	jr_graph_release(&g);
	return rc;
}
