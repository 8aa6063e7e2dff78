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
