/*
 * graph.h - the dependency graph of the use cases, from index summaries:
 * every item, and a lookup by number.  Dependency changes (dep_change.c), ready
 * work, blocked items and claim --next (coord.c) walk it.
 */
#ifndef JR_APP_GRAPH_H
#define JR_APP_GRAPH_H

#include "../port/port.h"

/*
 * by_num holds the items sorted by number (a lookup is a binary search):
 * its size follows the number of items, not the largest number, and a
 * walk marks what it has seen by position in it.
 */
struct graph {
	jerry_item **all;
	size_t n;
	jerry_item **by_num;
	size_t nnum;
};

/* Every item's summary from the port (its scan). */
int jr_graph_load(struct graph *g, const jr_port *port, jerry_error *err);
void jr_graph_release(struct graph *g);
/* 1 and *at = the position of item num in by_num; 0 and where it would go. */
int jr_graph_find(const struct graph *g, int64_t num, size_t *at);
const jerry_item *jr_graph_get(const struct graph *g, int64_t num);
/* Let `it` stand for its number in the graph (not owned; once per graph). */
void jr_graph_put(struct graph *g, jerry_item *it);

#endif
