/*
 * mcp_tools.h - what the protocol (mcp.c) asks of the tools (mcp_tools.c).
 */
#ifndef JR_MCP_TOOLS_H
#define JR_MCP_TOOLS_H

#include "jerry/jerry.h"

#include <jansson.h>
#include <stddef.h>

/* One connection's state: who acts, and nothing a write could make stale. */
struct mcp_session {
	const jerry_open_opts *opts;   /* the store and the defaults, as the command has them */
	char name[160];                /* the acting name; "": the library derives it */
	char version[16];              /* the protocol version agreed, "" before initialize */
	int committed;                 /* the last call committed a change */
	char changed[128];             /* "WORK-012 (version 5)": what it changed */
};

/* The answer to tools/list, {"tools": [...]}: static text. */
const char *mcp_tools_list(void);

/*
 * tools/call.  0 and the result object's text in *out (malloc'd) - a
 * refusal too, as {"isError": true, ...}; JSONRPC_INVALID_PARAMS with
 * msg filled for an unknown tool or malformed params; JERRY_ENOMEM.
 */
#define JSONRPC_INVALID_PARAMS (-32602)
int mcp_tools_call(char **out, struct mcp_session *s, json_t *params, char *msg, size_t msgsize);

#endif
