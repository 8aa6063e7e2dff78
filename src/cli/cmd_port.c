/*
 * cmd_port.c - `jerry export`: the library writes the items as JSON Lines,
 * to standard output or, with -o, to a file it replaces atomically; this
 * file turns the options into a filter and says how many went out.
 */
#include "cli.h"
#include "output.h"

#include <stdio.h>

static int to_stdout(void *arg, const char *text, size_t len)
{
	(void)arg;
	return fwrite(text, 1, len, stdout) == len ? 0 : -1;
}

int cmd_export(struct cli *cli, const struct cli_args *args)
{
	struct cli_filter cf;
	const char *file = NULL;
	int flags = 0, rc;
	size_t count = 0;
	jerry_error err;

	if ((rc = cli_filter_fill(&cf, cli, args))) {
		cli_filter_release(&cf);
		return rc;
	}
	for (size_t i = 0; i < args->nopts; i++) {
		if (args->opts[i].id == OPT_HISTORY)
			flags |= JERRY_EXPORT_HISTORY;
		else if (args->opts[i].id == OPT_OUTPUT)
			file = args->opts[i].arg;
	}
	jerry_error_clear(&err);
	if (file)
		rc = jerry_export_file(&count, cli->store, &cf.f, flags, file, &err);
	else
		rc = jerry_export(&count, cli->store, &cf.f, flags, to_stdout, NULL, &err);
	cli_filter_release(&cf);
	if (rc)
		return out_error(cli, rc, &err);
	if (!file)
		return 0;
	if (cli->json)
		return out_json(cli, json_pack("{s:I,s:o}", "exported", (json_int_t)count, "file",
					       out_json_string(file)));
	printf("exported %zu item%s to %s\n", count, count == 1 ? "" : "s", file);
	return 0;
}

/*
 * `jerry import FILE|DIR [--from FORMAT] [--dry-run]`: the library reads,
 * matches, numbers and writes; this prints a line per source item and the
 * counts.
 */
static json_t *import_json(const jerry_import_result *r, int dry_run)
{
	json_t *items = json_array();
	for (size_t i = 0; items && i < r->nrows; i++) {
		const jerry_import_row *row = &r->rows[i];
		out_json_push(&items, json_pack("{s:o,s:o,s:s,s:i,s:o,s:o}", "ref",
						out_json_string(row->ref), "id",
						row->id[0] ? json_string(row->id) : json_null(),
						"action", row->action, "line", row->line, "title",
						out_json_string(row->title), "lost",
						row->lost ? out_json_string(row->lost) : json_null()));
	}
	if (!items)
		return NULL;
	return json_pack("{s:s,s:b,s:I,s:I,s:I,s:o}", "format", r->format, "dry_run", dry_run,
			 "created", (json_int_t)r->created, "updated", (json_int_t)r->updated,
			 "unchanged", (json_int_t)r->unchanged, "items", items);
}

int cmd_import(struct cli *cli, const struct cli_args *args)
{
	const char *from = NULL;
	int flags = 0, rc, status;
	jerry_import_result *res = NULL;
	jerry_error err;

	for (size_t i = 0; i < args->nopts; i++) {
		if (args->opts[i].id == OPT_FROM)
			from = args->opts[i].arg;
		else if (args->opts[i].id == OPT_DRY_RUN)
			flags |= JERRY_IMPORT_DRY_RUN;
	}
	jerry_error_clear(&err);
	rc = jerry_import(&res, cli->store, args->pos[0], from, flags, &err);
	if (rc)
		return out_error(cli, rc, &err);
	int dry = (flags & JERRY_IMPORT_DRY_RUN) != 0;
	if (!dry)
		out_committed_store(cli, 0, &err, "%zu items were imported (%zu created, %zu updated)",
				    res->created + res->updated, res->created, res->updated);
	if (cli->json) {
		status = out_json(cli, import_json(res, dry));
	} else {
		for (size_t i = 0; i < res->nrows; i++) {
			const jerry_import_row *row = &res->rows[i];
			printf("%-9s %-10s %s  %s\n", row->action, row->id[0] ? row->id : "-", row->ref,
			       row->title);
			if (row->lost)
				printf("    kept under ext or left out: %s\n", row->lost);
		}
		if (dry)
			printf("dry run, nothing written: would create %zu, update %zu, "
			       "leave %zu unchanged (from %s)\n",
			       res->created, res->updated, res->unchanged, res->format);
		else
			printf("imported from %s: %zu created, %zu updated, %zu unchanged\n",
			       res->format, res->created, res->updated, res->unchanged);
		status = 0;
	}
	jerry_import_result_free(res);
	return status;
}
