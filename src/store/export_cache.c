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
/* A record's head: "NUM LEN CHECK\n", far below this. */
#define REC_HEAD_MAX 64
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
static int rd_next(cache_rd *r, int64_t *num, const char **line, size_t *len)
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
	const char *p = r->buf.buf + r->pos;
	uint64_t n, l, check = 0;
	if (!(p = parse_dec(p, nl, &n)) || *p++ != ' ' || !(p = parse_dec(p, nl, &l)) ||
	    *p++ != ' ' || nl - p != 16 || n == 0 || n > 999999999 || l == 0 || l > LINE_MAX_LEN)
		return -1;
	for (; p < nl; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
		if (d < 0)
			return -1;
		check = check << 4 | (uint64_t)d;
	}
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

/* Open the cache if its header is of this jerry and its stamp is items/'s now. */
static int rd_open(cache_rd *r, jerry_store *st, const cache_stamp *now, size_t *count)
{
	char want[HEAD_LEN + 1];
	*r = (cache_rd){.fd = -1, .buf = JR_SB_INIT};
	r->fd = jr_io_openat(st->dirfd, CACHE_REL, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
	if (r->fd < 0)
		return -1;
	if (header_format(want, sizeof(want), now, 0) || rd_fill(r, HEAD_LEN) ||
	    memcmp(r->buf.buf, want, HEAD_LEN - 21) || r->buf.buf[HEAD_LEN - 1] != '\n')
		return -1;
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
	cache_stamp stamp;
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
	if (stamp_of(&t, w->tf.fd) || stamp_of(&w->stamp, st->itemsfd) ||
	    w->stamp.msec > t.msec || (w->stamp.msec == t.msec && w->stamp.mnsec >= t.mnsec))
		build_drop(w);
}

static void build_flush(cache_wr *w, size_t keep)
{
	if (w->tf.fd >= 0 && w->out.len >= keep) {
		if (jr_io_write_all(w->tf.fd, w->out.buf, w->out.len) < 0)
			build_drop(w);
		w->out.len = 0;
	}
}

static void build_add(cache_wr *w, int64_t num, const char *line, size_t len)
{
	if (w->tf.fd < 0)
		return;
	char head[REC_HEAD_MAX];
	int n = snprintf(head, sizeof(head), "%" PRId64 " %zu %016" PRIx64 "\n", num, len,
			 jr_export_cache_check(num, line, len));
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
	if (stamp_of(&now, st->itemsfd) || !stamp_equal(&now, &w->stamp) ||
	    header_format(head, sizeof(head), &w->stamp, w->count) ||
	    jr_io_pwrite_all(w->tf.fd, head, HEAD_LEN, 0) < 0 ||
	    jr_tmpfile_commit(&w->tf, st, 0, NULL)) {
		build_drop(w);
		return;
	}
	jr_sb_release(&w->out);
}

/* ---- the walk ---------------------------------------------------------------------- */

/*
 * The item files numbered above after, each read and its line lent, and
 * added to the cache being built, if one is.
 */
static int walk_files(jerry_store *st, int64_t after, cache_wr *w, jr_pick_fn pick,
		      jr_line_fn fn, void *arg, jerry_error *err)
{
	struct jr_sb buf = JR_SB_INIT, line = JR_SB_INIT;
	int64_t *nums = NULL;
	size_t n = 0;
	int rc = jr_store_list_item_files(&nums, &n, st, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		jerry_item *it = NULL;
		if (nums[i] <= after)
			continue;
		rc = jr_store_read_item_buf(&it, st, nums[i], &buf, err);
		line.len = 0;
		if (rc == 0 && jr_export_line(&line, it, NULL, 0, 0))
			rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		if (rc == 0) {
			build_add(w, nums[i], line.buf, line.len);
			if (!pick || pick(arg, it))
				rc = fn(arg, line.buf, line.len, err);
		}
		jerry_item_free(it);
	}
	jr_sb_release(&buf);
	jr_sb_release(&line);
	free(nums);
	return rc;
}

int jr_export_cache_each(jerry_store *st, jr_pick_fn pick, jr_line_fn fn,
			 void *arg, jerry_error *err)
{
	cache_stamp now;
	cache_rd r = {.fd = -1, .buf = JR_SB_INIT};
	cache_wr w = {.tf = {.fd = -1}, .out = JR_SB_INIT};
	size_t count = 0, seen = 0;
	int64_t last = 0, num;
	const char *line;
	size_t len;
	int rc = 0;
	int current = stamp_of(&now, st->itemsfd) == 0 && rd_open(&r, st, &now, &count) == 0;
	/*
	 * A filter is tested on whole items, which a line would have to be
	 * parsed back into (slower than reading the files): only the plain
	 * export reads the cache.
	 */
	if (current && !pick) {
		while (rc == 0 && seen < count && rd_next(&r, &num, &line, &len) > 0 && num > last) {
			rc = fn(arg, line, len, err);
			last = num;
			seen++;
		}
	} else if (!current) {
		build_begin(&w, st);
	}
	rd_close(&r);
	/* No cache, a filter, or the part of the cache after a damaged record: the files. */
	if (rc == 0 && (pick || seen < count || count == 0))
		rc = walk_files(st, last, &w, pick, fn, arg, err);
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
