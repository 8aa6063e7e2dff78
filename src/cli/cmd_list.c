/*
 * cmd_list.c - `jerry list`: summaries from the index, filtered and sorted
 * by the library; this file only turns flags into a jerry_filter.  The
 * filter options of `ready` and `claim --next` come through here too.
 */
#include "cli.h"
#include "output.h"

#include <stdlib.h>
#include <string.h>

#define LIMIT_MAX 1000000000u

/* The values given for one option, in order, appended to vals at *used. */
static const char *const *collect(const struct cli_args *args, int id, const char **vals,
				  size_t *used, size_t *n)
{
	const char **start = vals + *used;
	*n = 0;
	for (size_t i = 0; i < args->nopts; i++)
		if (args->opts[i].id == id)
			start[(*n)++] = args->opts[i].arg;
	*used += *n;
	return start;
}

int cli_filter_fill(struct cli_filter *cf, const struct cli *cli, const struct cli_args *args)
{
	jerry_filter *f = &cf->f;
	size_t used = 0;

	memset(cf, 0, sizeof(*cf));
	/* Every option value lands in at most one list: nopts slots are enough. */
	cf->vals = calloc(args->nopts + 1, sizeof(*cf->vals));
	if (!cf->vals)
		return out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	f->status_list = collect(args, OPT_STATUS, cf->vals, &used, &f->nstatus_list);
	f->types = collect(args, OPT_TYPE, cf->vals, &used, &f->ntypes);
	f->labels = collect(args, OPT_LABEL, cf->vals, &used, &f->nlabels);
	f->assignees = collect(args, OPT_ASSIGNEE, cf->vals, &used, &f->nassignees);
	f->priorities = collect(args, OPT_PRIORITY, cf->vals, &used, &f->npriorities);
	f->parents = collect(args, OPT_PARENT, cf->vals, &used, &f->nparents);
	f->skip = collect(args, OPT_SKIP, cf->vals, &used, &f->nskip);
	for (size_t i = 0; i < args->nopts; i++) {
		const char *v = args->opts[i].arg;
		uint64_t limit;
		switch (args->opts[i].id) {
		case OPT_ANY_LABEL: f->any_label = 1; break;
		case OPT_CONTAINERS: f->containers = 1; break;
		case OPT_ANY: f->any_assignee = 1; break;
		case OPT_MINE: f->mine = 1; break;
		case OPT_UNASSIGNED: f->unassigned = 1; break;
		case OPT_ALL: f->all = 1; break;
		case OPT_SORT: f->sort = v; break;
		case OPT_LIMIT:
			if (cli_parse_uint(&limit, v, LIMIT_MAX) || limit == 0)
				return out_usage(cli, "--limit '%.64s' is not a positive whole number", v);
			f->limit = (size_t)limit;
			break;
		default: break;
		}
	}
	if (f->any_label && f->nlabels == 0)
		return out_usage(cli, "--any-label goes with --label");
	return 0;
}

void cli_filter_release(struct cli_filter *cf)
{
	free(cf->vals);
	cf->vals = NULL;
}

int cmd_list(struct cli *cli, const struct cli_args *args)
{
	struct cli_filter cf;
	jerry_store *store = NULL;
	jerry_item **items = NULL;
	size_t n = 0;
	jerry_error err;
	int rc, status;

	jerry_error_clear(&err);
	if ((status = cli_filter_fill(&cf, cli, args)) || (status = cli_open(&store, cli))) {
		cli_filter_release(&cf);
		return status;
	}
	rc = jerry_list(&items, &n, store, &cf.f, &err);
	status = rc ? out_error(cli, rc, &err) : out_table(cli, items, n);
	jerry_item_array_free(items, n);
	jerry_store_free(store);
	cli_filter_release(&cf);
	return status;
}
