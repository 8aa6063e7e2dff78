/*
 * cmd_mcp.c - `jerry mcp`: hand standard input and output to the MCP
 * server (src/mcp), which owns them until the end of input.  Nothing here
 * prints on stdout: every byte there is a protocol message.
 */
#include "cli.h"
#include "../mcp/mcp.h"

int cmd_mcp(struct cli *cli, const struct cli_args *args)
{
	(void)args;
	jerry_open_opts opts = cli->opts;
	/*
	 * Lock waits poll: a SIGALRM tick could otherwise interrupt the
	 * server's reads and writes of the pipe between calls.
	 */
	opts.lock_wait_interruptible = 0;
	int rc = jr_mcp_serve(stdin, stdout, stderr, &opts);
	/*
	 * A failed stdout has been said on stderr, with what it means for a
	 * change: main's check of stdout at the end must not say it again.
	 */
	if (rc == JERRY_EOUTPUT || rc == JERRY_ESTORAGE)
		clearerr(stdout);
	return rc ? jerry_code_exit_status(rc) : 0;
}
