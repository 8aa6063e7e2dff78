/*
 * view_json.c - the JSON documents the faces show: an item with the items
 * around it (`jerry show --json`, the board's item page) and an item that
 * waits with what it waits on (`jerry blocked --json`, the board's
 * blocked view).  Built once here, so the faces splice the same text.
 */
#include "codec.h"

#include <stdlib.h>

/* [{"id", "title", "status"}] of items, compact text; NULL when out of memory. */
static char *brief_list(jerry_item *const *items, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++) {
		json_t *title = json_string(items[i]->title ? items[i]->title : "");
		json_t *o = title ? json_pack("{s:s,s:o,s:s}", "id", items[i]->id, "title", title,
					      "status", jerry_status_name(items[i]->status)) : NULL;
		if (!o || json_array_append_new(arr, o)) {
			json_decref(arr);
			arr = NULL;
		}
	}
	char *text = arr ? json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(arr);
	return text;
}

char *jr_view_related_json(const jerry_item *item, int flags, jerry_item *const *kids,
			   size_t nkids, jerry_item *const *deps, size_t ndeps,
			   jerry_item *const *away, size_t naway)
{
	static const char *const keys[] = {"children", "dependents", "renumbered_away"};
	char *vals[3] = {brief_list(kids, nkids), brief_list(deps, ndeps),
			 naway ? brief_list(away, naway) : NULL};
	char *text = vals[0] && vals[1] && (!naway || vals[2]) ?
		jr_codec_item_json_with(item, flags, keys, (const char *const *)vals, naway ? 3 : 2)
		: NULL;
	free(vals[0]);
	free(vals[1]);
	free(vals[2]);
	return text;
}

char *jr_view_waiting_json(const jerry_waiting *w, int flags)
{
	static const char *const key[] = {"waiting_on"};
	json_t *waits = json_array();
	for (size_t d = 0; waits && d < w->nblockers; d++) {
		const jerry_item *dep = w->blockers[d].item;
		char did[32];
		jerry_id_format(did, sizeof(did), w->blockers[d].num);
		json_t *o = json_pack("{s:s,s:s}", "id", did, "status",
				      dep ? jerry_status_name(dep->status) : "missing");
		if (!o || json_array_append_new(waits, o)) {
			json_decref(waits);
			waits = NULL;
		}
	}
	char *text = waits ? json_dumps(waits, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	char *out = text ? jr_codec_item_json_with(w->item, flags, key, (const char *const *)&text, 1)
			 : NULL;
	free(text);
	json_decref(waits);
	return out;
}
