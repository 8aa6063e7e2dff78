/*
 * summary.c - a fast path for index summaries, next to jansson.
 *
 * Listing reads every summary in the index and, for --json, writes every
 * one out again.  Through jansson that costs about 180 instructions a byte
 * (a tree of json_t per line, then a second tree to dump it), which made a
 * 10,000-item list --json take 1.5 billion instructions.  The index is
 * written by jerry alone, in one canonical shape (jr_codec_summary_line),
 * so reading it needs no general JSON parser.
 *
 * The decline rule: jr_summary_decode() accepts only that canonical shape -
 * every key, in jerry's order, no whitespace, strings of printable ASCII
 * without a backslash, the integers jansson would read, the enum names as
 * jerry writes them - and answers JR_SUMMARY_DECLINE for anything else.  It
 * never reports an error: the caller hands a declined line to jansson and
 * jr_codec_decode(), which accept or reject it and say why.  So the fast
 * path can only ever accept what the slow path accepts, and builds the same
 * item; tests/unit/test_codec.c and tests/features/fuzz_codec.c hold it to
 * that.
 *
 * jr_summary_encode() writes exactly the bytes of json_dumps(JSON_COMPACT |
 * JSON_PRESERVE_ORDER) of jr_codec_encode(item, 1), jansson's string
 * escaping included, and declines (NULL) where jansson would fail: a string
 * that is not UTF-8.
 */
#include "codec.h"
#include "../domain/domain.h"

#include <stdlib.h>
#include <string.h>

/*
 * Eight bytes at a time: most bytes need no look, and a word at once
 * tells whether any of eight does.
 */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

static uint64_t load8(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* Nonzero when some byte of v is below n (n <= 0x80): exact for "some". */
static uint64_t below(uint64_t v, unsigned n)
{
	return (v - ONES * n) & ~v & HIGHS;
}

static uint64_t has(uint64_t v, unsigned char b)
{
	return below(v ^ (ONES * b), 1);
}

/* ---- decoding ------------------------------------------------------------ */

struct cur {
	const char *p, *end;
};

static int eat(struct cur *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return 1;
	}
	return 0;
}

/*
 * memcmp(p, w, n) == 0 for a constant n: the keys and punctuation between
 * the values.  Compilers call memcmp for most lengths; two overlapping
 * words cover 8 to 16 bytes.
 */
static inline int same(const char *p, const char *w, size_t n)
{
	if (n >= 8 && n <= 16)
		return load8(p) == load8(w) && load8(p + n - 8) == load8(w + n - 8);
	return memcmp(p, w, n) == 0;
}

#define EAT_WORD(c, w) ((size_t)((c)->end - (c)->p) >= sizeof(w) - 1 && \
			same((c)->p, w, sizeof(w) - 1) && ((c)->p += sizeof(w) - 1))

/*
 * Whether every byte is printable ASCII and none a backslash.  Checked
 * for the whole line at once, so that no string in it holds an escape, a
 * control byte or UTF-8 (jansson's to read), and a string ends at the
 * next '"'.  Outside strings such bytes have no place in jerry's lines.
 */
static int plain(const char *s, size_t n)
{
	uint64_t v, flags = 0;
	size_t i = 0;
	if (memchr(s, '\\', n))
		return 0;
	for (; i + 8 <= n; i += 8) {
		v = load8(s + i);
		flags |= (v - ONES * 0x20) | v; /* below(v, 0x20) | v, HIGHS taken once */
	}
	for (; i < n; i++)
		flags |= (unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x80 ? HIGHS : 0;
	return !(flags & HIGHS);
}

/* A string, in a line that plain() has passed. */
static int str(struct cur *c, const char **s, size_t *n)
{
	const char *q;
	if (!eat(c, '"') || !(q = memchr(c->p, '"', (size_t)(c->end - c->p))))
		return -1;
	*s = c->p;
	*n = (size_t)(q - c->p);
	c->p = q + 1;
	return 0;
}

static int null(struct cur *c)
{
	return EAT_WORD(c, "null");
}

/* The n bytes at s, terminated in tmp, for the parse functions. */
static int terminated(char *tmp, size_t size, const char *s, size_t n)
{
	if (n >= size)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return 0;
}

static int str_dup(struct cur *c, char **out)
{
	const char *s;
	size_t n;
	if (str(c, &s, &n) || !(*out = malloc(n + 1)))
		return -1;
	memcpy(*out, s, n);
	(*out)[n] = '\0';
	return 0;
}

/* null, or a string: jr_codec_decode's optional string. */
static int opt_str(struct cur *c, char **out)
{
	return null(c) ? 0 : str_dup(c, out);
}

/* An item ID: "WORK-" and digits as jerry writes it, else jerry_id_parse. */
static int id_num(struct cur *c, int64_t *out)
{
	const char *s;
	size_t n;
	char tmp[32];
	int64_t v = 0;
	if (str(c, &s, &n))
		return -1;
	if (n > 5 && n <= 14 && memcmp(s, "WORK-", 5) == 0) {
		for (size_t i = 5; i < n && v >= 0; i++)
			v = s[i] >= '0' && s[i] <= '9' ? v * 10 + (s[i] - '0') : -1;
		if (v > 0) {
			*out = v;
			return 0;
		}
	}
	if (terminated(tmp, sizeof(tmp), s, n) || jerry_id_parse(out, tmp, NULL) != 0)
		return -1;
	return 0;
}

static int opt_id(struct cur *c, int64_t *out)
{
	return null(c) ? 0 : id_num(c, out);
}

/*
 * Whether the 8 bytes at s are digits where mask has 0xff and equal to
 * shape elsewhere.  Bytewise, so in any byte order: a byte is a digit when
 * its high nibble is 3 and its low one plus 6 stays below 0x10.
 */
static int shaped(const char *s, const char *shape, const char *mask)
{
	uint64_t v = load8(s), m = load8(mask);
	uint64_t hi = ((v & ONES * 0xf0) ^ ONES * 0x30) & m;
	uint64_t lo = ((v & ONES * 0x0f) + ONES * 0x06) & ONES * 0x10 & m;
	return !hi && !lo && !((v ^ load8(shape)) & ~m);
}

#define D(s, i) ((s)[i] - '0')
#define D2(s, i) (D(s, i) * 10 + D(s, (i) + 1))

/*
 * A time.  "YYYY-MM-DDTHH:MM:SS.mmmZ", what jerry writes, is read here
 * with jerry_time_parse's checks and arithmetic; the other spellings it
 * accepts are left to it.
 */
static int time_ms(struct cur *c, int64_t *out)
{
	static const char shape[] = "0000-00-00T00:00:00.000Z",
			  mask[] = "\xff\xff\xff\xff\0\xff\xff\0\xff\xff\0\xff\xff\0\xff\xff"
				   "\0\xff\xff\0\xff\xff\xff\0";
	const char *s;
	size_t n;
	char tmp[48];
	if (str(c, &s, &n))
		return -1;
	if (n == 24 && shaped(s, shape, mask) && shaped(s + 8, shape + 8, mask + 8) &&
	    shaped(s + 16, shape + 16, mask + 16)) {
		int y = D2(s, 0) * 100 + D2(s, 2), mo = D2(s, 5), d = D2(s, 8), h = D2(s, 11),
		    mi = D2(s, 14), se = D2(s, 17), ms = D(s, 20) * 100 + D2(s, 21);
		if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
			return -1;
		int64_t days = jr_days_from_civil(y, mo, d);
		*out = ((days * 24 + h) * 60 + mi) * 60000LL + se * 1000LL + ms;
		return 0;
	}
	if (terminated(tmp, sizeof(tmp), s, n) || jerry_time_parse(out, tmp) != 0)
		return -1;
	return 0;
}

static int opt_time(struct cur *c, int64_t *out)
{
	return null(c) ? 0 : time_ms(c, out);
}

/* Digits only: what strtoull takes when jr_codec_decode has checked the rest. */
static int uid(struct cur *c, uint64_t *out)
{
	const char *s;
	size_t n;
	uint64_t v = 0;
	if (str(c, &s, &n) || n == 0 || n > 20)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		/* Only a twentieth digit can overflow. */
		if (d > 9 || (i == 19 && v > (UINT64_MAX - d) / 10))
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* A JSON integer >= 1 that jansson reads without overflow: to INT64_MAX. */
static int version(struct cur *c, int64_t *out)
{
	int64_t v = 0;
	if (c->p >= c->end || *c->p < '1' || *c->p > '9')
		return -1;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		int d = *c->p++ - '0';
		if (v > (INT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* An enum by the exact name jerry writes; other spellings go to jansson. */
static int name(struct cur *c, const char *(*name_of)(int), int count, int *out)
{
	const char *s;
	size_t n;
	if (str(c, &s, &n) || n == 0)
		return -1;
	for (int i = 0; i < count; i++) {
		const char *want = name_of(i);
		/* s holds no NUL, so strncmp stops at the end of want. */
		if (want[0] == s[0] && strncmp(want, s, n) == 0 && want[n] == '\0') {
			*out = i;
			return 0;
		}
	}
	return -1;
}

static const char *type_name(int v) { return jerry_type_name((jerry_type)v); }
static const char *status_name(int v) { return jerry_status_name((jerry_status)v); }
static const char *prio_name(int v) { return jerry_priority_name((jerry_priority)v); }

static int enums(struct cur *c, jerry_item *it)
{
	int t, s, p;
	if (name(c, type_name, JERRY_TYPE__COUNT, &t) ||
	    !EAT_WORD(c, ",\"status\":") || name(c, status_name, JERRY_STATUS__COUNT, &s) ||
	    !EAT_WORD(c, ",\"priority\":") || name(c, prio_name, JERRY_PRIORITY__COUNT, &p))
		return -1;
	it->type = (jerry_type)t;
	it->status = (jerry_status)s;
	it->priority = (jerry_priority)p;
	return 0;
}

/* strcmp(a, the n bytes at s), s holding no NUL. */
static int cmp_mem(const char *a, const char *s, size_t n)
{
	int r = strncmp(a, s, n);
	return r ? r : a[n] != '\0';
}

/*
 * jr_labels_add, which keeps them sorted and unique.  jerry writes them in
 * order, so the next one usually goes at the end, without a search.
 */
static int label(struct cur *c, jerry_item *it)
{
	const char *s;
	size_t n;
	char tmp[256];
	if (str(c, &s, &n))
		return -1;
	if (it->nlabels && cmp_mem(it->labels[it->nlabels - 1], s, n) >= 0) {
		/* Longer than tmp: legal, but no jerry label is; jansson's. */
		if (terminated(tmp, sizeof(tmp), s, n) || jr_labels_add(it, tmp) != 0)
			return -1;
		return 0;
	}
	if (it->nlabels >= JR_LABELS_MAX)
		return -1;
	char **grown = realloc(it->labels, (it->nlabels + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	it->labels = grown;
	if (!(grown[it->nlabels] = malloc(n + 1)))
		return -1;
	memcpy(grown[it->nlabels], s, n);
	grown[it->nlabels++][n] = '\0';
	return 0;
}

static int labels(struct cur *c, jerry_item *it)
{
	if (!eat(c, '['))
		return -1;
	if (eat(c, ']'))
		return 0;
	do {
		if (label(c, it))
			return -1;
	} while (eat(c, ','));
	return eat(c, ']') ? 0 : -1;
}

static int depends(struct cur *c, jerry_item *it)
{
	int64_t n;
	if (!eat(c, '['))
		return -1;
	if (eat(c, ']'))
		return 0;
	do {
		if (id_num(c, &n) || jr_depends_add(it, n) != 0)
			return -1;
	} while (eat(c, ','));
	return eat(c, ']') ? 0 : -1;
}

static int claim(struct cur *c, jerry_item *it)
{
	if (null(c))
		return 0;
	if (!EAT_WORD(c, "{\"by\":") || str_dup(c, &it->claim.by) ||
	    !EAT_WORD(c, ",\"session\":") || opt_str(c, &it->claim.session) ||
	    !EAT_WORD(c, ",\"expires_at\":") || time_ms(c, &it->claim.expires_ms) ||
	    !eat(c, '}'))
		return -1;
	return 0;
}

/*
 * The line jr_codec_summary_line writes: every key, in its order.  The
 * labels and depends_on arrays as it writes them, not null; "unconfirmed",
 * if there, last and true.
 */
int jr_summary_decode(jerry_item **out, const char *line, size_t len, int *unconfirmed)
{
	struct cur cur = {line, line + len}, *c = &cur;
	int unc = 0;
	*out = NULL;
	if (!plain(line, len))
		return JR_SUMMARY_DECLINE;
	jerry_item *it = jr_item_new();
	if (!it)
		return JR_SUMMARY_DECLINE;
	it->is_summary = 1;
	if (!EAT_WORD(c, "{\"id\":") || id_num(c, &it->num) ||
	    !EAT_WORD(c, ",\"uid\":") || uid(c, &it->uid) ||
	    !EAT_WORD(c, ",\"version\":") || version(c, &it->version) ||
	    !EAT_WORD(c, ",\"title\":") || str_dup(c, &it->title) ||
	    !EAT_WORD(c, ",\"type\":") || enums(c, it) ||
	    !EAT_WORD(c, ",\"labels\":") || labels(c, it) ||
	    !EAT_WORD(c, ",\"assignee\":") || opt_str(c, &it->assignee) ||
	    !EAT_WORD(c, ",\"parent\":") || opt_id(c, &it->parent) ||
	    !EAT_WORD(c, ",\"depends_on\":") || depends(c, it) ||
	    !EAT_WORD(c, ",\"claim\":") || claim(c, it) ||
	    !EAT_WORD(c, ",\"created_at\":") || time_ms(c, &it->created_at) ||
	    !EAT_WORD(c, ",\"created_by\":") || opt_str(c, &it->created_by) ||
	    !EAT_WORD(c, ",\"updated_at\":") || time_ms(c, &it->updated_at) ||
	    !EAT_WORD(c, ",\"updated_by\":") || opt_str(c, &it->updated_by) ||
	    !EAT_WORD(c, ",\"completed_at\":") || opt_time(c, &it->completed_at))
		goto decline;
	if (EAT_WORD(c, ",\"unconfirmed\":true"))
		unc = 1;
	if (!eat(c, '}') || c->p != c->end)
		goto decline;
	jr_summary_format_id(it->id, it->num);
	*out = it;
	if (unconfirmed)
		*unconfirmed = unc;
	return 0;
decline:
	jerry_item_free(it);
	return JR_SUMMARY_DECLINE;
}

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

size_t jr_summary_format_id(char *buf, int64_t num)
{
	/* jerry_id_format's "WORK-%03lld" without printf, for num >= 1. */
	char digits[24], *p = u64_digits(digits + sizeof(digits), (uint64_t)num);
	size_t n = (size_t)(digits + sizeof(digits) - p), pad = n < 3 ? 3 - n : 0;
	memcpy(buf, "WORK-", 5);
	memset(buf + 5, '0', pad);
	memcpy(buf + 5 + pad, p, n);
	buf[5 + pad + n] = '\0';
	return 5 + pad + n;
}

#define PUT(w, lit) (memcpy(w, lit, sizeof(lit) - 1), (w) + sizeof(lit) - 1)

static const char hex[] = "0123456789ABCDEF";

/* Flags for the bytes of v that a JSON string cannot hold as they are. */
static uint64_t needs_escape(uint64_t v)
{
	return below(v, 0x20) | has(v, '"') | has(v, '\\');
}

/*
 * The n bytes at s as jansson dumps them (no JSON_ENSURE_ASCII, no
 * JSON_ESCAPE_SLASH): the two-character escapes it knows, \u00XX with
 * upper-case hex for the other control bytes, everything else as is.
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
			w = PUT(w, "u00");
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
static char *put_str(char *w, const char *s, int *bad)
{
	size_t n = strlen(s);
	uint64_t v, flags = 0, high = 0;
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
	*w++ = '"';
	if (flags) {
		w = put_escaped(w, s, n);
	} else {
		memcpy(w, s, n);
		w += n;
	}
	if ((high & HIGHS) && !jr_check_utf8(s, n))
		*bad = 1;
	*w++ = '"';
	return w;
}

/* An enum's name: lower-case ASCII and '_', never in need of an escape. */
static char *put_name(char *w, const char *s)
{
	size_t n = strlen(s);
	*w++ = '"';
	memcpy(w, s, n);
	w += n;
	*w++ = '"';
	return w;
}

static char *put_str_or_null(char *w, const char *s, int *bad)
{
	return s ? put_str(w, s, bad) : PUT(w, "null");
}

static char *put_time(char *w, int64_t ms)
{
	char buf[40];
	if (!ms)
		return PUT(w, "null");
	jerry_time_format(buf, sizeof(buf), ms);
	size_t n = strlen(buf);
	*w++ = '"';
	memcpy(w, buf, n);
	w += n;
	*w++ = '"';
	return w;
}

static char *put_id(char *w, int64_t num)
{
	if (num <= 0)
		return PUT(w, "null");
	*w++ = '"';
	w += jr_summary_format_id(w, num);
	*w++ = '"';
	return w;
}

static size_t len_or_0(const char *s)
{
	return s ? strlen(s) : 0;
}

/*
 * Room enough: every byte of a string may become six ("\u001F"); an enum
 * name is under 16 bytes, an ID or a time under 44 with its quotes; the
 * keys, punctuation, uid and version take under 350.
 */
static size_t bound(const jerry_item *it)
{
	size_t strings = strlen(it->id) + len_or_0(it->title) + len_or_0(it->assignee) +
			 len_or_0(it->claim.by) + len_or_0(it->claim.session) +
			 len_or_0(it->created_by) + len_or_0(it->updated_by) + 3 * 16;
	for (size_t i = 0; i < it->nlabels; i++)
		strings += strlen(it->labels[i]) + 1;
	return 6 * strings + 3 * it->nlabels + 44 * (it->ndepends + 8) + 512;
}

char *jr_summary_encode(const jerry_item *it, int unconfirmed, size_t *out_len)
{
	int bad = 0;
	if (it->ext)
		return NULL; /* never a summary from the index: jansson's */
	/* json_string(NULL) fails, so jr_codec_encode does, and so do we. */
	for (size_t i = 0; i < it->nlabels; i++)
		if (!it->labels[i])
			return NULL;
	char *buf = malloc(bound(it)), *w = buf;
	if (!buf)
		return NULL;
	w = PUT(w, "{\"id\":");
	w = put_str(w, it->id, &bad);
	w = PUT(w, ",\"uid\":\"");
	w = put_u64(w, it->uid);
	w = PUT(w, "\",\"version\":");
	w = put_i64(w, it->version);
	w = PUT(w, ",\"title\":");
	w = put_str(w, it->title ? it->title : "", &bad);
	w = PUT(w, ",\"type\":");
	w = put_name(w, jerry_type_name(it->type));
	w = PUT(w, ",\"status\":");
	w = put_name(w, jerry_status_name(it->status));
	w = PUT(w, ",\"priority\":");
	w = put_name(w, jerry_priority_name(it->priority));
	w = PUT(w, ",\"labels\":[");
	for (size_t i = 0; i < it->nlabels; i++) {
		if (i)
			*w++ = ',';
		w = put_str(w, it->labels[i], &bad);
	}
	w = PUT(w, "],\"assignee\":");
	w = put_str_or_null(w, it->assignee, &bad);
	w = PUT(w, ",\"parent\":");
	w = put_id(w, it->parent);
	w = PUT(w, ",\"depends_on\":[");
	for (size_t i = 0; i < it->ndepends; i++) {
		if (i)
			*w++ = ',';
		w = put_id(w, it->depends_on[i]);
	}
	w = PUT(w, "],\"claim\":");
	if (it->claim.by) {
		w = PUT(w, "{\"by\":");
		w = put_str(w, it->claim.by, &bad);
		w = PUT(w, ",\"session\":");
		w = put_str_or_null(w, it->claim.session, &bad);
		w = PUT(w, ",\"expires_at\":");
		w = put_time(w, it->claim.expires_ms);
		*w++ = '}';
	} else {
		w = PUT(w, "null");
	}
	w = PUT(w, ",\"created_at\":");
	w = put_time(w, it->created_at);
	w = PUT(w, ",\"created_by\":");
	w = put_str_or_null(w, it->created_by, &bad);
	w = PUT(w, ",\"updated_at\":");
	w = put_time(w, it->updated_at);
	w = PUT(w, ",\"updated_by\":");
	w = put_str_or_null(w, it->updated_by, &bad);
	w = PUT(w, ",\"completed_at\":");
	w = put_time(w, it->completed_at);
	if (unconfirmed)
		w = PUT(w, ",\"unconfirmed\":true");
	*w++ = '}';
	*w = '\0';
	if (bad) {
		free(buf);
		return NULL;
	}
	if (out_len)
		*out_len = (size_t)(w - buf);
	return buf;
}
