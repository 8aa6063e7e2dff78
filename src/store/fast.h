/*
 * fast.h - fast paths next to jansson for the index's summary lines and
 * the item files: fast_read.c decodes them, fast_write.c encodes them.
 *
 * Listing reads every summary in the index and, for --json, writes every
 * one out again.  Through jansson that costs about 180 instructions a byte
 * (a tree of json_t per line, then a second tree to dump it), which made a
 * 10,000-item list --json take 1.5 billion instructions.  Every write
 * command reads one item file and writes it back, at about 160 and 90
 * instructions a byte: a quarter of a small update, over half of a note on
 * an item with many notes.  Both kinds of text are written by jerry alone,
 * each in one canonical shape (jr_codec_summary_line, jr_codec_item_text),
 * so reading them needs no general JSON parser.  One decoder and one
 * encoder serve both shapes; `file` tells which.  On a 14 KB item with 65
 * notes they take about 12 and 6 instructions a byte.
 *
 * The decline rule: the decoders accept only that canonical shape - every
 * key, in jerry's order, laid out as jansson lays it out (no whitespace in
 * a summary line; JSON_INDENT(2) and the final newline in an item file),
 * the integers jansson would read, the enum names, IDs and times as jerry
 * writes them - and answer JR_SUMMARY_DECLINE for anything else, so an
 * unknown key in an item file too.  A summary line's strings are printable
 * ASCII without a backslash.  An item file's text (title, description,
 * names, labels, notes) may also hold UTF-8 and escapes, undone as jansson
 * undoes them; a raw control byte, bad UTF-8, \u0000 or a lone surrogate
 * is declined, as jansson refuses them.  The decoders never report an
 * error: the caller hands declined text to jansson and jr_codec_decode(),
 * which accept or reject it and say why.  So a fast path can only ever
 * accept what the slow path accepts, and builds the same item;
 * tests/unit/test_codec.c and tests/features/fuzz_codec.c hold it to that.
 *
 * The encoders write exactly the bytes of json_dumps(JSON_PRESERVE_ORDER)
 * of jr_codec_encode() - JSON_COMPACT for a summary and for the whole item
 * on an export line, JSON_INDENT(2) and a newline for an item file -
 * jansson's string escaping included, and
 * decline (NULL) where jansson would fail (a string that is not UTF-8, a
 * NULL label or note) and for an item with unknown keys (ext), which
 * jansson writes.
 */
#ifndef JR_FAST_H
#define JR_FAST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Eight bytes at a time: most bytes need no look, and a word at once
 * tells whether any of eight does.
 */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

static inline uint64_t load8(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* Nonzero when some byte of v is below n (n <= 0x80): exact for "some". */
static inline uint64_t below(uint64_t v, unsigned n)
{
	return (v - ONES * n) & ~v & HIGHS;
}

static inline uint64_t has(uint64_t v, unsigned char b)
{
	return below(v ^ (ONES * b), 1);
}

/* Flags for the bytes of v that a JSON string cannot hold as they are. */
static inline uint64_t needs_escape(uint64_t v)
{
	return below(v, 0x20) | has(v, '"') | has(v, '\\');
}

/*
 * Whether the n bytes at s are UTF-8 as jansson (utf8_check_full) and
 * jr_check_utf8 have it: no overlong form, no surrogate, nothing above
 * U+10FFFF.  jr_check_utf8 counts code points and control characters a
 * byte at a time, 2,000 instructions for a note with one em dash in it;
 * this skips ASCII eight bytes at a time, which is most of any text.
 */
static inline int utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		if (end - p >= 8 && !(load8((const char *)p) & HIGHS)) {
			p += 8;
			continue;
		}
		unsigned ch = *p, cp;
		size_t k;
		if (ch < 0x80) {
			p++;
			continue;
		}
		if (ch >= 0xc2 && ch <= 0xdf)
			k = 1, cp = ch & 0x1f;
		else if (ch >= 0xe0 && ch <= 0xef)
			k = 2, cp = ch & 0x0f;
		else if (ch >= 0xf0 && ch <= 0xf4)
			k = 3, cp = ch & 0x07;
		else
			return 0;
		if ((size_t)(end - p) <= k)
			return 0;
		for (size_t i = 1; i <= k; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if ((k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (k == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		p += k + 1;
	}
	return 1;
}

/*
 * JSON_INDENT(2)'s indentation of the keys of the item (IN1), of its claim
 * (IN2) and of a note (IN3).
 */
#define IN1 "  "
#define IN2 "    "
#define IN3 "      "

#endif
