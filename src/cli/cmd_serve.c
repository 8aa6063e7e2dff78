/*
 * cmd_serve.c - `jerry serve [--port N] [--listen ADDR] [--open]`: the
 * live board (src/serve/, doc/adr/0022-serve.md).  The command parses its
 * options, so that a mistake is told at once by `jerry` itself, and hands
 * them to cli_serve() (serve_exec.c in `jerry`, serve_here.c in
 * `jerry-serve`).
 */
#include "cli.h"
#include "output.h"
#include "../serve/serve.h"

#define SERVE_PORT 8237

int cmd_serve(struct cli *cli, const struct cli_args *args)
{
	struct serve_opts so = {NULL, SERVE_PORT, 0};
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
	return cli_serve(cli, &so);
}
