/*
 * results.c - freeing what the library hands back: a history, a log, a
 * check's report, a dependency tree, what blocked items wait for.  Here, below every layer, so that the store that makes
 * them, the use cases that pass them on and the faces that show them can
 * all let go of them.
 */
#include "domain.h"

#include <stdlib.h>
#include <string.h>

void jr_history_entry_clear(jerry_history_entry *e)
{
	free(e->by);
	free(e->op);
	free(e->changes);
	for (size_t i = 0; i < e->nfields; i++) {
		free(e->fields[i].field);
		free(e->fields[i].from);
		free(e->fields[i].to);
	}
	free(e->fields);
	memset(e, 0, sizeof(*e));
}

void jerry_history_free(jerry_history_entry *e, size_t n)
{
	if (!e)
		return;
	for (size_t i = 0; i < n; i++)
		jr_history_entry_clear(&e[i]);
	free(e);
}

void jerry_log_free(jerry_log_entry *e, size_t n)
{
	if (!e)
		return;
	for (size_t i = 0; i < n; i++)
		jr_history_entry_clear(&e[i].change);
	free(e);
}

void jerry_waiting_free(jerry_waiting *w, size_t n)
{
	if (!w)
		return;
	for (size_t i = 0; i < n; i++) {
		jerry_item_free(w[i].item);
		for (size_t b = 0; b < w[i].nblockers; b++)
			jerry_item_free(w[i].blockers[b].item);
		free(w[i].blockers);
	}
	free(w);
}

void jerry_report_free(jerry_report *r)
{
	if (!r)
		return;
	free(r->problems);
	free(r->notices);
	free(r);
}

void jerry_dep_nodes_free(jerry_dep_node *nodes, size_t n)
{
	if (!nodes)
		return;
	for (size_t i = 0; i < n; i++)
		jerry_item_free(nodes[i].item);
	free(nodes);
}
