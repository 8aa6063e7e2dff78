/*
 * deps.c - the dependency gate: an item cannot start before every item it
 * depends on is done.  See domain.h for the rule and why cancelled does not
 * count as done; the use cases (app.c, coord.c) read the dependencies'
 * statuses under the item's lock and ask here.
 */
#include "domain.h"

int jr_deps_gated(const jerry_item *item, jerry_status to)
{
	return to == JERRY_STATUS_IN_PROGRESS && item->ndepends > 0 &&
	       (item->status == JERRY_STATUS_PENDING || item->status == JERRY_STATUS_BLOCKED);
}

static int is_open(int status)
{
	return status != (int)JERRY_STATUS_DONE;
}

size_t jr_deps_open_text(char *buf, size_t size, const jerry_item *item, const int *status)
{
	jerry_dep_state open[JR_DEPENDS_MAX];
	size_t n = 0;
	for (size_t i = 0; i < item->ndepends && n < JR_DEPENDS_MAX; i++)
		if (is_open(status[i]))
			open[n++] = (jerry_dep_state){item->depends_on[i], status[i]};
	return jr_open_list_text(buf, size, open, n, "dependencies");
}

int jr_deps_gate(const jerry_item *item, const int *status, const char *verb, jerry_error *err)
{
	char list[512];
	size_t open = jr_deps_open_text(list, sizeof(list), item, status);
	if (open == 0)
		return 0;
	jr_error(err, JERRY_EREFUSED, "cannot %s '%s': it depends on %s, which %s not done", verb,
		 item->id, list, open == 1 ? "is" : "are");
	if (!err)
		return JERRY_EREFUSED;
	jr_error_item(err, item->num);
	err->nopen_deps = open;
	size_t k = 0;
	for (size_t i = 0; i < item->ndepends && k < JERRY_ERROR_DEPS_MAX; i++) {
		if (!is_open(status[i]))
			continue;
		err->open_deps[k].num = item->depends_on[i];
		err->open_deps[k].status = status[i];
		k++;
	}
	jr_error_hint(err, "'jerry dep tree %s' shows what it waits for; --force %ss it anyway",
		      item->id, verb);
	return JERRY_EREFUSED;
}
