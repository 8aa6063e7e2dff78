/*
 * cmd_create.c - `jerry create TITLE`: prints the new ID alone, so that
 * `id=$(jerry create "...")` is all a script needs.
 */
#include "cli.h"
#include "output.h"

#include <stdlib.h>

int cmd_create(struct cli *cli, const struct cli_args *args)
{
	jerry_create_spec spec = { 0 };
	jerry_item *item = NULL;
	const char **labels = NULL;
	char *input = NULL;
	jerry_error err;
	int rc, status;

	jerry_error_clear(&err);
	labels = calloc(args->nopts + 1, sizeof(*labels));
	if (!labels) {
		status = out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
		goto out;
	}
	spec.title = args->pos[0];
	spec.labels = labels;
	for (size_t i = 0; i < args->nopts; i++) {
		const char *v = args->opts[i].arg;
		switch (args->opts[i].id) {
		case OPT_TYPE: spec.type = v; break;
		case OPT_PRIORITY: spec.priority = v; break;
		case OPT_LABEL: labels[spec.nlabels++] = v; break;
		case OPT_DESCRIPTION: spec.description = v; break;
		case OPT_PARENT: spec.parent = v; break;
		case OPT_ASSIGNEE: spec.assignee = v; break;
		default: break;
		}
	}
	if ((rc = cli_text_arg(&input, &spec.description, &err))) {
		status = out_error(cli, rc, &err);
		goto out;
	}
	if (spec.description && !*spec.description)
		spec.description = NULL;
	rc = jerry_create(&item, cli->store, &spec, &err);
	status = out_created(cli, rc, &err, item);
out:
	jerry_item_free(item);
	free(input);
	free(labels);
	return status;
}
