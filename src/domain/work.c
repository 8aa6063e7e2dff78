/*
 * work.c - what is work and what is a container (domain.h): the rule that
 * `ready` and `claim --next` hand out only work, and that a parent is
 * closed only after its children.  Pure decisions; the use cases find the
 * children in the index and ask here.
 */
#include "domain.h"

#include <stdio.h>
#include <string.h>

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

size_t jr_open_list_text(char *buf, size_t size, const jerry_dep_state *open, size_t n,
			 const char *noun)
{
	size_t shown = 0, off = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char id[32], one[64];
		jerry_id_format(id, sizeof(id), open[i].num);
		snprintf(one, sizeof(one), "%s (%s)", id,
			 open[i].status < 0 ? "missing" : jerry_status_name((jerry_status)open[i].status));
		const char *sep = shown == 0 ? "" : shown + 1 == n ? " and " : ", ";
		/* Room for " and N more" unless this is the last one. */
		size_t reserve = shown + 1 == n ? 1 : 32;
		if (off + strlen(sep) + strlen(one) + reserve > size)
			break;
		off += (size_t)snprintf(buf + off, size - off, "%s%s", sep, one);
		shown++;
	}
	if (shown < n)
		snprintf(buf + off, size - off, shown ? " and %zu more" : "%zu %s",
			 shown ? n - shown : n, noun);
	return n;
}

int jr_children_gate(const jerry_item *item, jerry_status to, const jerry_dep_state *open,
		     size_t n, jerry_error *err)
{
	char list[512];
	if (n == 0)
		return 0;
	jr_open_list_text(list, sizeof(list), open, n, "items");
	const char *verb = to == JERRY_STATUS_DONE ? "finish" : "cancel";
	jr_error(err, JERRY_EREFUSED, "cannot %s '%s': %zu item%s below it %s open: %s", verb,
		 item->id, n, n == 1 ? "" : "s", n == 1 ? "is" : "are", list);
	if (!err)
		return JERRY_EREFUSED;
	jr_error_item(err, item->num);
	err->nopen_descendants = n;
	for (size_t i = 0; i < n && i < JERRY_ERROR_DEPS_MAX; i++)
		err->open_descendants[i] = open[i];
	if (to == JERRY_STATUS_DONE)
		jr_error_hint(err, "finish them first ('jerry list --parent %s'), or pass --force "
				   "to close it anyway (recorded)", item->id);
	else
		jr_error_hint(err, "cancel them with it (--cascade), or pass --force to cancel "
				   "only it (recorded)");
	return JERRY_EREFUSED;
}
