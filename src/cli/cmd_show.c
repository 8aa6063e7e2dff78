/*
 * cmd_show.c - `jerry show ID`: one item, read from its own file, with its
 * children and the items that depend on it, from the index.
 */
#include "cli.h"
#include "output.h"

#include <stdlib.h>

/* [{id, title, status}] of items. */
static json_t *brief_list(jerry_item *const *items, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		out_json_push(&arr, json_pack("{s:s,s:o,s:s}", "id", items[i]->id, "title",
					      out_json_string(items[i]->title ? items[i]->title : ""),
					      "status", jerry_status_name(items[i]->status)));
	return arr;
}

static void put_list(const char *heading, jerry_item *const *items, size_t n)
{
	if (!n)
		return;
	printf("\n%s:\n", heading);
	for (size_t i = 0; i < n; i++)
		printf("  %s  %s  %s\n", items[i]->id, jerry_status_name(items[i]->status),
		       items[i]->title ? items[i]->title : "");
}

int cmd_show(struct cli *cli, const struct cli_args *args)
{
	jerry_store *store = cli->store;
	jerry_item *item = NULL, **kids = NULL, **deps = NULL;
	size_t nkids = 0, ndeps = 0;
	jerry_error err;
	int rc, status;

	jerry_error_clear(&err);
	if ((rc = jerry_show(&item, store, args->pos[0], &err)) ||
	    (rc = jerry_related(&kids, &nkids, &deps, &ndeps, store, args->pos[0], &err))) {
		status = out_error(cli, rc, &err);
	} else if (cli->json) {
		static const char *const keys[] = {"children", "dependents"};
		json_t *k = brief_list(kids, nkids), *d = brief_list(deps, ndeps);
		char *vals[2] = {k ? json_dumps(k, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL,
				 d ? json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL};
		status = out_json_text(cli, vals[0] && vals[1] ?
				jerry_item_json_with(item, 0, keys, (const char *const *)vals, 2) : NULL);
		json_decref(k);
		json_decref(d);
		free(vals[0]);
		free(vals[1]);
	} else if (!(status = out_card(cli, item))) {
		put_list("Children", kids, nkids);
		put_list("Dependents", deps, ndeps);
	}
	jerry_item_free(item);
	jerry_item_array_free(kids, nkids);
	jerry_item_array_free(deps, ndeps);
	return status;
}
