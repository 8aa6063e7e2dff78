/*
 * table.c - text tables in display columns (table.h).
 *
 * Widths come from wcwidth() under a locale of the table's own (newlocale
 * and uselocale around each measurement), not from setlocale(): the
 * library folds ASCII names with strcasecmp(), which must not change with
 * the user's LC_CTYPE.  A row is built in a buffer and written whole, its
 * trailing blanks dropped.
 */
#define _GNU_SOURCE
#include "table.h"
#include "../util/strbuf.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

/* ---- display width ----------------------------------------------------------- */

static locale_t utf8_locale = (locale_t)0;
static int utf8_tried;

static int is_utf8(locale_t loc)
{
	const char *cs = nl_langinfo_l(CODESET, loc);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* The user's LC_CTYPE when it is UTF-8, else C.UTF-8; (locale_t)0 when neither exists. */
static locale_t measuring_locale(void)
{
	if (utf8_tried)
		return utf8_locale;
	utf8_tried = 1;
	locale_t loc = newlocale(LC_CTYPE_MASK, "", (locale_t)0);
	if (loc && !is_utf8(loc)) {
		freelocale(loc);
		loc = (locale_t)0;
	}
	if (!loc)
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	utf8_locale = loc;
	return loc;
}

/*
 * The next character of s: its length in bytes (>= 1) and its width in
 * *w.  Without a UTF-8 locale every byte is a character one column wide.
 */
static size_t next_char(const char *s, size_t *w, mbstate_t *st, int utf8)
{
	wchar_t wc;
	if (!utf8) {
		*w = 1;
		return 1;
	}
	size_t n = mbrtowc(&wc, s, MB_LEN_MAX, st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		/* Not UTF-8 (or cut short): one byte, one column, and start afresh. */
		memset(st, 0, sizeof(*st));
		*w = 1;
		return 1;
	}
	int cw = wcwidth(wc);
	*w = cw < 0 ? 1 : (size_t)cw;
	return n;
}

/* Measure under the table's locale: what to hand back to uselocale() after. */
static locale_t measure_begin(int *utf8)
{
	locale_t loc = measuring_locale();
	*utf8 = loc != (locale_t)0;
	return loc ? uselocale(loc) : (locale_t)0;
}

static void measure_end(locale_t old)
{
	if (old)
		uselocale(old);
}

size_t tbl_width(const char *s)
{
	/* ASCII, nearly every ID, status and name: a column a byte, no locale needed. */
	const char *a = s;
	while (*a && !((unsigned char)*a & 0x80))
		a++;
	if (!*a)
		return (size_t)(a - s);
	int utf8;
	locale_t old = measure_begin(&utf8);
	mbstate_t st;
	size_t width = 0, w;
	memset(&st, 0, sizeof(st));
	while (*s) {
		s += next_char(s, &w, &st, utf8);
		width += w;
	}
	measure_end(old);
	return width;
}

/* sb += s cut to at most cols columns, with an ellipsis when cut; the columns used. */
static size_t add_clipped(struct jr_sb *sb, const char *s, size_t cols)
{
	size_t width = tbl_width(s);
	if (width <= cols) {
		jr_sb_addstr(sb, s);
		return width;
	}
	int utf8;
	locale_t old = measure_begin(&utf8);
	const char *ell = utf8 ? "\xe2\x80\xa6" : "..."; /* U+2026 HORIZONTAL ELLIPSIS */
	size_t ellw = utf8 ? 1 : 3, used = 0, w;
	if (cols < ellw) {
		ell = "";
		ellw = 0;
	}
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	const char *p = s;
	while (*p) {
		size_t n = next_char(p, &w, &st, utf8);
		if (used + w > cols - ellw)
			break;
		used += w;
		p += n;
	}
	measure_end(old);
	jr_sb_add(sb, s, (size_t)(p - s));
	jr_sb_addstr(sb, ell);
	return used + ellw;
}

static void add_pad(struct jr_sb *sb, size_t n)
{
	while (n--)
		jr_sb_addch(sb, ' ');
}

/* ---- the terminal ------------------------------------------------------------ */

size_t tbl_columns(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	if (env && *env) {
		char *end;
		unsigned long v = strtoul(env, &end, 10);
		if (!*end && v > 0 && v < 100000)
			return (size_t)v;
	}
	if (!isatty(STDOUT_FILENO))
		return 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* ---- tables ---------------------------------------------------------------------- */

int tbl_init(struct tbl *t, size_t ncols, size_t rows)
{
	memset(t, 0, sizeof(*t));
	if (ncols == 0 || ncols > TBL_COLS_MAX)
		return -1;
	t->ncols = ncols;
	t->cap = rows;
	t->rows = calloc(rows ? rows : 1, sizeof(*t->rows));
	if (!t->rows) {
		t->failed = 1;
		return -1;
	}
	return 0;
}

void tbl_release(struct tbl *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		struct tbl_row *r = &t->rows[i];
		for (size_t c = 0; r->cells && c < t->ncols; c++)
			free(r->cells[c]);
		free(r->cells);
		free(r->tail);
		for (size_t k = 0; k < r->nlines; k++)
			free(r->lines[k]);
		free(r->lines);
	}
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

struct tbl_row *tbl_row(struct tbl *t)
{
	if (t->failed || t->nrows >= t->cap) {
		t->failed = 1;
		return NULL;
	}
	struct tbl_row *r = &t->rows[t->nrows];
	r->cells = calloc(t->ncols, sizeof(*r->cells));
	if (!r->cells) {
		t->failed = 1;
		return NULL;
	}
	r->color = "";
	t->nrows++;
	return r;
}

static int set_text(struct tbl *t, char **slot, const char *text)
{
	char *copy = strdup(text ? text : "");
	if (!copy) {
		t->failed = 1;
		return -1;
	}
	free(*slot);
	*slot = copy;
	return 0;
}

int tbl_cell(struct tbl *t, struct tbl_row *row, size_t col, const char *text)
{
	if (!row || col >= t->ncols) {
		t->failed = 1;
		return -1;
	}
	return set_text(t, &row->cells[col], text);
}

int tbl_tail(struct tbl *t, struct tbl_row *row, const char *text)
{
	if (!row) {
		t->failed = 1;
		return -1;
	}
	return set_text(t, &row->tail, text);
}

int tbl_line(struct tbl *t, struct tbl_row *row, const char *text)
{
	char **lines = row ? realloc(row->lines, (row->nlines + 1) * sizeof(*lines)) : NULL;
	if (!lines) {
		t->failed = 1;
		return -1;
	}
	row->lines = lines;
	lines[row->nlines] = NULL;
	if (set_text(t, &lines[row->nlines], text))
		return -1;
	row->nlines++;
	return 0;
}

static const char *cell_of(const struct tbl_row *r, size_t c)
{
	return r->cells[c] ? r->cells[c] : "";
}

/* Write the line in sb without its trailing blanks, and a newline; sb is emptied. */
static void flush_line(struct jr_sb *sb, FILE *f)
{
	size_t n = sb->len;
	while (n && sb->buf[n - 1] == ' ')
		n--;
	if (n)
		fwrite(sb->buf, 1, n, f);
	fputc('\n', f);
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

/*
 * The last column: the text, then "  " and the tail.  Cut to `room`
 * columns (0: not cut), the text keeps two thirds of it when the tail
 * would take more: a title says more than its labels.
 */
static void add_last(struct jr_sb *sb, const char *text, const char *tail, size_t room)
{
	size_t tw = tbl_width(text), aw = tail && *tail ? 2 + tbl_width(tail) : 0;
	if (!room || tw + aw <= room) {
		jr_sb_addstr(sb, text);
		if (aw) {
			jr_sb_addstr(sb, "  ");
			jr_sb_addstr(sb, tail);
		}
		return;
	}
	size_t keep = room > aw ? room - aw : 0, most = room * 2 / 3;
	if (keep < most)
		keep = tw < most ? tw : most;
	size_t used = add_clipped(sb, text, keep);
	/* The tail in what is left, when a little of it can still be read. */
	if (aw && room >= used + 2 + 4) {
		jr_sb_addstr(sb, "  ");
		add_clipped(sb, tail, room - used - 2);
	}
}

/* The narrowest the last column gets, however narrow the terminal. */
#define LAST_MIN 20

int tbl_print(const struct tbl *t, FILE *f, size_t cols)
{
	size_t width[TBL_COLS_MAX] = {0}, last = t->ncols - 1, fixed = 0;
	struct jr_sb sb;
	if (t->failed || !t->ncols)
		return -1;
	for (size_t c = 0; c < last; c++) {
		if (t->head)
			width[c] = tbl_width(t->head[c]);
		for (size_t i = 0; i < t->nrows; i++) {
			size_t w = tbl_width(cell_of(&t->rows[i], c));
			if (w > width[c])
				width[c] = w;
		}
		if (cols && t->max[c] && width[c] > t->max[c])
			width[c] = t->max[c];
		fixed += width[c] + 2;
	}
	size_t room = 0;
	if (cols)
		room = cols > fixed + LAST_MIN ? cols - fixed : LAST_MIN;

	jr_sb_init(&sb);
	if (t->head) {
		for (size_t c = 0; c < last; c++) {
			size_t w = add_clipped(&sb, t->head[c], width[c]);
			add_pad(&sb, width[c] - w + 2);
		}
		jr_sb_addstr(&sb, t->head[last]);
		flush_line(&sb, f);
	}
	for (size_t i = 0; i < t->nrows; i++) {
		const struct tbl_row *r = &t->rows[i];
		for (size_t c = 0; c < last; c++) {
			int colored = c == t->color_col && r->color && *r->color;
			if (colored)
				jr_sb_addstr(&sb, r->color);
			size_t w = add_clipped(&sb, cell_of(r, c), width[c]);
			if (colored)
				jr_sb_addstr(&sb, "\033[0m");
			add_pad(&sb, width[c] - w + 2);
		}
		add_last(&sb, cell_of(r, last), r->tail, room);
		flush_line(&sb, f);
		for (size_t k = 0; k < r->nlines; k++) {
			if (cols)
				add_clipped(&sb, r->lines[k], cols);
			else
				jr_sb_addstr(&sb, r->lines[k]);
			flush_line(&sb, f);
		}
	}
	int failed = sb.failed;
	jr_sb_release(&sb);
	return failed ? -1 : 0;
}
