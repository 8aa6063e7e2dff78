/*
 * work.c - what is work and what is a container (domain.h): the rule that
 * `ready` and `claim --next` hand out only work, and that a parent is
 * closed only after its children.  Pure decisions; the use cases find the
 * children in the index and ask here.
 */
#include "domain.h"

int jr_type_container(jerry_type type)
{
	return type == JERRY_TYPE_EPIC || type == JERRY_TYPE_FEATURE;
}

int jr_is_work(const jerry_item *item, int has_open_children)
{
	return !has_open_children && !jr_type_container(item->type);
}

int jr_status_open(jerry_status status)
{
	return status != JERRY_STATUS_DONE && status != JERRY_STATUS_CANCELLED;
}

int jr_children_gated(const jerry_item *item, jerry_status to)
{
	return (to == JERRY_STATUS_DONE || to == JERRY_STATUS_CANCELLED) && item->status != to;
}
