/*
 * main.c - the `jerry` command: stdio hygiene, finding the command in the
 * table (commands.c), global options, help, and the exit status.
 *
 * The exit status is always jerry_code_exit_status() of what went wrong
 * (doc/CLI.md has the table); handlers return it, and out_finish() turns a
 * failed write of stdout into exit 6 - `jerry list > /dev/full` must not
 * look like success - or, once a change is committed, into exit 10: the
 * change is made and a retry would make it twice.
 */
#include "cli.h"
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <sys/random.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * A process started with fd 1 closed would get the next file it opens as
 * its stdout, and a stray message would land in an item file.  Park every
 * closed standard fd on /dev/null before anything can open a file.
 */
static int stdio_hygiene(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		int nfd = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if (nfd < 0)
			return -1;
		if (nfd != fd) {
			/* Lower fds are open by now, so open() returned fd itself; be safe anyway. */
			if (dup2(nfd, fd) < 0)
				return -1;
			close(nfd);
		}
	}
	return 0;
}

/*
 * Lock waits block in the kernel and are bounded by a periodic SIGALRM
 * (src/store/lock.c).  The handler does nothing: its only job is to exist
 * without SA_RESTART, so the blocked fcntl() returns EINTR and the library
 * can look at its deadline.
 */
static void on_alarm(int sig)
{
	(void)sig;
}

static int lock_wait_setup(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGALRM, &sa, NULL);
}

/* ---- help -------------------------------------------------------------------- */

/* " [--json] [--data DIR] ...", or with sep ", " "--json, --data DIR, ...": from the table. */
static void put_globals(FILE *f, const char *open, const char *sep, const char *close)
{
	const char *between = "";
	for (const struct cli_opt *o = cli_global_opts; o->id; o++) {
		if (o->answer)
			continue;
		fprintf(f, "%s%s--%s%s%s%s", between, open, o->lng, o->arg ? " " : "",
			o->arg ? o->arg : "", close);
		between = sep;
	}
}

static void help_options(FILE *f, const struct cli_opt *opts)
{
	for (const struct cli_opt *o = opts; o->id; o++) {
		char left[64];
		int n;
		if (o->shrt)
			n = snprintf(left, sizeof(left), "-%c, --%s%s%s", o->shrt, o->lng,
				     o->arg ? " " : "", o->arg ? o->arg : "");
		else
			n = snprintf(left, sizeof(left), "    --%s%s%s", o->lng, o->arg ? " " : "",
				     o->arg ? o->arg : "");
		if (n < 0)
			continue;
		fprintf(f, "  %-26s %s%s\n", left, o->help, o->repeat ? " (repeatable)" : "");
	}
}

void cli_help_command(FILE *f, const struct cli_cmd *cmd)
{
	fprintf(f, "usage: jerry %s%s%s\n\n%s\n", cmd->name, *cmd->usage ? " " : "", cmd->usage,
		cmd->summary);
	if (cmd->opts[0].id) {
		fprintf(f, "\nOptions:\n");
		help_options(f, cmd->opts);
	}
	fprintf(f, "\nGlobal options ");
	put_globals(f, "", ", ", "");
	fprintf(f, " work here too; see 'jerry help'.\n");
}

static void help_all(FILE *f)
{
	fprintf(f, "usage: jerry ");
	put_globals(f, "[", " ", "]");
	fprintf(f, " COMMAND [ARGS]\n\n"
		   "A work tracker that many processes can share without losing a write.\n\n"
		   "Commands:\n");
	for (const struct cli_cmd *c = cli_commands; c->name; c++)
		fprintf(f, "  %-9s %s\n", c->name, c->summary);
	fprintf(f, "\nGlobal options (before or after the command):\n");
	help_options(f, cli_global_opts);
	fprintf(f, "\nEnvironment: JERRY_DATA, JERRY_PROJECT, JERRY_LOCK_TIMEOUT, JERRY_INSTANCE,\n"
		   "JERRY_SESSION, CLAUDE_CODE_SESSION_ID, JERRY_SYNC=off, NO_COLOR.\n\n"
		   "Run 'jerry help COMMAND' or 'jerry COMMAND --help' for a command's options,\n"
		   "'jerry help exit-codes' for what each exit status means,\n"
		   "and 'man jerry' for the whole story.\n");
}

static void usage_short(void)
{
	fprintf(stderr, "usage: jerry ");
	put_globals(stderr, "[", " ", "]");
	fprintf(stderr, " COMMAND [ARGS]\nrun 'jerry help' for the list of commands\n");
}

/* `jerry help exit-codes`: the library's exit table, as the docs' tables must say it. */
static int help_exit_codes(struct cli *cli)
{
	size_t n;
	const jerry_exit_row *rows = jerry_exit_table(&n);
	if (!cli->json) {
		for (size_t i = 0; i < n; i++)
			printf("%-3d %-21s %s\n", rows[i].status, rows[i].name, rows[i].meaning);
		return 0;
	}
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		out_json_push(&arr, json_pack("{s:i,s:s,s:s,s:s?}", "exit", rows[i].status, "code",
					      rows[i].name, "meaning", rows[i].meaning, "advice",
					      rows[i].advice));
	return out_json(cli, arr);
}

static int run_help(struct cli *cli, const struct cli_args *args)
{
	if (args->npos == 0) {
		help_all(stdout);
		return 0;
	}
	if (strcmp(args->pos[0], "exit-codes") == 0)
		return help_exit_codes(cli);
	const struct cli_cmd *cmd = cli_cmd_find(args->pos[0]);
	if (!cmd) {
		cli->cmd = NULL;
		return out_usage(cli, "'%.64s' is not a jerry command", args->pos[0]);
	}
	cli_help_command(stdout, cmd);
	return 0;
}

/* ---- operands ------------------------------------------------------------------ */

/* "ID TEXT|- [--if-version N]" -> "ID TEXT|-": the operands a command needs. */
static int check_operands(const struct cli *cli, const struct cli_args *args)
{
	const struct cli_cmd *cmd = cli->cmd;
	if (args->npos < cmd->min_pos) {
		size_t n = strcspn(cmd->usage, "[");
		while (n && cmd->usage[n - 1] == ' ')
			n--;
		return out_usage(cli, "'%s' needs %.*s", cmd->name, (int)n, cmd->usage);
	}
	if (args->npos > cmd->max_pos) {
		if (cmd->max_pos == 0)
			return out_usage(cli, "'%s' takes no arguments, not '%.64s'", cmd->name,
					 args->pos[0]);
		return out_usage(cli, "unexpected argument '%.64s'%s", args->pos[cmd->max_pos],
				 cmd->extra_hint ? cmd->extra_hint : "");
	}
	return 0;
}

/* ---- main ------------------------------------------------------------------- */

/*
 * The global option a word is, when the value (if it takes one) is the
 * next word: "--data" or "-h", not "--data=DIR".  NULL for anything else.
 */
static const struct cli_opt *global_word(const char *a)
{
	if (a[0] != '-')
		return NULL;
	for (const struct cli_opt *o = cli_global_opts; o->id; o++)
		if (a[1] == '-' ? strcmp(a + 2, o->lng) == 0 : o->shrt && a[1] == o->shrt && !a[2])
			return o;
	return NULL;
}

/* Where the command name is: the first word that is not a global option or its value. */
static int find_command(int argc, char **argv, int *dashdash)
{
	*dashdash = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			*dashdash = 1;
			return i + 1 < argc ? i + 1 : -1;
		}
		if (a[0] != '-' || a[1] == '\0')
			return i;
		/* A global option that takes a value: skip the value too. */
		const struct cli_opt *o = global_word(a);
		if (o && o->arg && i + 1 < argc)
			i++;
	}
	return -1;
}

static int prescan_json(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const struct cli_opt *o = global_word(argv[i]);
		if (o && o->id == OPT_JSON)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct cli_commit commit;
	struct cli_args args;
	char **rest = NULL;
	int help = 0, status, dashdash, nrest = 0;

	if (stdio_hygiene() < 0 || lock_wait_setup() < 0)
		return 1;
	/*
	 * jansson seeds its hash function from /dev/urandom on first use
	 * (open, read, close); one getrandom() does the same job.
	 */
	uint32_t seed;
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == (ssize_t)sizeof(seed) && seed)
		json_object_seed(seed);
	/* Not a terminal: write in 64 KiB blocks (a long list --json made 900 write()s). */
	static char outbuf[1 << 16];
	if (!isatty(STDOUT_FILENO))
		(void)setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	memset(&cli, 0, sizeof(cli));
	memset(&commit, 0, sizeof(commit));
	memset(&args, 0, sizeof(args));
	cli.commit = &commit;
	cli.argv = argv;
	/* Known before parsing, so even a usage error comes out as JSON. */
	cli.json = prescan_json(argc, argv);

	int at = find_command(argc, argv, &dashdash);
	if (at > 0) {
		cli.cmd = cli_cmd_find(argv[at]);
		if (!cli.cmd) {
			status = out_usage(&cli, "'%.64s' is not a jerry command", argv[at]);
			goto out;
		}
	}
	rest = calloc((size_t)argc + 1, sizeof(*rest));
	if (!rest) {
		status = out_fail(&cli, JERRY_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (int i = 1; i < argc; i++)
		if (i != at && !(dashdash && i == at - 1))
			rest[nrest++] = argv[i];
	if ((status = cli_parse(&args, &cli, cli.cmd, nrest, rest, &help)))
		goto out;
	out_setup(&cli);

	if (help == 2) {
		printf("jerry %s\n", JERRY_VERSION);
		status = 0;
		goto out;
	}
	if (help) {
		if (cli.cmd && !(cli.cmd->flags & CLI_HELP))
			cli_help_command(stdout, cli.cmd);
		else
			help_all(stdout);
		status = 0;
		goto out;
	}
	if (!cli.cmd) {
		if (cli.json)
			status = out_usage(&cli, "no command given");
		else {
			usage_short();
			status = 2;
		}
		goto out;
	}
	if ((status = check_operands(&cli, &args)))
		goto out;
	if (!cli.cmd->run) {
		status = run_help(&cli, &args);
		goto out;
	}
	if ((status = cli_opts_setup(&cli)))
		goto out;
	/* --claim TOKEN: proof of holding, which the library checks (ADR 0012). */
	for (size_t i = 0; i < args.nopts; i++)
		if (args.opts[i].id == OPT_CLAIM)
			cli.opts.claim_token = args.opts[i].arg;
	/* The setup the table asks for: handlers find the store open and never free it. */
	if ((cli.cmd->flags & CLI_STORE) && (status = cli_open(&cli.store, &cli)))
		goto out;
	status = cli.cmd->run(&cli, &args);
out:
	jerry_store_free(cli.store);
	cli.store = NULL;
	cli_args_release(&args);
	free(rest);
	return out_finish(&cli, status);
}
