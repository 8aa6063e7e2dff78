/*
 * table.h - the CLI's text tables, measured in display columns.
 *
 * A table is a few narrow columns (ID, STATUS, ...) and one wide last
 * column (the title) that takes the room the others leave.  Widths are
 * display columns under the locale (wcwidth: a CJK character or an emoji is
 * two, a combining mark none), never bytes.  On a terminal (or with
 * COLUMNS set) a row fits its width: the last column is cut at a character
 * boundary with an ellipsis.  Piped, nothing is cut and the last column is
 * not padded: a row is as long as what it says, with no trailing blanks
 * (doc/CLI.md, "Text tables"; ADR 0023).
 *
 *	struct tbl t;
 *	if (tbl_init(&t, 3, n))         // 3 columns, room for n rows
 *		...out of memory...
 *	t.head = heads;                 // "ID", "STATUS", "TITLE"
 *	row = tbl_row(&t);              // then tbl_cell(&t, row, col, text) ...
 *	tbl_print(&t, stdout, columns); // columns: tbl_columns()
 *	tbl_release(&t);
 */
#ifndef JERRY_CLI_TABLE_H
#define JERRY_CLI_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Display columns of s, measured by the user's locale (C.UTF-8 when that
 * is not UTF-8: jerry's text always is); a byte that is not UTF-8 counts
 * one (and prints as it is).
 */
size_t tbl_width(const char *s);

/*
 * The width to lay tables out for: COLUMNS when set to a number, else the
 * terminal's when stdout is one; 0 for a pipe or a file (nothing is cut).
 */
size_t tbl_columns(void);


#define TBL_COLS_MAX 8

struct tbl_row {
	char **cells;           /* ncols texts, "" for none */
	const char *color;      /* an escape for the colour column's cell, or "" */
	char *tail;             /* after the last column, cut before it: "[ui, api]" */
	char **lines;           /* lines under the row (indented by the caller) */
	size_t nlines;
};

struct tbl {
	size_t ncols, nrows, cap;
	const char *const *head;  /* ncols headings, or NULL: no header line */
	size_t color_col;         /* the column a row's colour applies to */
	size_t max[TBL_COLS_MAX]; /* per column: at most this wide on a terminal (0: no cap) */
	struct tbl_row *rows;
	int failed;               /* out of memory: tbl_print() prints nothing, returns -1 */
};

/* Room for `rows` rows of `ncols` (<= TBL_COLS_MAX) columns: 0, or -1 out of memory. */
int tbl_init(struct tbl *t, size_t ncols, size_t rows);
void tbl_release(struct tbl *t);

/* The next row (its cells empty); NULL when out of memory or full. */
struct tbl_row *tbl_row(struct tbl *t);
/* Set a cell, a tail or add a line under the row (copied); -1 when out of memory. */
int tbl_cell(struct tbl *t, struct tbl_row *row, size_t col, const char *text);
int tbl_tail(struct tbl *t, struct tbl_row *row, const char *text);
int tbl_line(struct tbl *t, struct tbl_row *row, const char *text);

/*
 * Print the header (when t->head) and the rows, laid out for `cols`
 * columns (0: a pipe, nothing cut).  0, or -1 when the table ran out of
 * memory while it was filled.
 */
int tbl_print(const struct tbl *t, FILE *f, size_t cols);

#endif
