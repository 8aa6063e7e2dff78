/*
 * error.c - filling the caller's jerry_error.  Never allocates: the error
 * path must work when memory or disk has run out.
 */
#include "domain.h"

#include <stdio.h>
#include <string.h>

void jerry_error_clear(jerry_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

__attribute__((format(printf, 4, 0)))
static int vset(jerry_error *err, int code, int e, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	err->sys_errno = e;
	int n = vsnprintf(err->message, sizeof(err->message), fmt, ap);
	if (e && n >= 0 && (size_t)n < sizeof(err->message))
		snprintf(err->message + n, sizeof(err->message) - (size_t)n, ": %s", strerror(e));
	return code;
}

int jr_error(jerry_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, 0, fmt, ap);
	va_end(ap);
	return code;
}

int jr_error_sys(jerry_error *err, int code, int e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, e, fmt, ap);
	va_end(ap);
	return code;
}

void jr_error_hint(jerry_error *err, const char *fmt, ...)
{
	if (!err)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
}

void jr_error_pass(jerry_error *err, const jerry_error *from)
{
	if (err && err != from)
		*err = *from;
}

/* Fixed forever: scripts depend on the statuses and the names. */
static const jerry_exit_row exit_table[] = {
	{ 0, JERRY_OK, "ok", "ok", "ok" },
	{ 1, JERRY_EINTERNAL, "internal", "unexpected internal error", NULL },
	{ 1, JERRY_ENOMEM, "out_of_memory", "out of memory", NULL },
	{ 2, JERRY_EINVALID, "invalid", "usage or invalid input",
	  "bad usage (see jerry help CMD)" },
	{ 3, JERRY_ENOTFOUND, "not_found",
	  "not found: the item, parent, dependency or store; claim --next: nothing is ready",
	  "not found or nothing ready" },
	{ 4, JERRY_ECONFLICT, "conflict",
	  "conflict: a stale --if-version, a live claim held by another, a wrong --claim token",
	  "claimed by another or stale --if-version: pick another item or re-read" },
	{ 5, JERRY_ELOCKED, "lock_timeout", "lock timeout: the message names the lock",
	  "lock busy: retry shortly" },
	{ 6, JERRY_ESTORAGE, "storage", "storage error, nothing changed: safe to retry",
	  "storage problem, nothing changed: tell the user" },
	{ 7, JERRY_ECORRUPT, "corrupt", "corrupt data on disk, or problems check found",
	  "corrupt file: run jerry check, tell the user" },
	{ 8, JERRY_EDURABLE, "durability_uncertain", "committed, durability uncertain",
	  "committed, verify with show" },
	{ 9, JERRY_EREFUSED, "refused", "refused by a rule: the message says what is allowed",
	  "refused by a rule: the message lists what is allowed" },
	{ 10, JERRY_EOUTPUT, "output_failed",
	  "the change is made, but its result could not be delivered: do not repeat it",
	  "the change is made but its output was lost: do not repeat it, jerry show ID" },
};

#define EXIT_ROWS (sizeof(exit_table) / sizeof(exit_table[0]))

const jerry_exit_row *jerry_exit_table(size_t *n)
{
	*n = EXIT_ROWS;
	return exit_table;
}

static const jerry_exit_row *exit_row(int code)
{
	for (size_t i = 0; i < EXIT_ROWS; i++)
		if (exit_table[i].code == code)
			return &exit_table[i];
	return NULL;
}

int jerry_code_exit_status(int code)
{
	if (code >= 0)
		return 0;
	const jerry_exit_row *r = exit_row(code);
	return r ? r->status : 1;
}

const char *jerry_code_name(int code)
{
	const jerry_exit_row *r = exit_row(code);
	return r ? r->name : "internal";
}
