/*
 * cmd_show.c - `jerry show ID`: one item, read from its own file.
 */
#include "cli.h"
#include "output.h"

int cmd_show(struct cli *cli, const struct cli_args *args)
{
	jerry_store *store = NULL;
	jerry_item *item = NULL;
	jerry_error err;
	int rc, status;

	jerry_error_clear(&err);
	if ((status = cli_open(&store, cli)))
		return status;
	rc = jerry_show(&item, store, args->pos[0], &err);
	status = rc ? out_error(cli, rc, &err) : out_card(cli, item);
	jerry_item_free(item);
	jerry_store_free(store);
	return status;
}
