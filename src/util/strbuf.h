/*
 * strbuf.h - a growable byte buffer that knows its bounds, in the manner
 * of git's strbuf: every append checks the room left and grows the buffer
 * first, so no writer can run past its end however its input grows.
 *
 * The buffer holds `len` bytes and a NUL after them once anything was
 * added.  A failed allocation is remembered: the buffer is then "failed",
 * every later append does nothing and returns JERRY_ENOMEM, and
 * jr_sb_detach() returns NULL.  So a writer may append a whole document
 * and look once at the end; it never aborts and never ends up with a
 * document that lacks a piece in its middle.
 *
 * Pure memory: no I/O, no globals.  Usable from every layer.
 *
 *	struct jr_sb sb = JR_SB_INIT;
 *	jr_sb_add(&sb, "{", 1);
 *	jr_sb_addf(&sb, "\"n\":%d", n);
 *	char *text = jr_sb_detach(&sb, &len);   // NULL: out of memory
 */
#ifndef JR_STRBUF_H
#define JR_STRBUF_H

#include "jerry/jerry.h"

#include <stddef.h>
#include <string.h>

struct jr_sb {
	char *buf;      /* NULL until the first growth */
	size_t len;     /* bytes held, the NUL not counted */
	size_t alloc;   /* bytes of room; len < alloc once buf is set, unless failed */
	int failed;     /* an allocation failed: the content is incomplete */
};

#define JR_SB_INIT {NULL, 0, 0, 0}

void jr_sb_init(struct jr_sb *sb);
/* Free the buffer and make sb empty again (not failed). */
void jr_sb_release(struct jr_sb *sb);

/*
 * Room for `extra` more bytes and the NUL after them: 0, or JERRY_ENOMEM
 * (also when len + extra overflows, and when sb has failed before).
 */
int jr_sb_grow(struct jr_sb *sb, size_t extra);

/*
 * The n writable bytes at the end of the buffer, for a writer that knows
 * the most it will write (an escaped string: six bytes for one); NULL
 * when out of memory.  jr_sb_commit() then says where the writing ended.
 */
static inline char *jr_sb_reserve(struct jr_sb *sb, size_t n)
{
	if (n >= sb->alloc - sb->len && jr_sb_grow(sb, n))
		return NULL;
	return sb->buf + sb->len;
}

/* End the content at `end`, a pointer into the room jr_sb_reserve gave. */
static inline void jr_sb_commit(struct jr_sb *sb, char *end)
{
	sb->len = (size_t)(end - sb->buf);
	sb->buf[sb->len] = '\0';
}

static inline int jr_sb_add(struct jr_sb *sb, const void *data, size_t n)
{
	char *w = jr_sb_reserve(sb, n);
	if (!w)
		return JERRY_ENOMEM;
	memcpy(w, data, n);
	jr_sb_commit(sb, w + n);
	return 0;
}

static inline int jr_sb_addstr(struct jr_sb *sb, const char *s)
{
	return jr_sb_add(sb, s, strlen(s));
}

static inline int jr_sb_addch(struct jr_sb *sb, char ch)
{
	return jr_sb_add(sb, &ch, 1);
}

/* printf onto the end: 0, JERRY_ENOMEM, or JERRY_EINTERNAL for a bad format. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int jr_sb_addf(struct jr_sb *sb, const char *fmt, ...);

/*
 * The content as a malloc'd NUL-terminated string the caller frees, its
 * length in *len when len is not NULL; sb is left empty.  NULL when sb has
 * failed (its memory is released) or when an empty buffer cannot be made.
 */
char *jr_sb_detach(struct jr_sb *sb, size_t *len);

#endif
