/*
 * cmd_list.c - `jerry list`: summaries from the index, filtered and sorted
 * by the library; this file only turns flags into a jerry_filter.
 */
#include "cli.h"
#include "output.h"

#define LIMIT_MAX 1000000000u

int cmd_list(struct cli *cli, const struct cli_args *args)
{
	jerry_filter f = { 0 };
	jerry_store *store = NULL;
	jerry_item **items = NULL;
	size_t n = 0;
	jerry_error err;
	int rc, status;

	jerry_error_clear(&err);
	for (size_t i = 0; i < args->nopts; i++) {
		const char *v = args->opts[i].arg;
		uint64_t limit;
		switch (args->opts[i].id) {
		case OPT_STATUS: f.statuses = v; break;
		case OPT_TYPE: f.type = v; break;
		case OPT_LABEL: f.label = v; break;
		case OPT_ASSIGNEE: f.assignee = v; break;
		case OPT_PRIORITY: f.priority = v; break;
		case OPT_PARENT: f.parent = v; break;
		case OPT_ALL: f.all = 1; break;
		case OPT_SORT: f.sort = v; break;
		case OPT_LIMIT:
			if (cli_parse_uint(&limit, v, LIMIT_MAX) || limit == 0)
				return out_usage(cli, "--limit '%.64s' is not a positive whole number", v);
			f.limit = (size_t)limit;
			break;
		default: break;
		}
	}
	if ((status = cli_open(&store, cli)))
		return status;
	rc = jerry_list(&items, &n, store, &f, &err);
	status = rc ? out_error(cli, rc, &err) : out_table(cli, items, n);
	jerry_item_array_free(items, n);
	jerry_store_free(store);
	return status;
}
