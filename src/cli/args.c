/*
 * args.c - the command line and the environment: a small option parser
 * driven by the command table, number parsing, reading text from standard
 * input, and turning global options plus JERRY_* variables into
 * jerry_open_opts.
 *
 * The parser is deliberately plain.  Options and operands may be
 * interleaved; `--` ends the options; `--name=value`, `--name value`,
 * `-xvalue` and `-x value` are all accepted; a lone `-` is an operand (it
 * means standard input where the command says so).  Long names must be
 * spelled out: abbreviations would break the day a new option shares a
 * prefix.  Global options are accepted by every command.  An option with
 * a value is taken once unless its table entry says it repeats: a second
 * `--title` is refused here, for every command, rather than silently
 * replacing the first.
 */
#include "cli.h"
#include "output.h"
#include "../util/strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STDIN_MAX (16u * 1024u * 1024u)
#define LOCK_TIMEOUT_MAX 3600000u

static const struct cli_opt *find_long(const struct cli_cmd *cmd, const char *name, size_t len)
{
	const struct cli_opt *tables[2] = { cmd ? cmd->opts : NULL, cli_global_opts };
	for (int t = 0; t < 2; t++) {
		if (!tables[t])
			continue;
		for (const struct cli_opt *o = tables[t]; o->id; o++)
			if (strlen(o->lng) == len && strncmp(o->lng, name, len) == 0)
				return o;
	}
	return NULL;
}

static const struct cli_opt *find_short(const struct cli_cmd *cmd, char c)
{
	const struct cli_opt *tables[2] = { cmd ? cmd->opts : NULL, cli_global_opts };
	for (int t = 0; t < 2; t++) {
		if (!tables[t])
			continue;
		for (const struct cli_opt *o = tables[t]; o->id; o++)
			if (o->shrt && o->shrt == c)
				return o;
	}
	return NULL;
}

/* A second value for an option that takes one is an error, never a replacement. */
static int once(const struct cli *cli, const struct cli_opt *o, unsigned char *seen)
{
	if (!o->arg || o->repeat != CLI_ONCE)
		return 0;
	if (seen[o->id])
		return out_usage(cli, "option '--%s' given twice", o->lng);
	seen[o->id] = 1;
	return 0;
}

/* Record one option; global ones go straight into `cli`.  Returns 1 to stop. */
static int take(struct cli_args *out, struct cli *cli, const struct cli_opt *o, const char *arg,
		int *help)
{
	switch (o->id) {
	case OPT_JSON:
		cli->json = 1;
		return 0;
	case OPT_DATA:
		cli->data_dir = arg;
		return 0;
	case OPT_LOCK_TIMEOUT:
		cli->lock_timeout = arg;
		return 0;
	case OPT_AS:
		cli->as = arg;
		return 0;
	case OPT_EXACT_TIME:
		cli->exact_time = 1;
		return 0;
	case OPT_HELP:
		*help = 1;
		return 1;
	case OPT_VERSION:
		*help = 2;
		return 1;
	default:
		out->opts[out->nopts].id = o->id;
		out->opts[out->nopts].arg = arg;
		out->nopts++;
		return 0;
	}
}

int cli_parse(struct cli_args *out, struct cli *cli, const struct cli_cmd *cmd,
	      int argc, char **argv, int *help)
{
	unsigned char seen[OPT__COUNT] = { 0 };
	int rc = 0;
	memset(out, 0, sizeof(*out));
	*help = 0;
	/*
	 * Never more operands than words; but a cluster like -aaaa is four
	 * options in one word, so options are bounded by the characters.
	 */
	size_t maxopts = 1;
	for (int i = 0; i < argc; i++)
		maxopts += argv[i][0] == '-' ? strlen(argv[i]) : 1;
	out->opts = calloc(maxopts, sizeof(*out->opts));
	out->pos = calloc((size_t)argc + 1, sizeof(*out->pos));
	if (!out->opts || !out->pos) {
		cli_args_release(out);
		return out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	}
	for (int i = 0; i < argc; i++) {
		char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			while (++i < argc)
				out->pos[out->npos++] = argv[i];
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			out->pos[out->npos++] = a;
			continue;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const struct cli_opt *o = find_long(cmd, name, len);
			const char *arg = NULL;
			if (!o) {
				rc = out_usage(cli, "unknown option '--%.*s'", (int)len, name);
				goto fail;
			}
			if (o->arg) {
				if (eq)
					arg = eq + 1;
				else if (i + 1 < argc)
					arg = argv[++i];
				else {
					rc = out_usage(cli, "option '--%s' needs a value (%s)", o->lng, o->arg);
					goto fail;
				}
			} else if (eq) {
				rc = out_usage(cli, "option '--%s' takes no value", o->lng);
				goto fail;
			}
			if ((rc = once(cli, o, seen)))
				goto fail;
			if (take(out, cli, o, arg, help))
				return 0;
			continue;
		}
		/* A cluster of short options: -fa, -lfoo, -l foo. */
		for (const char *p = a + 1; *p; p++) {
			const struct cli_opt *o = find_short(cmd, *p);
			const char *arg = NULL;
			if (!o) {
				rc = out_usage(cli, "unknown option '-%c'", *p);
				goto fail;
			}
			if (o->arg) {
				if (p[1])
					arg = p + 1;
				else if (i + 1 < argc)
					arg = argv[++i];
				else {
					rc = out_usage(cli, "option '-%c' needs a value (%s)", *p, o->arg);
					goto fail;
				}
			}
			if ((rc = once(cli, o, seen)))
				goto fail;
			if (take(out, cli, o, arg, help))
				return 0;
			if (arg)
				break;
		}
	}
	return 0;
fail:
	cli_args_release(out);
	return rc;
}

void cli_args_release(struct cli_args *args)
{
	free(args->opts);
	free(args->pos);
	memset(args, 0, sizeof(*args));
}

int cli_parse_uint(uint64_t *out, const char *text, uint64_t max)
{
	uint64_t v = 0;
	if (!text || !*text)
		return -1;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		unsigned d = (unsigned)(*p - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int cli_read_stdin(char **out, jerry_error *err)
{
	struct jr_sb sb = JR_SB_INIT;
	size_t len;
	char *buf;
	*out = NULL;
	for (;;) {
		if (sb.len > STDIN_MAX) {
			jr_sb_release(&sb);
			jerry_error_clear(err);
			err->code = JERRY_EINVALID;
			snprintf(err->message, sizeof(err->message),
				 "standard input is larger than %u bytes", STDIN_MAX);
			return JERRY_EINVALID;
		}
		char *w = jr_sb_reserve(&sb, 4096);
		if (!w)
			goto nomem;
		ssize_t n = read(STDIN_FILENO, w, sb.alloc - sb.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			jr_sb_release(&sb);
			jerry_error_clear(err);
			err->code = JERRY_ESTORAGE;
			err->sys_errno = e;
			snprintf(err->message, sizeof(err->message), "cannot read standard input: %s",
				 strerror(e));
			return JERRY_ESTORAGE;
		}
		if (n == 0)
			break;
		jr_sb_commit(&sb, w + n);
	}
	if (!(buf = jr_sb_detach(&sb, &len)))
		goto nomem;
	if (memchr(buf, '\0', len)) {
		free(buf);
		jerry_error_clear(err);
		err->code = JERRY_EINVALID;
		snprintf(err->message, sizeof(err->message), "standard input contains a NUL byte");
		return JERRY_EINVALID;
	}
	/* `echo text | jerry note 7 -` should not store the shell's newline. */
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	*out = buf;
	return 0;
nomem:
	jr_sb_release(&sb);
	jerry_error_clear(err);
	err->code = JERRY_ENOMEM;
	snprintf(err->message, sizeof(err->message), "out of memory");
	return JERRY_ENOMEM;
}

int cli_text_arg(char **buf, const char **value, jerry_error *err)
{
	if (!*value || strcmp(*value, "-") != 0)
		return 0;
	if (*buf) {
		jerry_error_clear(err);
		err->code = JERRY_EINVALID;
		snprintf(err->message, sizeof(err->message), "standard input can be read only once");
		return JERRY_EINVALID;
	}
	int rc = cli_read_stdin(buf, err);
	if (rc == 0)
		*value = *buf;
	return rc;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

int cli_opts_setup(struct cli *cli)
{
	jerry_open_opts *o = &cli->opts;
	jerry_open_opts_init(o);
	o->data_dir = cli->data_dir ? cli->data_dir : env("JERRY_DATA");
	o->project = env("JERRY_PROJECT");
	/* --as, then JERRY_INSTANCE; the library goes on from there (ADR 0012). */
	o->instance = cli->as ? cli->as : env("JERRY_INSTANCE");
	o->session = env("JERRY_SESSION");
	/* main() installed the SIGALRM handler that makes blocking waits bounded. */
	o->lock_wait_interruptible = 1;
	const char *sync = env("JERRY_SYNC");
	if (sync && (strcmp(sync, "off") == 0 || strcmp(sync, "0") == 0))
		o->sync = 0;
	if (cli->data_dir && !*cli->data_dir)
		return out_usage(cli, "option '--data' needs a directory");
	if (cli->as && !*cli->as)
		return out_usage(cli, "option '--as' needs a name");

	const char *t = cli->lock_timeout, *what = "--lock-timeout";
	if (!t) {
		t = env("JERRY_LOCK_TIMEOUT");
		what = "JERRY_LOCK_TIMEOUT";
	}
	if (t) {
		uint64_t ms;
		if (cli_parse_uint(&ms, t, LOCK_TIMEOUT_MAX))
			return out_fail(cli, JERRY_EINVALID,
					"give milliseconds, from 0 to 3600000 (an hour)",
					"%s '%.64s' is not a number of milliseconds", what, t);
		o->lock_timeout_ms = (int)ms;
	}
	return 0;
}

int cli_open(jerry_store **out, struct cli *cli)
{
	jerry_error err;
	jerry_error_clear(&err);
	int rc = jerry_store_open(out, &cli->opts, &err);
	if (rc) {
		*out = NULL;
		return out_error(cli, rc, &err);
	}
	return 0;
}
