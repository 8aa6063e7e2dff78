/*
 * serve_exec.c - cli_serve() in the `jerry` command: replace this process
 * with the `jerry-serve` program, given the same command line.
 *
 * The board needs libmicrohttpd, and with it GnuTLS and half a dozen
 * libraries more; the command an agent starts hundreds of times a session
 * should not load them, as git keeps libcurl out of git itself by running
 * git-remote-https (doc/adr/0022-serve.md).  `jerry-serve` is the whole
 * command with the server linked in, so it parses the same line again,
 * opens the same store and reports errors the same way; the process, its
 * pid and its standard streams stay the same.
 *
 * Where it is: beside the running `jerry` (the build tree, or a bin
 * directory holding both), else in JERRY_LIBEXECDIR, where `make install`
 * puts it.
 */
#include "cli.h"
#include "output.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef JERRY_LIBEXECDIR
#define JERRY_LIBEXECDIR "/usr/local/libexec/jerry"
#endif

#define SERVE_PROGRAM "jerry-serve"

/* "<directory of the running program>/jerry-serve" into buf; -1 if unknown. */
static int beside_self(char *buf, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	int len = snprintf(buf, size, "%s/%s", self, SERVE_PROGRAM);
	return len < 0 || (size_t)len >= size ? -1 : 0;
}

int cli_serve(struct cli *cli, const struct serve_opts *so)
{
	static const char hint[] = "'make install' puts it in " JERRY_LIBEXECDIR;
	char near[PATH_MAX];
	const char *tried[2];
	size_t ntried = 0;

	(void)so;
	if (beside_self(near, sizeof(near)) == 0)
		tried[ntried++] = near;
	tried[ntried++] = JERRY_LIBEXECDIR "/" SERVE_PROGRAM;
	/* Nothing is written yet, but no buffered byte may be lost across exec. */
	if (fflush(stdout) == EOF || fflush(stderr) == EOF)
		return out_fail(cli, JERRY_ESTORAGE, NULL, "cannot write: %s", strerror(errno));
	for (size_t i = 0; i < ntried; i++) {
		/* argv[0] names the program that runs, as ps and core files expect. */
		cli->argv[0] = (char *)tried[i];
		execv(tried[i], cli->argv);
		/* Only "not there" moves on to the next place; anything else is the answer. */
		if (errno != ENOENT && errno != ENOTDIR)
			return out_fail(cli, JERRY_EINTERNAL, NULL, "cannot run %s: %s", tried[i],
					strerror(errno));
	}
	if (ntried == 2)
		return out_fail(cli, JERRY_EINTERNAL, hint,
				"the board's program %s is not installed (looked in %.*s and %s)",
				SERVE_PROGRAM, (int)(strrchr(near, '/') - near), near, JERRY_LIBEXECDIR);
	return out_fail(cli, JERRY_EINTERNAL, hint, "the board's program %s is not installed in %s",
			SERVE_PROGRAM, JERRY_LIBEXECDIR);
}
