/*
 * export_cache.c - tmp/export.cache: every item's export line (export_file.c's
 * bytes, without history) in number order, so that `jerry export` reads one
 * file instead of one file an item (doc/adr/0024-export-cache.md).
 *
 * It is derived and local, like index.json, and never trusted blindly:
 *
 *  - Its header holds the stamp of items/ (device, inode, mtime, ctime) when
 *    it was built.  Every jerry write, sync, import and git checkout changes
 *    an item file by renaming, creating or removing a name in items/, which
 *    moves that directory's mtime and ctime; so while the stamp is the
 *    directory's, every item file is the one the cache was built from.  A
 *    stamp that could not tell a later change (the directory changed in the
 *    same clock tick the build began) is never written: see build_begin().
 *  - Each record carries its item number, its line's length and a check of
 *    both, and the header the number of records: a torn, truncated, zeroed
 *    or edited cache stops being read at its first bad record, and the
 *    items after it are read from their files.  So a power cut can only
 *    cost speed, and the file is never synced.
 *  - Each record also carries the stamp of the item file its line was made
 *    from (inode, size, mtime, ctime), or none when that file changed in
 *    the clock tick the build began or later.  When items/ changed since
 *    (a write elsewhere in the store), an export stats each item file and
 *    takes the cache's line for every file whose stamp is the record's:
 *    only the items that changed are read, and a fresh cache is written.
 *    Every write replaces an item file by rename, so a changed file is
 *    another inode with later times; a file last changed before the build
 *    began cannot change again without its stamp moving.
 *  - The header names the cache format and the export format: a line's
 *    bytes change only with JR_EXPORT_CACHE_VERSION.
 *
 * Otherwise export reads every item file (as it always did) and writes a
 * fresh cache on the way, when it can: a read-only store, a full disk or a
 * store being written to just go without.  `jerry reindex` removes it.
 */
#include "export.h"
#include "store.h"
#include "codec.h"
#include "io.h"
#include "../domain/domain.h"
#include "../util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bump when a line's bytes or the layout below change. */
#define JR_EXPORT_CACHE_VERSION 1
#define CACHE_NAME "export.cache"
#define CACHE_REL "tmp/" CACHE_NAME
#define CACHE_CHUNK (256 * 1024)
/* A record's head: "NUM LEN CHECK INO SIZE MSEC MNSEC CSEC CNSEC\n", below this. */
#define REC_HEAD_MAX 160
/* A line is an item file's content, compact: never longer than the file may be. */
#define LINE_MAX_LEN ((size_t)JR_ITEM_FILE_MAX + 1)

/*
 * The header, one line of fixed width (so the count can be written last,
 * over the place held for it): magic, cache version, export version, the
 * stamp of items/, the number of records.
 */
#define HEAD_FMT "jerry-export-cache %d %d %020" PRIu64 " %020" PRIu64 " %020" PRId64 \
		 " %09ld %020" PRId64 " %09ld %020zu\n"
#define HEAD_LEN (19 + 2 + 2 + 4 * 21 + 2 * 10 + 21)

typedef struct cache_stamp {
	uint64_t dev, ino;
	int64_t msec, csec;
	long mnsec, cnsec;
} cache_stamp;

static int stamp_of(cache_stamp *s, int fd)
{
	struct stat sb;
	if (jr_io_fstat(fd, &sb) < 0)
		return -1;
	*s = (cache_stamp){(uint64_t)sb.st_dev, (uint64_t)sb.st_ino, (int64_t)sb.st_mtim.tv_sec,
			   (int64_t)sb.st_ctim.tv_sec, sb.st_mtim.tv_nsec, sb.st_ctim.tv_nsec};
	return 0;
}

/* An item file's stamp in its record; all zero: none (always read the file). */
typedef struct file_stamp {
	uint64_t ino, size;
	int64_t msec, csec;
	long mnsec, cnsec;
} file_stamp;

static file_stamp file_stamp_of(const struct stat *sb)
{
	return (file_stamp){(uint64_t)sb->st_ino, (uint64_t)sb->st_size, (int64_t)sb->st_mtim.tv_sec,
			    (int64_t)sb->st_ctim.tv_sec, sb->st_mtim.tv_nsec, sb->st_ctim.tv_nsec};
}

static int file_stamp_equal(const file_stamp *a, const file_stamp *b)
{
	return a->ino && a->ino == b->ino && a->size == b->size && a->msec == b->msec &&
	       a->mnsec == b->mnsec && a->csec == b->csec && a->cnsec == b->cnsec;
}

/* Whether time (sec, nsec) is before the tick t: strictly earlier. */
static int before(int64_t sec, long nsec, int64_t tsec, long tnsec)
{
	return sec < tsec || (sec == tsec && nsec < tnsec);
}

/* items/'s stamp with no times: of this directory, but never current (its files' stamps hold). */
static void stamp_untimed(cache_stamp *s)
{
	s->msec = s->csec = 0;
	s->mnsec = s->cnsec = 0;
}

static int stamp_equal(const cache_stamp *a, const cache_stamp *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->msec == b->msec && a->mnsec == b->mnsec &&
	       a->csec == b->csec && a->cnsec == b->cnsec;
}

static int header_format(char *buf, size_t size, const cache_stamp *s, size_t count)
{
	int n = snprintf(buf, size, HEAD_FMT, JR_EXPORT_CACHE_VERSION, JR_EXPORT_VERSION, s->dev,
			 s->ino, s->msec, s->mnsec, s->csec, s->cnsec, count);
	return n == HEAD_LEN ? 0 : -1;
}

/*
 * The check of one record: its number and length, then its bytes eight at
 * a time, each word mixed in by a multiply (the cost is ~1 ns a word; what
 * it must catch is damage, not an adversary).
 */
uint64_t jr_export_cache_check(int64_t num, const char *p, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ ((uint64_t)num * 0xff51afd7ed558ccdu) ^ len;
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x100000001b3u;
		h ^= h >> 29;
		p += 8;
		len -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, p, len);
	h = (h ^ w ^ ((uint64_t)len << 56)) * 0xc4ceb9fe1a85ec53u;
	return h ^ (h >> 32);
}

/* ---- reading ---------------------------------------------------------------------- */

typedef struct cache_rd {
	int fd;
	int eof;
	struct jr_sb buf;
	size_t pos;              /* where the next record starts in buf */
} cache_rd;

/* At least need bytes from pos in buf: 0, 1 at the end of the file, -1 on error. */
static int rd_fill(cache_rd *r, size_t need)
{
	while (r->buf.len - r->pos < need) {
		if (r->eof)
			return 1;
		if (r->pos) {
			memmove(r->buf.buf, r->buf.buf + r->pos, r->buf.len - r->pos);
			r->buf.len -= r->pos;
			r->pos = 0;
		}
		size_t want = need - r->buf.len > CACHE_CHUNK ? need - r->buf.len : CACHE_CHUNK;
		char *w = jr_sb_reserve(&r->buf, want);
		if (!w)
			return -1;
		ssize_t got = jr_io_read(r->fd, w, want);
		if (got < 0)
			return -1;
		if (got == 0)
			r->eof = 1;
		jr_sb_commit(&r->buf, w + got);
	}
	return 0;
}

static const char *parse_dec(const char *p, const char *end, uint64_t *v)
{
	const char *start = p;
	*v = 0;
	while (p < end && *p >= '0' && *p <= '9' && p - start < 19)
		*v = *v * 10 + (uint64_t)(*p++ - '0');
	return p > start ? p : NULL;
}

/*
 * The next record: 1 with the line and its length (newline included) and number, 0 at a
 * clean end, -1 for anything else (torn, damaged, not a cache): the reader
 * goes no further.
 */
static int rd_next(cache_rd *r, int64_t *num, const char **line, size_t *len, file_stamp *fs)
{
	int rc = rd_fill(r, 1);
	if (rc)
		return rc > 0 && r->buf.len == r->pos ? 0 : -1;
	const char *nl;
	for (;;) {
		size_t avail = r->buf.len - r->pos;
		nl = memchr(r->buf.buf + r->pos, '\n', avail < REC_HEAD_MAX ? avail : REC_HEAD_MAX);
		if (nl)
			break;
		if (avail >= REC_HEAD_MAX || rd_fill(r, avail + 1))
			return -1;
	}
	const char *p = r->buf.buf + r->pos, *hex;
	uint64_t n, l, check = 0, v[6];
	if (!(p = parse_dec(p, nl, &n)) || *p++ != ' ' || !(p = parse_dec(p, nl, &l)) ||
	    *p++ != ' ' || nl - p < 16 || n == 0 || n > 999999999 || l == 0 || l > LINE_MAX_LEN)
		return -1;
	for (hex = p; p < hex + 16; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
		if (d < 0)
			return -1;
		check = check << 4 | (uint64_t)d;
	}
	/* The item file's stamp: six numbers (a damaged one only fails to match its file). */
	for (int i = 0; i < 6; i++)
		if (p >= nl || *p++ != ' ' || !(p = parse_dec(p, nl, &v[i])))
			return -1;
	if (p != nl || v[3] > 999999999 || v[5] > 999999999)
		return -1;
	*fs = (file_stamp){v[0], v[1], (int64_t)v[2], (int64_t)v[4], (long)v[3], (long)v[5]};
	size_t head = (size_t)(nl - (r->buf.buf + r->pos)) + 1;
	if (rd_fill(r, head + l))
		return -1;
	const char *text = r->buf.buf + r->pos + head;
	if (text[l - 1] != '\n' || jr_export_cache_check((int64_t)n, text, l) != check)
		return -1;
	r->pos += head + l;
	*num = (int64_t)n;
	*line = text;
	*len = l;
	return 1;
}

/*
 * Open the cache if its header is of this jerry and of this items/ (its
 * device and inode: never a copied store's); *current when its stamp is
 * items/'s now (every line is then its file's, unchecked).
 */
static int rd_open(cache_rd *r, jerry_store *st, const cache_stamp *now, size_t *count,
		   int *current)
{
	char want[HEAD_LEN + 1];
	/* "jerry-export-cache C E ": what this jerry writes and reads. */
	const size_t magic = 19 + 2 + 2;
	*r = (cache_rd){.fd = -1, .buf = JR_SB_INIT};
	*current = 0;
	r->fd = jr_io_openat(st->dirfd, CACHE_REL, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
	if (r->fd < 0)
		return -1;
	/* The magic, then items/'s device and inode: 2 * 21 bytes. */
	if (header_format(want, sizeof(want), now, 0) || rd_fill(r, HEAD_LEN) ||
	    memcmp(r->buf.buf, want, magic + 2 * 21) || r->buf.buf[HEAD_LEN - 1] != '\n')
		return -1;
	*current = !memcmp(r->buf.buf + magic, want + magic, HEAD_LEN - 21 - magic);
	uint64_t n;
	const char *end = r->buf.buf + HEAD_LEN - 1;
	/* Twenty digits, the first zero: the count never needs it. */
	const char *p = end[-20] == '0' ? parse_dec(end - 19, end, &n) : NULL;
	if (!p || p != end)
		return -1;
	*count = (size_t)n;
	r->pos = HEAD_LEN;
	return 0;
}

static void rd_close(cache_rd *r)
{
	if (r->fd >= 0)
		jr_io_close(r->fd);
	r->fd = -1;
	jr_sb_release(&r->buf);
}

/* ---- building ---------------------------------------------------------------------- */

typedef struct cache_wr {
	jr_tmpfile tf;           /* tf.fd < 0: not building */
	cache_stamp stamp;       /* items/ when the build began; all zero: none to give */
	struct timespec began;   /* the temp file's mtime: files changed since get no stamp */
	struct jr_sb out;
	size_t count;
} cache_wr;

static void build_drop(cache_wr *w)
{
	jr_tmpfile_abort(&w->tf);
	jr_sb_release(&w->out);
}

/*
 * Start a cache in tmp/ when the store lets us (best effort: any failure,
 * a read-only store first, means no cache this time).  The temp file is
 * written before items/ is looked at: a directory last changed before the
 * temp file's own mtime was changed in an earlier clock tick, so any later
 * change gives it a new mtime, whatever the filesystem's granularity; one
 * changed in that tick or after could change again unseen, and is left.
 */
static void build_begin(cache_wr *w, jerry_store *st)
{
	char head[HEAD_LEN + 1];
	cache_stamp t;
	*w = (cache_wr){.tf = {.fd = -1}, .out = JR_SB_INIT};
	memset(head, ' ', HEAD_LEN - 1);
	head[HEAD_LEN - 1] = '\n';
	if (jr_store_tmpdir(st, NULL) ||
	    jr_tmpfile_write_nosync(&w->tf, st, st->tmpfd, CACHE_NAME, head, HEAD_LEN, NULL)) {
		w->tf.fd = -1;
		return;
	}
	if (stamp_of(&t, w->tf.fd) || stamp_of(&w->stamp, st->itemsfd)) {
		build_drop(w);
		return;
	}
	w->began = (struct timespec){(time_t)t.msec, t.mnsec};
	/*
	 * items/ changed in this tick: its stamp could miss a later change, so
	 * the cache gets none (never read whole), only its files' stamps.
	 */
	if (!before(w->stamp.msec, w->stamp.mnsec, t.msec, t.mnsec))
		stamp_untimed(&w->stamp);
}

static void build_flush(cache_wr *w, size_t keep)
{
	if (w->tf.fd >= 0 && w->out.len >= keep) {
		if (jr_io_write_all(w->tf.fd, w->out.buf, w->out.len) < 0)
			build_drop(w);
		w->out.len = 0;
	}
}

static void build_add(cache_wr *w, int64_t num, const char *line, size_t len, file_stamp fs)
{
	if (w->tf.fd < 0)
		return;
	/*
	 * A file written in the build's tick or later could be written again
	 * in that tick unseen; one written before cannot be without a later
	 * mtime (or, replaced, another inode).
	 */
	if (!before(fs.msec, fs.mnsec, (int64_t)w->began.tv_sec, w->began.tv_nsec))
		memset(&fs, 0, sizeof(fs));
	char head[REC_HEAD_MAX];
	int n = snprintf(head, sizeof(head),
			 "%" PRId64 " %zu %016" PRIx64 " %" PRIu64 " %" PRIu64 " %" PRId64 " %ld %" PRId64
			 " %ld\n",
			 num, len, jr_export_cache_check(num, line, len), fs.ino, fs.size, fs.msec,
			 fs.mnsec, fs.csec, fs.cnsec);
	if (jr_sb_add(&w->out, head, (size_t)n) || jr_sb_add(&w->out, line, len)) {
		build_drop(w);
		return;
	}
	w->count++;
	build_flush(w, CACHE_CHUNK);
}

/* In place of the old cache, if items/ did not change while it was built. */
static void build_end(cache_wr *w, jerry_store *st)
{
	char head[HEAD_LEN + 1];
	cache_stamp now;
	build_flush(w, 0);
	if (w->tf.fd < 0)
		return;
	/* items/ changed while it was built: the files' stamps still hold, its own does not. */
	if (stamp_of(&now, st->itemsfd) || !stamp_equal(&now, &w->stamp))
		stamp_untimed(&w->stamp);
	if (header_format(head, sizeof(head), &w->stamp, w->count) ||
	    jr_io_pwrite_all(w->tf.fd, head, HEAD_LEN, 0) < 0 ||
	    jr_tmpfile_commit(&w->tf, st, 0, NULL)) {
		build_drop(w);
		return;
	}
	jr_sb_release(&w->out);
}

/* ---- the walk ---------------------------------------------------------------------- */

struct walk {
	jerry_store *st;
	cache_rd rd;             /* the cache being read, fd < 0: none (or no more of it) */
	int have;                /* rec_* hold the cache's next record */
	int64_t rec_num;
	const char *rec_line;
	size_t rec_len;
	file_stamp rec_stamp;
	cache_wr *w;
	jr_pick_fn pick;
	jr_line_fn fn;
	void *arg;
	struct jr_sb buf, line;
};

/* The cache's record for num, if it has one: moves past every record below it. */
static int cached(struct walk *k, int64_t num)
{
	while (k->rd.fd >= 0 && (!k->have || k->rec_num < num)) {
		int r = rd_next(&k->rd, &k->rec_num, &k->rec_line, &k->rec_len, &k->rec_stamp);
		if (r <= 0) {
			/* The end, or damage: the cache is read no further. */
			rd_close(&k->rd);
			k->have = 0;
			return 0;
		}
		k->have = 1;
	}
	return k->have && k->rec_num == num;
}

/*
 * Item num: its line from the cache when the record's stamp is its file's
 * (only for a plain export: a filter needs the item), else from its file.
 */
static int walk_one(struct walk *k, int64_t num, jerry_error *err)
{
	char name[40];
	struct stat sb;
	jerry_item *it = NULL;
	int rc;
	if (!k->pick && cached(k, num)) {
		jr_store_item_rel(name, sizeof(name), num);
		file_stamp fs;
		if (jr_io_fstatat(k->st->itemsfd, name + 6, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(sb.st_mode) && (fs = file_stamp_of(&sb), file_stamp_equal(&k->rec_stamp, &fs))) {
			build_add(k->w, num, k->rec_line, k->rec_len, k->rec_stamp);
			return k->fn(k->arg, k->rec_line, k->rec_len, err);
		}
	}
	memset(&sb, 0, sizeof(sb));
	if ((rc = jr_store_read_item_stat(&it, k->st, num, &k->buf, &sb, err)))
		return rc == JERRY_ENOTFOUND ? 0 : rc; /* gone since it was listed */
	k->line.len = 0;
	if (jr_export_line(&k->line, it, NULL, 0, 0))
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
	if (!rc) {
		build_add(k->w, num, k->line.buf, k->line.len, file_stamp_of(&sb));
		if (!k->pick || k->pick(k->arg, it))
			rc = k->fn(k->arg, k->line.buf, k->line.len, err);
	}
	jerry_item_free(it);
	return rc;
}

/*
 * Every item file numbered above after, in number order: its line from the
 * cache k->rd (when one is open) or its file, added to the cache being
 * built, if one is.
 */
static int walk_files(struct walk *k, int64_t after, jerry_error *err)
{
	int64_t *nums = NULL;
	size_t n = 0;
	int rc = jr_store_list_item_files(&nums, &n, k->st, err);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (nums[i] > after)
			rc = walk_one(k, nums[i], err);
	free(nums);
	return rc;
}

int jr_export_cache_each(jerry_store *st, jr_pick_fn pick, jr_line_fn fn,
			 void *arg, jerry_error *err)
{
	cache_stamp now = {0};
	cache_wr w = {.tf = {.fd = -1}, .out = JR_SB_INIT};
	struct walk k = {.st = st, .rd = {.fd = -1, .buf = JR_SB_INIT}, .w = &w, .pick = pick,
			 .fn = fn, .arg = arg, .buf = JR_SB_INIT, .line = JR_SB_INIT};
	size_t count = 0, seen = 0;
	int64_t last = 0, num;
	const char *line;
	size_t len;
	file_stamp fs;
	int rc = 0, current = 0;
	if (stamp_of(&now, st->itemsfd) || rd_open(&k.rd, st, &now, &count, &current))
		rd_close(&k.rd);
	if (current && !pick) {
		/* items/ as it was when the cache was built: every line is its file's. */
		while (rc == 0 && seen < count && rd_next(&k.rd, &num, &line, &len, &fs) > 0 &&
		       num > last) {
			rc = fn(arg, line, len, err);
			last = num;
			seen++;
		}
		rd_close(&k.rd);
		/*
		 * The part after a damaged record (or an empty cache): from the
		 * files.  No new cache: it would hold only that part, and its
		 * current stamp would make the next export read nothing else.
		 * The first write to items/ gets a whole one built.
		 */
		if (rc == 0 && (seen < count || count == 0))
			rc = walk_files(&k, last, err);
	} else {
		/*
		 * items/ changed since (or a filter, which the cache cannot
		 * answer): each file's stamp says whether its line still holds.
		 * A filtered export of a current cache leaves it as it is.
		 */
		if (!current)
			build_begin(&w, st);
		rc = walk_files(&k, 0, err);
	}
	rd_close(&k.rd);
	jr_sb_release(&k.buf);
	jr_sb_release(&k.line);
	if (rc == 0)
		build_end(&w, st);
	else
		build_drop(&w);
	return rc > 0 ? 0 : rc;
}

void jr_export_cache_drop(jerry_store *st)
{
	/* Best effort: a cache left behind is checked by its next reader anyway. */
	(void)jr_io_unlinkat(st->dirfd, CACHE_REL, 0);
}
