/*
 * fast_read.c - jerry's own summary lines and item files read without
 * jansson, or declined to it (the rule is in fast.h).
 *
 * The keys and their order are schema.h's lists, expanded here into
 * straight-line code: each key is a constant compared a word at a time.
 */
#include "codec.h"
#include "fast.h"
#include "schema.h"
#include "../domain/domain.h"
#include "../util/array.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- decoding ------------------------------------------------------------ */

struct cur {
	const char *p, *end;
	int file; /* an item file, not a summary line */
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
 * the values.  Compilers call memcmp for most lengths; two or three
 * overlapping words cover 8 to 24 bytes.
 */
static inline int same(const char *p, const char *w, size_t n)
{
	if (n >= 8 && n <= 16)
		return load8(p) == load8(w) && load8(p + n - 8) == load8(w + n - 8);
	if (n > 16 && n <= 24)
		return load8(p) == load8(w) && load8(p + 8) == load8(w + 8) &&
		       load8(p + n - 8) == load8(w + n - 8);
	return memcmp(p, w, n) == 0;
}

#define EAT_WORD(c, w) ((size_t)((c)->end - (c)->p) >= sizeof(w) - 1 && \
			same((c)->p, w, sizeof(w) - 1) && ((c)->p += sizeof(w) - 1))

/*
 * The punctuation around a key of an object `in` deep, as each shape has
 * it: none in a summary line, a line break and indentation in an item file.
 */
#define EAT_OPEN(c, in, k) ((c)->file ? EAT_WORD(c, "{\n" in "\"" k "\": ") : \
				      EAT_WORD(c, "{\"" k "\":"))
#define EAT_KEY(c, in, k) ((c)->file ? EAT_WORD(c, ",\n" in "\"" k "\": ") : \
				     EAT_WORD(c, ",\"" k "\":"))
#define EAT_CLOSE(c, out) ((c)->file ? EAT_WORD(c, "\n" out "}") : eat(c, '}'))

/*
 * Whether every byte is printable ASCII and none a backslash.  Checked
 * for a whole summary line at once, so that no string in it holds an
 * escape, a control byte or UTF-8 (jansson's to read), and a string ends
 * at the next '"'.  Outside strings such bytes have no place in jerry's
 * lines.
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

/*
 * A string as it stands: in a line that plain() has passed, or in an item
 * file one that plain() passes.  For IDs, times, names and numbers, which
 * jerry writes so; text goes through text_dup().
 */
static int str(struct cur *c, const char **s, size_t *n)
{
	const char *q;
	if (!eat(c, '"') || !(q = memchr(c->p, '"', (size_t)(c->end - c->p))))
		return -1;
	if (c->file && !plain(c->p, (size_t)(q - c->p)))
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

/*
 * The length of the string at s up to its closing quote, or -1: what
 * jansson's lexer finds, which ends a string at a '"' without a backslash
 * before it and refuses a control byte in it.  Sets *esc when there is an
 * escape to undo (unescape() checks it) and *high when there is a byte
 * above 0x7f (the caller checks the UTF-8).
 */
static ptrdiff_t text_span(const char *s, const char *end, int *esc, int *high)
{
	const char *p = s;
	for (;;) {
		/* a word with no '"', '\\' or control byte lies inside the string */
		while (end - p >= 8 && !needs_escape(load8(p))) {
			*high |= (load8(p) & HIGHS) != 0;
			p += 8;
		}
		if (p == end)
			return -1;
		unsigned ch = (unsigned char)*p;
		if (ch == '"')
			return p - s;
		if (ch < 0x20)
			return -1;
		if (ch == '\\') {
			if (end - p < 2)
				return -1;
			*esc = 1;
			p += 2;
			continue;
		}
		*high |= ch >= 0x80;
		p++;
	}
}

/* The four hex digits after the 'u' at s, either case as jansson takes them, or -1. */
static long hex4(const char *s)
{
	long v = 0;
	for (int i = 1; i <= 4; i++) {
		unsigned ch = (unsigned char)s[i], d;
		if (ch - '0' < 10)
			d = ch - '0';
		else if ((ch | 0x20) - 'a' < 6)
			d = (ch | 0x20) - 'a' + 10;
		else
			return -1;
		v = v << 4 | (long)d;
	}
	return v;
}

static char *put_utf8(char *w, unsigned long cp)
{
	if (cp < 0x80) {
		*w++ = (char)cp;
	} else if (cp < 0x800) {
		*w++ = (char)(0xc0 | cp >> 6);
		*w++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*w++ = (char)(0xe0 | cp >> 12);
		*w++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*w++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*w++ = (char)(0xf0 | cp >> 18);
		*w++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*w++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*w++ = (char)(0x80 | (cp & 0x3f));
	}
	return w;
}

/*
 * A \u escape at q (the backslash) into w; returns the bytes of the
 * source it took, 6 or 12, or 0 for what jansson refuses: a lone
 * surrogate, and \u0000 (no JSON_ALLOW_NUL).
 */
static size_t unicode(char **w, const char *q, const char *end)
{
	long cp, lo;
	if (end - q < 6 || (cp = hex4(q + 1)) <= 0 || (cp >= 0xdc00 && cp <= 0xdfff))
		return 0;
	if (cp < 0xd800 || cp > 0xdbff) {
		*w = put_utf8(*w, (unsigned long)cp);
		return 6;
	}
	if (end - q < 12 || q[6] != '\\' || q[7] != 'u' || (lo = hex4(q + 7)) < 0xdc00 ||
	    lo > 0xdfff)
		return 0;
	*w = put_utf8(*w, 0x10000 + ((unsigned long)(cp - 0xd800) << 10) + (unsigned long)(lo - 0xdc00));
	return 12;
}

/*
 * The n bytes at s into w with their escapes undone, as jansson undoes
 * them; NULL for an escape it refuses.  w has room for n bytes: undone,
 * an escape never takes more room than it did.
 */
static char *unescape(char *w, const char *s, size_t n)
{
	const char *end = s + n, *q;
	size_t k;
	while ((q = memchr(s, '\\', (size_t)(end - s)))) {
		memcpy(w, s, (size_t)(q - s));
		w += q - s;
		s = q + 2; /* text_span() saw two bytes at least */
		switch (q[1]) {
		case '"': case '\\': case '/': *w++ = q[1]; break;
		case 'b': *w++ = '\b'; break;
		case 'f': *w++ = '\f'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case 't': *w++ = '\t'; break;
		case 'u':
			if (!(k = unicode(&w, q, end)))
				return NULL;
			s = q + k;
			break;
		default:
			return NULL;
		}
	}
	memcpy(w, s, (size_t)(end - s));
	return w + (end - s);
}

/* A string of an item file, decoded: what jansson would make of it, or -1. */
static int text_dup(struct cur *c, char **out)
{
	int esc = 0, high = 0;
	ptrdiff_t n;
	char *s, *w;
	if (!eat(c, '"') || (n = text_span(c->p, c->end, &esc, &high)) < 0)
		return -1;
	/* jansson reads UTF-8 before it undoes escapes, which are ASCII */
	if (high && !utf8_ok(c->p, (size_t)n))
		return -1;
	if (!(s = malloc((size_t)n + 1)))
		return -1;
	if (!esc) {
		memcpy(s, c->p, (size_t)n);
		w = s + n;
	} else if (!(w = unescape(s, c->p, (size_t)n))) {
		free(s);
		return -1;
	}
	*w = '\0';
	c->p += n + 1;
	*out = s;
	return 0;
}

static int str_dup(struct cur *c, char **out)
{
	const char *s;
	size_t n;
	if (c->file)
		return text_dup(c, out);
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
		int64_t t = ((days * 24 + h) * 60 + mi) * 60000LL + se * 1000LL + ms;
		if (t <= 0)
			return -1; /* the epoch and before: jerry_time_parse refuses them */
		*out = t;
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

/* A JSON integer from 1 to JR_VERSION_MAX; anything else goes to jansson, which says why. */
static int version(struct cur *c, int64_t *out)
{
	int64_t v = 0;
	if (c->p >= c->end || *c->p < '1' || *c->p > '9')
		return -1;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		int d = *c->p++ - '0';
		if (v > (JR_VERSION_MAX - d) / 10)
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

/*
 * An array: "[]" when empty in either shape, else its elements after "["
 * and between ","s, each on a line of its own in an item file.  Every
 * array jerry writes is a key of the item, one level deep.
 */
static int list(struct cur *c, jerry_item *it, int (*one)(struct cur *, jerry_item *))
{
	if (EAT_WORD(c, "[]"))
		return 0;
	if (!(c->file ? EAT_WORD(c, "[\n" IN2) : eat(c, '[')))
		return -1;
	do {
		if (one(c, it))
			return -1;
	} while (c->file ? EAT_WORD(c, ",\n" IN2) : eat(c, ','));
	return (c->file ? EAT_WORD(c, "\n" IN1 "]") : eat(c, ']')) ? 0 : -1;
}

/*
 * jr_labels_add, which keeps them sorted and unique.  jerry writes them in
 * order, so the next one usually goes at the end, without a search.
 */
static int label(struct cur *c, jerry_item *it)
{
	char *s;
	if (str_dup(c, &s))
		return -1;
	if (it->nlabels && strcmp(it->labels[it->nlabels - 1], s) >= 0) {
		int rc = jr_labels_add(it, s);
		free(s);
		return rc ? -1 : 0;
	}
	if (it->nlabels >= JR_LABELS_MAX ||
	    jr_array_resize(&it->labels, it->nlabels + 1, sizeof(*it->labels))) {
		free(s);
		return -1;
	}
	it->labels[it->nlabels++] = s;
	return 0;
}

/* jr_depends_add, which keeps them sorted and unique; in order, at the end. */
static int depend(struct cur *c, jerry_item *it)
{
	int64_t n;
	if (id_num(c, &n))
		return -1;
	if (it->ndepends && it->depends_on[it->ndepends - 1] >= n)
		return jr_depends_add(it, n) ? -1 : 0;
	if (it->ndepends >= JR_DEPENDS_MAX ||
	    jr_array_resize(&it->depends_on, it->ndepends + 1, sizeof(*it->depends_on)))
		return -1;
	it->depends_on[it->ndepends++] = n;
	return 0;
}

/*
 * The readers of schema.h's kinds: rd_KIND(c, it, member, flags), member
 * the address of the member to fill, `it` the item being read.
 */
static int rd_id(struct cur *c, jerry_item *it, int64_t *num, unsigned flags)
{
	(void)it, (void)flags;
	return id_num(c, num);
}

static int rd_uid(struct cur *c, jerry_item *it, uint64_t *v, unsigned flags)
{
	(void)it, (void)flags;
	return uid(c, v);
}

static int rd_version(struct cur *c, jerry_item *it, int64_t *v, unsigned flags)
{
	(void)it, (void)flags;
	return version(c, v);
}

static int rd_text(struct cur *c, jerry_item *it, char **s, unsigned flags)
{
	(void)it;
	return flags & JR_F_REQ ? str_dup(c, s) : opt_str(c, s);
}

static const char *type_name(int v) { return jerry_type_name((jerry_type)v); }
static const char *status_name(int v) { return jerry_status_name((jerry_status)v); }
static const char *prio_name(int v) { return jerry_priority_name((jerry_priority)v); }

static int rd_type(struct cur *c, jerry_item *it, jerry_type *v, unsigned flags)
{
	int n;
	(void)it, (void)flags;
	if (name(c, type_name, JERRY_TYPE__COUNT, &n))
		return -1;
	*v = (jerry_type)n;
	return 0;
}

static int rd_status(struct cur *c, jerry_item *it, jerry_status *v, unsigned flags)
{
	int n;
	(void)it, (void)flags;
	if (name(c, status_name, JERRY_STATUS__COUNT, &n))
		return -1;
	*v = (jerry_status)n;
	return 0;
}

static int rd_priority(struct cur *c, jerry_item *it, jerry_priority *v, unsigned flags)
{
	int n;
	(void)it, (void)flags;
	if (name(c, prio_name, JERRY_PRIORITY__COUNT, &n))
		return -1;
	*v = (jerry_priority)n;
	return 0;
}

/* The labels and depends_on arrays as jerry writes them, not null. */
static int rd_labels(struct cur *c, jerry_item *it, char ***labels, unsigned flags)
{
	(void)labels, (void)flags;
	return list(c, it, label);
}

static int rd_ref(struct cur *c, jerry_item *it, int64_t *num, unsigned flags)
{
	(void)it, (void)flags;
	return opt_id(c, num);
}

static int rd_refs(struct cur *c, jerry_item *it, int64_t **nums, unsigned flags)
{
	(void)nums, (void)flags;
	return list(c, it, depend);
}

/* jr_renumbered_add, which keeps them sorted and unique. */
static int former(struct cur *c, jerry_item *it)
{
	int64_t n;
	return id_num(c, &n) || jr_renumbered_add(it, n) ? -1 : 0;
}

static int rd_former(struct cur *c, jerry_item *it, int64_t **nums, unsigned flags)
{
	(void)nums, (void)flags;
	return list(c, it, former);
}

static int rd_time(struct cur *c, jerry_item *it, int64_t *ms, unsigned flags)
{
	(void)it;
	return flags & JR_F_REQ ? time_ms(c, ms) : opt_time(c, ms);
}

/*
 * One field of a list: its key, after "{" for the first and "," for the
 * others, then its value.  A JR_F_DETAIL field is only in an item file; a
 * JR_F_OPTKEY key may be missing.  `first` is a local the compiler
 * follows, so each key is one constant; `in` is its indentation in an
 * item file.
 */
#define READ(in, base, key, kind, member, flags)                                   \
	if (!((flags) & JR_F_DETAIL) || c->file) {                                 \
		if (first ? EAT_OPEN(c, in, #key) : EAT_KEY(c, in, #key)) {        \
			if (rd_##kind(c, it, &(base)->member, (flags)))            \
				return -1;                                         \
		} else if (!((flags) & JR_F_OPTKEY)) {                             \
			return -1;                                                 \
		}                                                                  \
		first = 0;                                                         \
	}

#define READ_ITEM(key, kind, member, flags) READ(IN1, it, key, kind, member, flags)
#define READ_CLAIM(key, kind, member, flags) READ(IN2, &it->claim, key, kind, member, flags)
#define READ_NOTE(key, kind, member, flags) READ(IN3, n, key, kind, member, flags)

static int rd_claim(struct cur *c, jerry_item *it, jerry_claim *claim, unsigned flags)
{
	int first = 1;
	(void)claim, (void)flags;
	if (null(c))
		return 0;
	JR_CLAIM_FIELDS(READ_CLAIM)
	return EAT_CLOSE(c, IN1) ? 0 : -1;
}

/* A note's keys into n, whose strings the caller frees. */
static int note_fields(struct cur *c, jerry_item *it, jerry_note *n)
{
	int first = 1;
	JR_NOTE_FIELDS(READ_NOTE)
	return EAT_CLOSE(c, IN2) ? 0 : -1;
}

/*
 * jr_notes_append, keeping the strings instead of copying them, and
 * doubling the array at each power of two rather than growing it by one:
 * a file may hold JR_NOTES_MAX.  The capacity is then the next power of
 * two, which the resize of a later jr_notes_append does not mind.
 */
static int note(struct cur *c, jerry_item *it)
{
	jerry_note one = {0, NULL, NULL};
	size_t n = it->nnotes;
	if (note_fields(c, it, &one) || n >= JR_NOTES_MAX ||
	    (!(n & (n - 1)) && jr_array_resize(&it->notes, n ? 2 * n : 1, sizeof(*it->notes)))) {
		free(one.by);
		free(one.text);
		return -1;
	}
	it->notes[it->nnotes++] = one;
	return 0;
}

static int rd_notes(struct cur *c, jerry_item *it, jerry_note **notes, unsigned flags)
{
	(void)notes, (void)flags;
	return list(c, it, note);
}

/*
 * schema.h's item fields, "{" to completed_at: those of a summary line,
 * or of an item file, which adds description and notes.
 */
static int fields(struct cur *c, jerry_item *it)
{
	int first = 1;
	JR_ITEM_FIELDS(READ_ITEM)
	return 0;
}

/* The line jr_codec_summary_line writes; "unconfirmed", if there, last and true. */
int jr_summary_decode(jerry_item **out, const char *line, size_t len, int *unconfirmed)
{
	struct cur cur = {line, line + len, 0}, *c = &cur;
	int unc = 0;
	*out = NULL;
	if (!plain(line, len))
		return JR_SUMMARY_DECLINE;
	jerry_item *it = jr_item_new();
	if (!it)
		return JR_SUMMARY_DECLINE;
	it->is_summary = 1;
	if (fields(c, it))
		goto decline;
	if (EAT_WORD(c, ",\"" JR_KEY_UNCONFIRMED "\":true"))
		unc = 1;
	if (!eat(c, '}') || c->p != c->end)
		goto decline;
	jerry_id_format(it->id, sizeof(it->id), it->num);
	*out = it;
	if (unconfirmed)
		*unconfirmed = unc;
	return 0;
decline:
	jerry_item_free(it);
	return JR_SUMMARY_DECLINE;
}

/*
 * The text jr_codec_item_text writes, final newline included, for an item
 * without unknown keys; and for item expect_num when that is > 0, so that
 * jansson's path reports a file that holds another.
 */
int jr_itemfile_decode(jerry_item **out, const char *text, size_t len, int64_t expect_num)
{
	struct cur cur = {text, text + len, 1}, *c = &cur;
	*out = NULL;
	jerry_item *it = jr_item_new();
	if (!it)
		return JR_SUMMARY_DECLINE;
	if (fields(c, it) || !EAT_WORD(c, "\n}\n") || c->p != c->end ||
	    (expect_num > 0 && it->num != expect_num)) {
		jerry_item_free(it);
		return JR_SUMMARY_DECLINE;
	}
	jerry_id_format(it->id, sizeof(it->id), it->num);
	*out = it;
	return 0;
}
