/*
 * cmd_show.c - `jerry show ID` (or uid:N): one item, read from its own
 * file, with its children and the items that depend on it, from the index;
 * on stderr, the items a sync renumbered away from its number.
 */
#include "cli.h"
#include "output.h"
#include "table.h"

#include <stdio.h>
#include <stdlib.h>

/* "Children:" and a row `  WORK-004  STATUS  TITLE` per item, aligned and fit to the terminal. */
static int put_list(const struct cli *cli, const char *heading, jerry_item *const *items, size_t n)
{
	struct tbl t;
	int bad;
	if (!n)
		return 0;
	bad = tbl_init(&t, 3, n);
	t.color_col = 1;
	for (size_t i = 0; !bad && i < n; i++) {
		struct tbl_row *r = tbl_row(&t);
		char id[40];
		snprintf(id, sizeof(id), "  %s", items[i]->id);
		bad = !r || tbl_cell(&t, r, 0, id) ||
		      tbl_cell(&t, r, 1, jerry_status_name(items[i]->status)) ||
		      tbl_cell(&t, r, 2, items[i]->title);
		if (!bad && cli->color)
			r->color = out_status_color(items[i]->status);
	}
	if (!bad) {
		printf("\n%s:\n", heading);
		bad = tbl_print(&t, stdout, tbl_columns());
	}
	tbl_release(&t);
	return bad ? out_fail(cli, JERRY_ENOMEM, NULL, "out of memory") : 0;
}

int cmd_show(struct cli *cli, const struct cli_args *args)
{
	jerry_store *store = cli->store;
	jerry_item *item = NULL, **kids = NULL, **deps = NULL, **away = NULL;
	size_t nkids = 0, ndeps = 0, naway = 0;
	jerry_error err;
	char id[32];
	int rc, status;

	jerry_error_clear(&err);
	if (cli->json) {
		char *text;
		rc = jerry_show_json(&text, store, args->pos[0], 0, &err);
		return rc ? out_error(cli, rc, &err) : out_json_text(cli, text);
	}
	if ((rc = jerry_id_resolve(id, sizeof(id), store, args->pos[0], &err)) ||
	    (rc = jerry_show(&item, store, id, &err)) ||
	    (rc = jerry_related(&kids, &nkids, &deps, &ndeps, store, id, &err)) ||
	    (rc = jerry_renumbered_from(&away, &naway, store, id, &err))) {
		status = out_error(cli, rc, &err);
	} else if (!(status = out_card(cli, item)) &&
		   !(status = put_list(cli, "Children", kids, nkids))) {
		status = put_list(cli, "Dependents", deps, ndeps);
	}
	/* An old number: the items that had it too (ADR 0020). */
	for (size_t i = 0; !status && i < naway; i++)
		fprintf(stderr, "note: %s was also the number of %s, which 'jerry sync' renumbered\n",
			item->id, away[i]->id);
	jerry_item_free(item);
	jerry_item_array_free(kids, nkids);
	jerry_item_array_free(deps, ndeps);
	jerry_item_array_free(away, naway);
	return status;
}
