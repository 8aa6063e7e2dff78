/*
 * cmd_serve.c - `jerry serve [--port N] [--listen ADDR] [--open]`: the
 * live board (src/serve/, doc/adr/0022-serve.md).  The command parses its
 * options and hands the store's directory to the server, which opens the
 * store afresh for each request.
 */
#include "cli.h"
#include "output.h"
#include "../serve/serve.h"

#define SERVE_PORT 8237

int cmd_serve(struct cli *cli, const struct cli_args *args)
{
	struct serve_opts so = {NULL, SERVE_PORT, 0};
	jerry_open_opts opts = cli->opts;
	jerry_error err;
	uint64_t port;

	for (size_t i = 0; i < args->nopts; i++) {
		const char *v = args->opts[i].arg;
		switch (args->opts[i].id) {
		case OPT_PORT:
			if (cli_parse_uint(&port, v, 65535))
				return out_usage(cli, "--port '%.64s' is not a port number (0 to 65535)", v);
			so.port = (unsigned)port;
			break;
		case OPT_LISTEN: so.listen = v; break;
		case OPT_OPEN: so.open = 1; break;
		default: break;
		}
	}
	opts.data_dir = jerry_store_dir(cli->store);
	jerry_error_clear(&err);
	int rc = serve_run(&opts, &so, &err);
	return rc ? out_error(cli, rc, &err) : 0;
}
