/*
 * ixlog.h - the text of index.log (doc/FORMAT.md, "index.log"): its header
 * line and its three kinds of record.  ixlog.c is the only code that knows
 * how they are spelled; index.c, index_write.c and history.c hand it and
 * take from it typed records.  It does no I/O: reading and appending the
 * file, and which generation counts, belong to the index.
 *
 *     {"jerry_index_log":1,"generation":7}          the header, line 1
 *     {"id":"WORK-007","history":ENTRY}             JR_IXLOG_HISTORY
 *     {"put":SUMMARY}                               JR_IXLOG_PUT
 *     {"ok":"WORK-007","version":5}                 JR_IXLOG_OK
 */
#ifndef JERRY_STORE_IXLOG_H
#define JERRY_STORE_IXLOG_H

#include <stddef.h>
#include <stdint.h>

struct json_t;

typedef enum jr_ixlog_kind {
	JR_IXLOG_HISTORY = 1,   /* the durable copy of a history entry    */
	JR_IXLOG_PUT,           /* a summary about to become current      */
	JR_IXLOG_OK             /* that summary's version, now current    */
} jr_ixlog_kind;

typedef struct jr_ixlog_rec {
	jr_ixlog_kind kind;
	int64_t num;            /* HISTORY, OK: the item; -1 if its ID is not one */
	int64_t version;        /* OK: the confirmed version; -1 if not a number  */
	const char *json;       /* HISTORY: the entry, PUT: the summary, as JSON  */
	size_t len;             /* of json, which has no newline                  */
	/*
	 * A record that had to be parsed (not in jerry's own spelling) has its
	 * entry or summary here, owned by the record; a PUT read so has no
	 * json (turning it back into text only to parse it again would cost a
	 * list every summary written by hand, or with a title fast_read.c
	 * declines).
	 */
	struct json_t *value;
	/*
	 * Set by the decoder: 1 when json was taken from jerry's own spelling
	 * of the record without parsing it, so a summary that does not then
	 * decode may be a record written otherwise (by hand, another tool):
	 * jr_ixlog_reread() parses the line properly.
	 */
	int unchecked;
	char *owned;            /* json's storage when the decoder made it */
} jr_ixlog_rec;

/*
 * The header line of a log of generation gen, with its newline, into buf
 * (snprintf's contract: the length it needs, at most size - 1 written).
 */
size_t jr_ixlog_header(char *buf, size_t size, uint64_t gen);

/*
 * The generation in the first line of line[0..len) (it stops at a
 * newline).  With need_magic, the "jerry_index_log" key must be there.
 * 0, or -1 when it is not a log header.
 */
int jr_ixlog_generation(const char *line, size_t len, int need_magic, uint64_t *gen);

/*
 * The same for a header of the form {"MAGIC":1,"generation":N,...}, which
 * index.json's first element shares: jerry's own spelling is matched by
 * hand (every write reads both headers), anything else goes to jansson.
 */
int jr_ix_header_generation(const char *line, size_t len, const char *magic, int need_magic,
			     uint64_t *gen);

/*
 * recs[0..n) as lines, each with its newline, into buf (snprintf's
 * contract).  HISTORY and PUT take json/len, which must be one line of
 * JSON; HISTORY and OK take num, OK takes version.
 */
size_t jr_ixlog_format(char *buf, size_t size, const jr_ixlog_rec *recs, size_t n);

/*
 * One record line, without its newline (trailing blanks, a carriage return
 * and an array comma are ignored), into *r: its kind; 0 for a blank line;
 * JERRY_ECORRUPT with the reason in why; JERRY_ENOMEM.  r->json points into
 * line or into r->owned; jr_ixlog_rec_release() frees r->owned and r->value.
 */
int jr_ixlog_decode(jr_ixlog_rec *r, const char *line, size_t len, char *why, size_t whysize);
void jr_ixlog_rec_release(jr_ixlog_rec *r);

/* Walking a log held in memory, forwards. */
typedef struct jr_ixlog_iter {
	const char *p, *end;    /* what is left to read                         */
	long lineno;            /* the current record's line (the header is 1)  */
	const char *line;       /* the current record's text, without newline  */
	size_t len;
	jr_ixlog_rec rec;       /* the current record                           */
	char why[160];          /* what is wrong with it, after JERRY_ECORRUPT  */
	/*
	 * 0, or the kinds the walker wants (JR_IXLOG_BIT): a line that starts
	 * as jerry starts a record of another kind is passed over undecoded.
	 */
	unsigned want;
} jr_ixlog_iter;

#define JR_IXLOG_BIT(kind) (1u << (kind))

/*
 * Start at buf[0..len), a whole log: 0 and *gen, or -1 when its first line
 * is not a header (see jr_ixlog_generation for need_magic).
 */
int jr_ixlog_begin(jr_ixlog_iter *it, const char *buf, size_t len, int need_magic, uint64_t *gen);

/*
 * The next record into it->rec: its kind; 0 at the end.  A last line
 * without its newline is a write in progress, or torn by a crash, and is
 * the end.  JERRY_ECORRUPT (it->why) or JERRY_ENOMEM for one line; the walk
 * can go on past it.
 */
int jr_ixlog_next(jr_ixlog_iter *it);

/* The current line again, parsed with jansson (see rec.unchecked). */
int jr_ixlog_reread(jr_ixlog_iter *it);

/* Free what the walk holds; it may stop at any record. */
void jr_ixlog_end(jr_ixlog_iter *it);

#endif
