/*
 * cmd_show.c - `jerry show ID`: one item, read from its own file, with its
 * children and the items that depend on it, from the index.
 */
#include "cli.h"
#include "output.h"

#include <stdlib.h>

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
	if (cli->json) {
		char *text;
		rc = jerry_show_json(&text, store, args->pos[0], 0, &err);
		return rc ? out_error(cli, rc, &err) : out_json_text(cli, text);
	}
	if ((rc = jerry_show(&item, store, args->pos[0], &err)) ||
	    (rc = jerry_related(&kids, &nkids, &deps, &ndeps, store, args->pos[0], &err))) {
		status = out_error(cli, rc, &err);
	} else if (!(status = out_card(cli, item))) {
		put_list("Children", kids, nkids);
		put_list("Dependents", deps, ndeps);
	}
	jerry_item_free(item);
	jerry_item_array_free(kids, nkids);
	jerry_item_array_free(deps, ndeps);
	return status;
}
