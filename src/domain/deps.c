/*
 * deps.c - the dependency gate: an item cannot start before every item it
 * depends on is done.  See domain.h for the rule and why cancelled does not
 * count as done; the use cases (app.c, coord.c) read the dependencies'
 * statuses under the item's lock and ask here.
 */
#include "domain.h"

#include <stdio.h>
#include <string.h>

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
	size_t open = 0, shown = 0, off = 0;
	for (size_t i = 0; i < item->ndepends; i++)
		open += is_open(status[i]);
	buf[0] = '\0';
	for (size_t i = 0; i < item->ndepends && shown < open; i++) {
		char id[32], one[64];
		if (!is_open(status[i]))
			continue;
		jerry_id_format(id, sizeof(id), item->depends_on[i]);
		snprintf(one, sizeof(one), "%s (%s)", id,
			 status[i] < 0 ? "missing" : jerry_status_name((jerry_status)status[i]));
		const char *sep = shown == 0 ? "" : shown + 1 == open ? " and " : ", ";
		/* Room for " and N more" unless this is the last one. */
		size_t reserve = shown + 1 == open ? 1 : 32;
		if (off + strlen(sep) + strlen(one) + reserve > size)
			break;
		off += (size_t)snprintf(buf + off, size - off, "%s%s", sep, one);
		shown++;
	}
	if (shown < open)
		snprintf(buf + off, size - off, shown ? " and %zu more" : "%zu dependencies",
			 shown ? open - shown : open);
	return open;
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
