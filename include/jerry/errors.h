/*
 * jerry/errors.h - codes, exit statuses and the error object every call fills.
 * Part of libjerry's public API: include "jerry/jerry.h", which includes
 * every part and says the conventions they all follow.
 */
#ifndef JERRY_ERRORS_H
#define JERRY_ERRORS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Result codes.  Fixed forever: scripts depend on the exit codes. */
typedef enum jerry_code {
	JERRY_OK = 0,
	JERRY_EINTERNAL = -1,  /* a bug or an impossible state           exit 1 */
	JERRY_EINVALID = -2,   /* bad usage or invalid input             exit 2 */
	JERRY_ENOTFOUND = -3,  /* no such item, no store, nothing ready  exit 3 */
	JERRY_ECONFLICT = -4,  /* stale --if-version, claim held         exit 4 */
	JERRY_ELOCKED = -5,    /* a lock was not granted in time         exit 5 */
	JERRY_ESTORAGE = -6,   /* I/O failed, nothing changed            exit 6 */
	JERRY_ECORRUPT = -7,   /* unreadable data on disk                exit 7 */
	JERRY_EDURABLE = -8,   /* committed, durability uncertain        exit 8 */
	JERRY_EREFUSED = -9,   /* a rule refused it (transition, parent) exit 9 */
	JERRY_ENOMEM = -10,    /* out of memory                          exit 1 */
	JERRY_EOUTPUT = -11    /* committed, but the result not delivered exit 10 */
} jerry_code;

/*
 * JERRY_EOUTPUT is never returned by the library's own functions: it is
 * the outcome a face (the `jerry` command, a server) reports when the
 * library committed a change and then the face failed to deliver the
 * result - a failed write of standard output, say.  It is here so that
 * every face gives that outcome the same name and exit status: the change
 * is made, and repeating the command would make it twice.
 */

/* The exit status the CLI uses for a code (0..10). */
int jerry_code_exit_status(int code);
/* A stable machine name for a code: "conflict", "lock_timeout", ... */
const char *jerry_code_name(int code);

/*
 * The exit-status table: one row per code, in the order of the exit
 * status.  It is the one source of what each status means; the two
 * functions above read it, `jerry help exit-codes` prints it, `jerry
 * prime` briefs an agent from it, and tests/system/t0240 holds the
 * tables in README.md, doc/CLI.md, doc/jerry.1 and the skill to it.
 */
typedef struct jerry_exit_row {
	int status;                    /* the exit status, 0..10                  */
	int code;                      /* the jerry_code it stands for            */
	const char *name;              /* jerry_code_name(code)                   */
	const char *meaning;           /* what happened, in one line              */
	const char *advice;            /* what a caller does next, briefly; NULL:
					  not worth an agent's attention (exit 1) */
} jerry_exit_row;

/* The rows, static; *n gets how many. */
const jerry_exit_row *jerry_exit_table(size_t *n);

#define JERRY_ERROR_MSG_MAX 768
#define JERRY_ERROR_DEPS_MAX 32

/* A dependency that is not done, as a refusal to start an item lists it. */
typedef struct jerry_dep_state {
	int64_t num;                   /* 13 for WORK-013                         */
	int status;                    /* its jerry_status, or -1: no such item   */
} jerry_dep_state;

/*
 * What went wrong, in words and in facts.  Fields that do not apply are left
 * at zero / empty.  `message` is a complete sentence fragment in the style
 * "cannot update 'WORK-012': version 4 is stale (now 5)".
 */
typedef struct jerry_error {
	int code;
	int sys_errno;                 /* errno behind a storage error, or 0   */
	char message[JERRY_ERROR_MSG_MAX];
	char hint[256];                /* what to do next, or ""                */
	char item[32];                 /* the item concerned, "WORK-012"       */
	char path[4352];               /* file concerned (corrupt data, I/O)   */
	int line, column;              /* position in `path` for JERRY_ECORRUPT */
	int64_t expected_version;      /* JERRY_ECONFLICT on --if-version      */
	int64_t current_version;
	char holder[192];              /* JERRY_ECONFLICT on a held claim      */
	int64_t holder_expires_ms;
	char allowed[160];             /* JERRY_EREFUSED: allowed transitions, "in_progress, cancelled" */
	/*
	 * The same moves for a program: bit (1u << s) is set for every
	 * jerry_status s the item could move to (0: none, or not a refused
	 * move).  jerry_error_allowed() reads it.
	 */
	unsigned allowed_moves;
	/*
	 * JERRY_EREFUSED by the dependency gate (an item cannot start before
	 * what it depends on is done): the dependencies that are not done,
	 * the first JERRY_ERROR_DEPS_MAX of them, and how many there are.
	 */
	jerry_dep_state open_deps[JERRY_ERROR_DEPS_MAX];
	size_t nopen_deps;
	/*
	 * JERRY_EREFUSED closing (done, cancel) an item with open items below
	 * it: the first JERRY_ERROR_DEPS_MAX of them, and how many there are.
	 */
	jerry_dep_state open_descendants[JERRY_ERROR_DEPS_MAX];
	size_t nopen_descendants;
} jerry_error;

void jerry_error_clear(jerry_error *err);
/*
 * The error object every face shows for a refusal, as JSON text:
 * {"code", "exit", "message"} and what applies of "hint", "item", "path",
 * "line", "column", "expected_version", "current_version", "holder",
 * "holder_expires_at", "open_dependencies", "open_descendants",
 * "allowed" (doc/CLI.md).  `code` is the jerry_code (a code >= 0 counts as
 * JERRY_EINTERNAL); flags as jerry_item_json (JERRY_JSON_COMPACT: one
 * line).  malloc'd; NULL when out of memory.
 */
char *jerry_error_json(int code, const jerry_error *err, int flags);

#ifdef __cplusplus
}
#endif
#endif
