/*
 * mcp.h - `jerry mcp`: the Model Context Protocol over stdio, a face of
 * the library beside the `jerry` command (doc/adr/0019-mcp.md).
 *
 * One JSON-RPC 2.0 message a line on `in`, one answer a line on `out`,
 * nothing else on `out`; diagnostics go to `diag`.  Every tool calls the
 * public API (include/jerry/jerry.h) and shows what it returns: a
 * refusal is the same jerry_error the command renders.  Between two
 * messages the server holds no lock, no open store and no item.
 */
#ifndef JR_MCP_H
#define JR_MCP_H

#include "jerry/jerry.h"

#include <stdio.h>

/*
 * Serve until the end of `in`.  `opts` say how to find the store and who
 * acts, as the command fills them: opts->instance NULL means a name
 * derived from the client (clientInfo.name and this process's ID) unless
 * the library derives one (CLAUDE_CODE_SESSION_ID).  Returns 0 at the end
 * of input; JERRY_EOUTPUT when `out` failed after a change was committed
 * (the change is made: do not repeat it), JERRY_ESTORAGE when `out` or
 * `in` failed otherwise, JERRY_ENOMEM; what happened is said on `diag`.
 */
int jr_mcp_serve(FILE *in, FILE *out, FILE *diag, const jerry_open_opts *opts);

#endif
