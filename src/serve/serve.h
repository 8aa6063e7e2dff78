/*
 * serve.h - `jerry serve`: the live board, a face beside the command
 * (doc/adr/0022-serve.md).  It includes jerry.h and util only, like the
 * command: every rule is the library's, the board renders what comes
 * back.
 *
 *   serve_http.c   the HTTP server (Debian's libmicrohttpd): listening,
 *                  the safety checks, the static page, server-sent events
 *   serve_api.c    the JSON API over the public library calls
 *   assets/        the page, its style and its script, built into the
 *                  binary (build/gen/serve_assets.c, scripts/embed.sh)
 *
 * The server opens the store for each request and frees it after, so it
 * holds no lock, and no state a write by another process could make
 * stale, between requests.
 */
#ifndef JERRY_SERVE_H
#define JERRY_SERVE_H

#include "jerry/jerry.h"

#include <stdarg.h>
#include <stddef.h>

struct serve_opts {
	const char *listen;      /* an address to listen on instead of loopback, or NULL */
	unsigned port;           /* 0: any free port */
	int open;                /* start a browser on the URL */
};

/*
 * Serve the store in `opts` (its data_dir set) until SIGINT or SIGTERM.
 * Prints the URL, with the run's token, on stdout.  0 after a clean
 * shutdown, else a code with err filled (JERRY_EINVALID: cannot listen).
 */
int serve_run(const jerry_open_opts *opts, const struct serve_opts *so, jerry_error *err);

/* ---- between the two files --------------------------------------------- */

/* A response body: text (malloc'd) and its HTTP status. */
struct serve_reply {
	unsigned status;
	char *body;
};

/* GET /api/board, /api/ready, /api/blocked, /api/item: what `get` returns. */
typedef const char *(*serve_arg_fn)(void *ctx, const char *name);
int serve_api_get(struct serve_reply *out, const jerry_open_opts *opts, const char *path,
		  serve_arg_fn arg, void *ctx);
/* POST /api/create, /api/item/ID/ACTION with a JSON body. */
int serve_api_post(struct serve_reply *out, const jerry_open_opts *opts, const char *path,
		   const char *body, size_t len);

/* {"error": jerry_error_json}: a refusal's body; NULL when out of memory. */
char *serve_error_body(const jerry_error *err);
/* The same for a refusal of the server's own: code and message. */
char *serve_vrefusal(int code, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* The embedded files (build/gen/serve_assets.c). */
struct serve_asset {
	const char *name;                /* "board.js" */
	const unsigned char *data;
	size_t len;
};
extern const struct serve_asset serve_assets[];
extern const size_t serve_nassets;

#endif
