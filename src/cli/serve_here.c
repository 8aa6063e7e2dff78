/*
 * serve_here.c - cli_serve() in the `jerry-serve` program: run the board's
 * server on the store's directory; the server opens the store afresh for
 * each request (src/serve/, doc/adr/0022-serve.md).
 */
#include "cli.h"
#include "output.h"
#include "../serve/serve.h"

int cli_serve(struct cli *cli, const struct serve_opts *so)
{
	jerry_open_opts opts = cli->opts;
	jerry_error err;

	opts.data_dir = jerry_store_dir(cli->store);
	jerry_error_clear(&err);
	int rc = serve_run(&opts, so, &err);
	return rc ? out_error(cli, rc, &err) : 0;
}
