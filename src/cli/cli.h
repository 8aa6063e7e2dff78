/*
 * cli.h - what the pieces of the `jerry` command share.
 *
 * The flow of one run (main.c):
 *
 *   1. make sure fds 0, 1 and 2 are open, so no message lands in a data file;
 *   2. find the command and parse its arguments against ONE table
 *      (commands.c): name, usage, summary, options, handler.  Help, usage
 *      errors and `jerry CMD --help` all come from that table;
 *   3. fill jerry_open_opts from the global options and the environment;
 *   4. open the store when the table says the command works on one
 *      (CLI_STORE, as git's RUN_SETUP), so a handler finds it in cli->store
 *      and never opens or frees it;
 *   5. run the handler, which returns the exit status; every error it meets
 *      goes through outcome.c, which knows text from --json;
 *   6. free the store; flush and close stdout; if that write failed, exit 6
 *      when nothing changed, exit 10 when the handler had committed a change.
 *
 * Handlers own what they allocate and free it before returning: the command
 * is meant to be valgrind-clean.
 */
#ifndef JERRY_CLI_H
#define JERRY_CLI_H

#include "jerry/jerry.h"

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

/* Every option any command knows, global ones included. */
enum cli_opt_id {
	OPT_NONE = 0,
	/* global */
	OPT_JSON, OPT_DATA, OPT_LOCK_TIMEOUT, OPT_HELP, OPT_VERSION, OPT_EXACT_TIME,
	/* per command */
	OPT_TYPE, OPT_PRIORITY, OPT_LABEL, OPT_DESCRIPTION, OPT_PARENT, OPT_ASSIGNEE,
	OPT_STATUS, OPT_ALL, OPT_SORT, OPT_LIMIT, OPT_TITLE, OPT_ADD_LABEL,
	OPT_REMOVE_LABEL, OPT_IF_VERSION, OPT_FORCE, OPT_REASON, OPT_REPAIR,
	OPT_LEASE, OPT_NEXT, OPT_ON, OPT_SINCE, OPT_ANY_LABEL, OPT_AS, OPT_CLAIM,
	OPT_CONTAINERS, OPT_CASCADE, OPT_SKIP, OPT_ANY, OPT_MINE, OPT_UNASSIGNED,
	OPT_TREE, OPT_BY, OPT_ITEM,
	OPT_PORT, OPT_LISTEN, OPT_OPEN,
	OPT_HISTORY, OPT_OUTPUT, OPT_FROM, OPT_DRY_RUN,
	OPT_TIMEOUT,
	OPT__COUNT
};

/*
 * One option in a command's table.  `arg` names the value, NULL for a flag.
 * An option with a value may be given once, unless `repeat` says what
 * giving it again means (doc/CLI.md has the table); the parser refuses a
 * second value otherwise, so no value is ever dropped.  A flag may always
 * be repeated: it means the same as once.
 */
enum cli_repeat {
	CLI_ONCE = 0,
	CLI_REPEAT,             /* every value counts           */
};

struct cli_opt {
	int id;
	const char *lng;        /* "priority" for --priority */
	char shrt;              /* 'p' for -p, 0 for none    */
	const char *arg;        /* "PRIORITY", or NULL       */
	const char *help;
	int repeat;             /* enum cli_repeat           */
	int answer;             /* --help, --version: answered alone, not in usage lines */
};

/*
 * Whether this run's change is in the store (outcome.c).  Set the moment the
 * library reports a change committed (0 or JERRY_EDURABLE); from then on no
 * failure may be reported as "nothing changed": out_error() and
 * out_finish() turn any of them into exit 10, naming what was changed.
 */
struct cli_commit {
	int done;
	int reported;                  /* an exit-10 error has gone to stderr      */
	char what[192];                /* "WORK-012 was updated (now version 5)"  */
	char item[32];                 /* "" for a store-wide change (init ...)   */
	int64_t version;
	int durable_rc;                /* JERRY_EDURABLE: out_finish() reports it */
	jerry_error warning;           /* ... this warning, when stdout was fine  */
};

/*
 * A command given several item IDs (outcome.c, out_each): each is decided
 * on its own.  With --json the results - the item, or {"id", "error"} -
 * collect as JSON texts in `texts` (the library's item texts as it gave
 * them, never parsed back), printed as one array at the end; `id` is the
 * ID being worked on, as typed.
 */
struct cli_each {
	char **texts;
	size_t n, alloc;
	const char *id;
	int out_of_memory;             /* a result was lost: the array would lie */
};

/* The state of one run, filled by main.c. */
struct cli {
	int json;
	int color;                     /* status colours on stdout */
	int exact_time;                /* --exact-time: RFC 3339 in text, not "3m ago" */
	const char *data_dir;          /* --data, else JERRY_DATA  */
	const char *lock_timeout;      /* --lock-timeout, as typed */
	const char *as;                /* --as, else JERRY_INSTANCE */
	jerry_open_opts opts;
	const struct cli_cmd *cmd;
	jerry_store *store;            /* main.c's, for a CLI_STORE command; else NULL */
	struct cli_commit *commit;     /* main.c's; NULL where nothing commits */
	struct cli_each *each;         /* several IDs: out_each's; NULL otherwise */
	char **argv;                   /* the command line as main() got it */
};

/* The parsed command line of a command: options in order, then operands. */
struct cli_optval {
	int id;
	const char *arg;
};

struct cli_args {
	struct cli_optval *opts;
	size_t nopts;
	char **pos;
	size_t npos;
};

typedef int (*cli_handler)(struct cli *cli, const struct cli_args *args);

/* How many item IDs a command that takes several accepts at once. */
#define CLI_IDS_MAX 1000

/*
 * What main.c does for a command before and after its handler, and what
 * kind of command it is (the handler reads this, never its own name).
 */
enum cli_cmd_flag {
	CLI_STORE = 1 << 0,            /* works on an existing store: main.c opens it */
	CLI_RENEW = 1 << 1,            /* claim family: renews claims held (heartbeat) */
	CLI_HELP = 1 << 2,             /* `help` itself: no handler, usage errors point to the list */
};

struct cli_cmd {
	const char *name;
	const char *usage;             /* operands and options after the name */
	const char *summary;
	const struct cli_opt *opts;    /* terminated by an entry with id 0    */
	size_t min_pos, max_pos;       /* how many operands it takes          */
	cli_handler run;
	unsigned flags;                /* enum cli_cmd_flag                   */
	/* start/block/done/cancel/reopen: the status they move to, and from */
	const char *status;
	const char *from_status;       /* reopen: only from done              */
	/* how its change reads, "a note was added to " ID "": NULL for the default */
	const char *change_before, *change_after;
	/* added to "unexpected argument 'X'" */
	const char *extra_hint;
};

/* commands.c */
extern const struct cli_cmd cli_commands[];
extern const struct cli_opt cli_global_opts[];
const struct cli_cmd *cli_cmd_find(const char *name);

/* args.c */
int cli_parse(struct cli_args *out, struct cli *cli, const struct cli_cmd *cmd,
	      int argc, char **argv, int *help);
void cli_args_release(struct cli_args *args);
int cli_parse_uint(uint64_t *out, const char *text, uint64_t max);
int cli_read_stdin(char **out, jerry_error *err);
int cli_text_arg(char **buf, const char **value, jerry_error *err);
int cli_open(jerry_store **out, struct cli *cli);
int cli_opts_setup(struct cli *cli);

/*
 * cmd_list.c: the filter options (--status, --type, --label, --any-label,
 * --assignee, --priority, --parent, --all, --sort, --limit), every value of
 * every repeat, as a jerry_filter; the library decides what they mean.
 * Returns 0 or an exit status (already reported); release it either way.
 */
struct cli_filter {
	jerry_filter f;
	const char **vals;             /* the memory behind f's lists */
};
int cli_filter_fill(struct cli_filter *cf, const struct cli *cli, const struct cli_args *args);
void cli_filter_release(struct cli_filter *cf);

/* main.c */
void cli_help_command(FILE *f, const struct cli_cmd *cmd);

/* the handlers, one file each or a family per file */
int cmd_init(struct cli *cli, const struct cli_args *args);
int cmd_create(struct cli *cli, const struct cli_args *args);
int cmd_show(struct cli *cli, const struct cli_args *args);
int cmd_list(struct cli *cli, const struct cli_args *args);
int cmd_update(struct cli *cli, const struct cli_args *args);
int cmd_transition(struct cli *cli, const struct cli_args *args);
int cmd_note(struct cli *cli, const struct cli_args *args);
int cmd_check(struct cli *cli, const struct cli_args *args);
int cmd_reindex(struct cli *cli, const struct cli_args *args);
int cmd_claim(struct cli *cli, const struct cli_args *args);
int cmd_release(struct cli *cli, const struct cli_args *args);
int cmd_dep(struct cli *cli, const struct cli_args *args);
int cmd_ready(struct cli *cli, const struct cli_args *args);
int cmd_blocked(struct cli *cli, const struct cli_args *args);
int cmd_export(struct cli *cli, const struct cli_args *args);
int cmd_import(struct cli *cli, const struct cli_args *args);
int cmd_search(struct cli *cli, const struct cli_args *args);
int cmd_summary(struct cli *cli, const struct cli_args *args);
int cmd_prime(struct cli *cli, const struct cli_args *args);
int cmd_history(struct cli *cli, const struct cli_args *args);
int cmd_log(struct cli *cli, const struct cli_args *args);
int cmd_mcp(struct cli *cli, const struct cli_args *args);
int cmd_serve(struct cli *cli, const struct cli_args *args);

/*
 * The board's server, once cmd_serve has parsed its options.  Two files
 * define it and each program links one (doc/adr/0022-serve.md): in `jerry`,
 * serve_exec.c runs the `jerry-serve` program with the same command line,
 * so that libmicrohttpd and TLS are never loaded by the command agents
 * start hundreds of times; in `jerry-serve`, serve_here.c runs the server.
 */
struct serve_opts;
int cli_serve(struct cli *cli, const struct serve_opts *so);
int cmd_merge_file(struct cli *cli, const struct cli_args *args);
int cmd_git(struct cli *cli, const struct cli_args *args);
int cmd_sync(struct cli *cli, const struct cli_args *args);

#endif
