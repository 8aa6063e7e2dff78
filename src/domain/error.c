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

int jerry_code_exit_status(int code)
{
	if (code >= 0)
		return 0;
	if (code >= JERRY_EREFUSED)
		return -code;
	if (code == JERRY_EOUTPUT)
		return 10;
	return 1;
}

const char *jerry_code_name(int code)
{
	switch (code) {
	case JERRY_OK: return "ok";
	case JERRY_EINTERNAL: return "internal";
	case JERRY_EINVALID: return "invalid";
	case JERRY_ENOTFOUND: return "not_found";
	case JERRY_ECONFLICT: return "conflict";
	case JERRY_ELOCKED: return "lock_timeout";
	case JERRY_ESTORAGE: return "storage";
	case JERRY_ECORRUPT: return "corrupt";
	case JERRY_EDURABLE: return "durability_uncertain";
	case JERRY_EREFUSED: return "refused";
	case JERRY_ENOMEM: return "out_of_memory";
	case JERRY_EOUTPUT: return "output_failed";
	}
	return "internal";
}
