/*
 * fast_write.c - jerry's own summary lines and item files written with
 * jansson's exact bytes, or declined to it (the rule is in fast.h).
 *
 * The keys and their order are schema.h's lists, expanded here into
 * straight-line code.  Every write goes into a jr_sb: a value first
 * reserves the most it can take (six bytes a byte for an escaped string),
 * so the text can never outgrow its buffer, whatever field is added.
 */
#include "codec.h"
#include "fast.h"
#include "schema.h"
#include "../domain/domain.h"
#include "../util/strbuf.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- encoding ------------------------------------------------------------ */

static const char pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Digits of v, backwards from end, two at a time; returns the first. */
static char *u64_digits(char *end, uint64_t v)
{
	while (v >= 100) {
		end -= 2;
		memcpy(end, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, pairs + 2 * v, 2);
	} else {
		*--end = (char)('0' + v);
	}
	return end;
}

static char *put_u64(char *w, uint64_t v)
{
	char buf[24], *p = u64_digits(buf + sizeof(buf), v);
	size_t n = (size_t)(buf + sizeof(buf) - p);
	memcpy(w, p, n);
	return w + n;
}

static char *put_i64(char *w, int64_t v)
{
	if (v >= 0)
		return put_u64(w, (uint64_t)v);
	*w++ = '-';
	return put_u64(w, 0 - (uint64_t)v);
}

/* A constant's bytes: the keys and punctuation between the values. */
#define PUT(sb, lit) jr_sb_add(sb, lit, sizeof(lit) - 1)

/*
 * The shapes, the writers' `file`: a summary line (compact, no JR_F_DETAIL
 * field), an item file (every field, JSON_INDENT(2)) and an export line
 * (every field, compact).  Only an item file is indented.
 */
#define SHAPE_LINE 0
#define SHAPE_FILE 1
#define SHAPE_EXPORT 2
#define INDENTED(file) ((file) == SHAPE_FILE)

/* The punctuation around a key, as EAT_OPEN and its kin read it. */
#define PUT_OPEN(sb, file, in, k) \
	(INDENTED(file) ? PUT(sb, "{\n" in "\"" k "\": ") : PUT(sb, "{\"" k "\":"))
#define PUT_KEY(sb, file, in, k) \
	(INDENTED(file) ? PUT(sb, ",\n" in "\"" k "\": ") : PUT(sb, ",\"" k "\":"))
#define PUT_CLOSE(sb, file, out) (INDENTED(file) ? PUT(sb, "\n" out "}") : PUT(sb, "}"))

static const char hex[] = "0123456789ABCDEF";

/*
 * The n bytes at s as jansson dumps them (no JSON_ENSURE_ASCII, no
 * JSON_ESCAPE_SLASH): the two-character escapes it knows, \u00XX with
 * upper-case hex for the other control bytes, everything else as is.
 * w has room for 6 * n bytes.
 */
static char *put_escaped(char *w, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch != '"' && ch != '\\') {
			*w++ = (char)ch;
			continue;
		}
		*w++ = '\\';
		switch (ch) {
		case '"': *w++ = '"'; break;
		case '\\': *w++ = '\\'; break;
		case '\b': *w++ = 'b'; break;
		case '\f': *w++ = 'f'; break;
		case '\n': *w++ = 'n'; break;
		case '\r': *w++ = 'r'; break;
		case '\t': *w++ = 't'; break;
		default:
			memcpy(w, "u00", 3);
			w += 3;
			*w++ = hex[ch >> 4];
			*w++ = hex[ch & 15];
		}
	}
	return w;
}

/*
 * A JSON string.  Most need no escape, which a look at eight bytes at a
 * time tells, and are copied whole.  json_string() refuses text that is
 * not UTF-8, so that is checked too: *bad is set and the caller declines.
 */
static void put_str(struct jr_sb *sb, const char *s, int *bad)
{
	size_t n = strlen(s);
	uint64_t v, flags = 0, high = 0;
	char *w;
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8) {
			v = load8(s + i);
			flags |= needs_escape(v);
			high |= v;
		}
		v = load8(s + n - 8); /* the last eight, overlapping */
	} else {
		v = ONES * 'a';
		memcpy(&v, s, n);
	}
	flags |= needs_escape(v);
	high |= v;
	if ((high & HIGHS) && !utf8_ok(s, n))
		*bad = 1;
	/* a string that long cannot be in memory twice, let alone six times */
	if (n > (SIZE_MAX - 2) / 6 || !(w = jr_sb_reserve(sb, (flags ? 6 * n : n) + 2)))
		return;
	*w++ = '"';
	if (flags) {
		w = put_escaped(w, s, n);
	} else {
		memcpy(w, s, n);
		w += n;
	}
	*w++ = '"';
	jr_sb_commit(sb, w);
}

/* An enum's name: lower-case ASCII and '_', never in need of an escape. */
static void put_name(struct jr_sb *sb, const char *s)
{
	size_t n = strlen(s);
	char *w = jr_sb_reserve(sb, n + 2);
	if (!w)
		return;
	*w++ = '"';
	memcpy(w, s, n);
	w += n;
	*w++ = '"';
	jr_sb_commit(sb, w);
}

static void put_time(struct jr_sb *sb, int64_t ms)
{
	char buf[40];
	if (!ms) {
		PUT(sb, "null");
		return;
	}
	jerry_time_format(buf, sizeof(buf), ms);
	size_t n = strlen(buf);
	char *w = jr_sb_reserve(sb, n + 2);
	if (!w)
		return;
	*w++ = '"';
	memcpy(w, buf, n);
	w += n;
	*w++ = '"';
	jr_sb_commit(sb, w);
}

static void put_id(struct jr_sb *sb, int64_t num)
{
	char *w;
	if (num <= 0) {
		PUT(sb, "null");
		return;
	}
	if (!(w = jr_sb_reserve(sb, 32 + 2)))
		return;
	*w++ = '"';
	w += jr_id_spell(w, 32, num);
	*w++ = '"';
	jr_sb_commit(sb, w);
}

/*
 * Before element i of an array, as list() reads it; after all n of them,
 * "[]" for none, which jansson writes the same at any indentation.
 */
static void put_sep(struct jr_sb *sb, int file, size_t i)
{
	if (INDENTED(file))
		i ? PUT(sb, ",\n" IN2) : PUT(sb, "[\n" IN2);
	else
		jr_sb_addch(sb, i ? ',' : '[');
}

static void put_end(struct jr_sb *sb, int file, size_t n)
{
	if (!n)
		PUT(sb, "[]");
	else
		INDENTED(file) ? PUT(sb, "\n" IN1 "]") : PUT(sb, "]");
}

/*
 * The writers of schema.h's kinds: wr_KIND(sb, file, it, value, flags,
 * bad), value the member's address.  `it` is the item being written.
 */
static void wr_id(struct jr_sb *sb, int file, const jerry_item *it, const int64_t *num,
		  unsigned flags, int *bad)
{
	(void)file, (void)num, (void)flags;
	put_str(sb, it->id, bad); /* the id as the item holds it, as jansson writes it */
}

static void wr_uid(struct jr_sb *sb, int file, const jerry_item *it, const uint64_t *v,
		   unsigned flags, int *bad)
{
	char *w;
	(void)file, (void)it, (void)flags, (void)bad;
	if (!(w = jr_sb_reserve(sb, 20 + 2)))
		return;
	*w++ = '"';
	w = put_u64(w, *v);
	*w++ = '"';
	jr_sb_commit(sb, w);
}

static void wr_version(struct jr_sb *sb, int file, const jerry_item *it, const int64_t *v,
		       unsigned flags, int *bad)
{
	char *w;
	(void)file, (void)it, (void)flags, (void)bad;
	if ((w = jr_sb_reserve(sb, 20)))
		jr_sb_commit(sb, put_i64(w, *v));
}

static void wr_text(struct jr_sb *sb, int file, const jerry_item *it, char *const *s,
		    unsigned flags, int *bad)
{
	(void)file, (void)it;
	if (*s)
		put_str(sb, *s, bad);
	else if (flags & JR_F_EMPTY)
		PUT(sb, "\"\"");
	else if (flags & JR_F_REQ)
		*bad = 1; /* json_string(NULL) fails: jansson's path says so */
	else
		PUT(sb, "null");
}

static void wr_type(struct jr_sb *sb, int file, const jerry_item *it, const jerry_type *v,
		    unsigned flags, int *bad)
{
	(void)file, (void)it, (void)flags, (void)bad;
	put_name(sb, jerry_type_name(*v));
}

static void wr_status(struct jr_sb *sb, int file, const jerry_item *it, const jerry_status *v,
		      unsigned flags, int *bad)
{
	(void)file, (void)it, (void)flags, (void)bad;
	put_name(sb, jerry_status_name(*v));
}

static void wr_priority(struct jr_sb *sb, int file, const jerry_item *it, const jerry_priority *v,
			unsigned flags, int *bad)
{
	(void)file, (void)it, (void)flags, (void)bad;
	put_name(sb, jerry_priority_name(*v));
}

static void wr_labels(struct jr_sb *sb, int file, const jerry_item *it, char **const *labels,
		      unsigned flags, int *bad)
{
	(void)flags;
	for (size_t i = 0; i < it->nlabels; i++) {
		put_sep(sb, file, i);
		put_str(sb, (*labels)[i], bad);
	}
	put_end(sb, file, it->nlabels);
}

static void wr_ref(struct jr_sb *sb, int file, const jerry_item *it, const int64_t *num,
		   unsigned flags, int *bad)
{
	(void)file, (void)it, (void)flags, (void)bad;
	put_id(sb, *num);
}

/* An array of n item IDs. */
static void put_ids(struct jr_sb *sb, int file, const int64_t *nums, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		put_sep(sb, file, i);
		put_id(sb, nums[i]);
	}
	put_end(sb, file, n);
}

static void wr_refs(struct jr_sb *sb, int file, const jerry_item *it, int64_t *const *nums,
		    unsigned flags, int *bad)
{
	(void)flags, (void)bad;
	put_ids(sb, file, *nums, it->ndepends);
}

static void wr_former(struct jr_sb *sb, int file, const jerry_item *it, int64_t *const *nums,
		      unsigned flags, int *bad)
{
	(void)flags, (void)bad;
	put_ids(sb, file, *nums, it->nrenumbered_from);
}

static void wr_time(struct jr_sb *sb, int file, const jerry_item *it, const int64_t *ms,
		    unsigned flags, int *bad)
{
	(void)file, (void)it, (void)flags, (void)bad;
	put_time(sb, *ms);
}

/*
 * Whether a field is written: in this shape (a summary line has no
 * JR_F_DETAIL field), and, for a JR_F_OPTKEY string, set.
 */
#define SHOWN(file, flags) (!((flags) & JR_F_DETAIL) || (file))
static int set_text(char *const *s) { return *s != NULL; }
static int set_nums(int64_t *const *v) { return *v != NULL; }
static int set_always(const void *v) { (void)v; return 1; }
#define IS_SET(m) _Generic((m), char *: set_text, int64_t *: set_nums, default: set_always)(&(m))

/*
 * One field of a list: its key, after "{" for the first and "," for the
 * others, then its value.  `first` is a local the compiler follows, so
 * each key is one constant; `in` is its indentation in an item file.
 */
#define WRITE(in, base, key, kind, member, flags)                                      \
	if (SHOWN(file, flags) && (!((flags) & JR_F_OPTKEY) || IS_SET((base)->member))) { \
		if (first)                                                             \
			PUT_OPEN(sb, file, in, #key);                                   \
		else                                                                   \
			PUT_KEY(sb, file, in, #key);                                    \
		first = 0;                                                             \
		wr_##kind(sb, file, it, &(base)->member, (flags), bad);                 \
	}

#define WRITE_CLAIM(key, kind, member, flags) WRITE(IN2, cl, key, kind, member, flags)
#define WRITE_NOTE(key, kind, member, flags) WRITE(IN3, n, key, kind, member, flags)
#define WRITE_ITEM(key, kind, member, flags) WRITE(IN1, it, key, kind, member, flags)

static void wr_claim(struct jr_sb *sb, int file, const jerry_item *it, const jerry_claim *cl,
		     unsigned flags, int *bad)
{
	int first = 1;
	(void)flags;
	if (!cl->by) {
		PUT(sb, "null");
		return;
	}
	JR_CLAIM_FIELDS(WRITE_CLAIM)
	PUT_CLOSE(sb, file, IN1);
}

/* jr_codec_note's objects; only an item file has them. */
static void wr_notes(struct jr_sb *sb, int file, const jerry_item *it, jerry_note *const *notes,
		     unsigned flags, int *bad)
{
	(void)flags;
	for (size_t i = 0; i < it->nnotes; i++) {
		const jerry_note *n = &(*notes)[i];
		int first = 1;
		put_sep(sb, file, i);
		JR_NOTE_FIELDS(WRITE_NOTE)
		PUT_CLOSE(sb, file, IN2);
	}
	put_end(sb, file, it->nnotes);
}

/* What fields() reads: schema.h's item fields, "{" to completed_at. */
static void put_fields(struct jr_sb *sb, const jerry_item *it, int file, int *bad)
{
	int first = 1;
	JR_ITEM_FIELDS(WRITE_ITEM)
}

/*
 * Whether jr_codec_encode would build the item at all: json_string(NULL)
 * fails, for a label or a note's text.  An item with unknown keys is left
 * to jansson too.
 */
static int encodable(const jerry_item *it, int file)
{
	if (it->ext)
		return 0;
	for (size_t i = 0; i < it->nlabels; i++)
		if (!it->labels[i])
			return 0;
	for (size_t i = 0; file && i < it->nnotes; i++)
		if (!it->notes[i].text)
			return 0;
	return 1;
}

/* A first size that a summary line, or a small item file, fits in. */
#define FIRST_ROOM_LINE 512
#define FIRST_ROOM_FILE 2048

/* The text in sb, or NULL when a value declined it or memory ran out. */
static char *finish(struct jr_sb *sb, int bad, size_t *out_len)
{
	if (bad) {
		jr_sb_release(sb);
		return NULL;
	}
	return jr_sb_detach(sb, out_len);
}

char *jr_summary_encode(const jerry_item *it, int unconfirmed, size_t *out_len)
{
	struct jr_sb sb = JR_SB_INIT;
	int bad = 0;
	if (!encodable(it, 0))
		return NULL;
	jr_sb_grow(&sb, FIRST_ROOM_LINE);
	put_fields(&sb, it, SHAPE_LINE, &bad);
	if (unconfirmed)
		PUT(&sb, ",\"" JR_KEY_UNCONFIRMED "\":true");
	PUT(&sb, "}");
	return finish(&sb, bad, out_len);
}

char *jr_itemfile_encode(const jerry_item *it, size_t *out_len)
{
	struct jr_sb sb = JR_SB_INIT;
	int bad = 0;
	if (!encodable(it, 1))
		return NULL;
	jr_sb_grow(&sb, FIRST_ROOM_FILE);
	put_fields(&sb, it, SHAPE_FILE, &bad);
	PUT(&sb, "\n}\n");
	return finish(&sb, bad, out_len);
}

int jr_item_compact_put(struct jr_sb *sb, const jerry_item *it)
{
	size_t was = sb->len;
	int bad = 0;
	if (!encodable(it, SHAPE_EXPORT))
		return JR_SUMMARY_DECLINE;
	put_fields(sb, it, SHAPE_EXPORT, &bad);
	PUT(sb, "}");
	if (sb->failed)
		return JERRY_ENOMEM;
	if (bad) {
		sb->len = was; /* nothing of it stays: the caller takes jansson's path */
		sb->buf[was] = '\0';
		return JR_SUMMARY_DECLINE;
	}
	return 0;
}
