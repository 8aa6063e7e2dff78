/*
 * cmd_init.c - `jerry init`: create a store, harmlessly when one exists.
 *
 * The store goes where --data / JERRY_DATA say, else into `.jerry/data`
 * (or `projects/$JERRY_PROJECT/.jerry/data`) under the current directory.
 */
#include "cli.h"
#include "output.h"

#include <limits.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

int cmd_init(struct cli *cli, const struct cli_args *args)
{
	char dir[PATH_MAX + 64];
	int created = 0;
	jerry_error err;
	(void)args;
	jerry_error_clear(&err);
	int rc = jerry_store_init(dir, sizeof(dir), &created, &cli->opts, &err);
	if (rc && rc != JERRY_EDURABLE)
		return out_error(cli, rc, &err);
	int status;
	/* A durability warning is reported by out_finish(), after the result. */
	if (created || rc == JERRY_EDURABLE)
		out_committed_store(cli, rc, &err, "the store was initialized in %s", dir);
	if (cli->json) {
		json_t *o = json_object();
		if (o && (json_object_set_new(o, "dir", out_json_string(dir)) ||
			  json_object_set_new(o, "created", json_boolean(created)))) {
			json_decref(o);
			o = NULL;
		}
		status = out_json(cli, o);
	} else {
		printf(created ? "initialized jerry store in %s\n" : "jerry store already exists in %s\n",
		       dir);
		status = 0;
	}
	return status;
}
