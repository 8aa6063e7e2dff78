/*
 * strbuf.c - the growable, bounded byte buffer of strbuf.h.
 */
#include "strbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

void jr_sb_init(struct jr_sb *sb)
{
	*sb = (struct jr_sb)JR_SB_INIT;
}

void jr_sb_release(struct jr_sb *sb)
{
	free(sb->buf);
	jr_sb_init(sb);
}

/*
 * Mark sb failed.  Its room is then counted as none, so that every later
 * append, even of one byte, takes jr_sb_grow's path and is refused there:
 * the inline fast path needs no test of its own.
 */
static void mark_failed(struct jr_sb *sb)
{
	sb->failed = 1;
	sb->alloc = sb->len;
}

int jr_sb_grow(struct jr_sb *sb, size_t extra)
{
	size_t need, want;
	char *grown;
	if (sb->failed)
		return JERRY_ENOMEM;
	/* len + extra + 1 must fit, and no object may exceed PTRDIFF_MAX. */
	if (extra > (size_t)PTRDIFF_MAX - 1 - sb->len)
		goto fail;
	need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return 0;
	/* Half as much again, so n appends cost O(n) copying in all. */
	want = sb->alloc + sb->alloc / 2 + 64;
	if (want < need || want > (size_t)PTRDIFF_MAX)
		want = need;
	grown = realloc(sb->buf, want);
	if (!grown)
		goto fail;
	if (!sb->buf)
		grown[0] = '\0';
	sb->buf = grown;
	sb->alloc = want;
	return 0;
fail:
	mark_failed(sb);
	return JERRY_ENOMEM;
}

int jr_sb_addf(struct jr_sb *sb, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (jr_sb_grow(sb, 64))
		return JERRY_ENOMEM;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		goto bad;
	if ((size_t)n >= sb->alloc - sb->len) {
		if (jr_sb_grow(sb, (size_t)n))
			return JERRY_ENOMEM;
		va_start(ap, fmt);
		n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
		va_end(ap);
		if (n < 0 || (size_t)n >= sb->alloc - sb->len)
			goto bad;
	}
	sb->len += (size_t)n;
	return 0;
bad:
	/* vsnprintf wrote who knows what after len: end the content there again. */
	sb->buf[sb->len] = '\0';
	mark_failed(sb);
	return JERRY_EINTERNAL;
}

char *jr_sb_detach(struct jr_sb *sb, size_t *len)
{
	char *out;
	if (sb->failed || jr_sb_grow(sb, 0)) {
		jr_sb_release(sb);
		return NULL;
	}
	out = sb->buf;
	if (len)
		*len = sb->len;
	jr_sb_init(sb);
	return out;
}
