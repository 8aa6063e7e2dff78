/*
 * index.c - the index: a snapshot plus a log, so that the cost of a write
 * does not grow with the number of items (doc/adr/0002-index.md).  This
 * file reads it; index_write.c writes, compacts and rebuilds it.
 *
 * index.json is one JSON array, one element per line:
 *
 *     [
 *     {"jerry_index":1,"generation":7,"count":2},
 *     {"id":"WORK-001", ...summary...},
 *     {"id":"WORK-002", ...summary...}
 *     ]
 *
 * so it is a plain JSON document for jq and people, and jerry can read it a
 * line at a time.  index.log is JSON Lines (ixlog.c spells and reads its
 * records; this file applies them):
 *
 *     {"jerry_index_log":1,"generation":7}
 *     {"put":{...summary of WORK-003 version 1...}}
 *     {"ok":"WORK-003","version":1}
 *
 * The log belongs to the snapshot with the same generation; a log of
 * another generation is ignored (everything in it is already in the
 * snapshot).  Compaction writes snapshot G+1 first, then log G+1.  Readers
 * open the log before the snapshot, so a compaction between the two opens
 * can only make them ignore an old log whose entries the newer snapshot
 * already holds.
 *
 * A "put" without its "ok" is unconfirmed: the writer may have died
 * between the two, before or after renaming the item.  Readers settle it
 * by reading the item file, which is the truth.  Compaction settles it the
 * same way when nobody holds the item's lock, and otherwise carries it into
 * the snapshot with "unconfirmed": true.
 */
#define _GNU_SOURCE
#include "store.h"
#include "codec.h"
#include "io.h"
#include "ixlog.h"
#include "lock.h"
#include "../domain/domain.h"
#include "../util/array.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void jr_index_release(jr_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->count; i++)
		jerry_item_free(ix->e[i].item);
	free(ix->e);
	memset(ix, 0, sizeof(*ix));
}

/* The first slot whose number is not below num; count when there is none. */
static size_t lower_bound(const jr_index *ix, int64_t num)
{
	size_t lo = 0, hi = ix->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->e[mid].item->num < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

jr_ix_entry *jr_index_find(const jr_index *ix, int64_t num)
{
	size_t at = lower_bound(ix, num);
	return at < ix->count && ix->e[at].item->num == num ? &ix->e[at] : NULL;
}

jerry_item *jr_index_get(const jr_index *ix, int64_t num)
{
	jr_ix_entry *x = jr_index_find(ix, num);
	return x ? x->item : NULL;
}

/* Room for one more entry. */
static int ix_reserve(jr_index *ix)
{
	return JR_ARRAY_GROW(ix->e, ix->count + 1, ix->cap);
}

int jr_ix_set(jr_index *ix, jerry_item *it, int unconfirmed)
{
	size_t at = ix->count;
	/*
	 * Numbers mostly come in ascending order - the snapshot is written
	 * so, and a create takes the next number - so the new one usually
	 * goes at the end.
	 */
	if (at && ix->e[at - 1].item->num >= it->num) {
		at = lower_bound(ix, it->num);
		if (ix->e[at].item->num == it->num) {
			jerry_item_free(ix->e[at].item);
			ix->e[at].item = it;
			ix->e[at].unconfirmed = (unsigned char)unconfirmed;
			return 0;
		}
	}
	if (ix_reserve(ix)) {
		jerry_item_free(it);
		return JERRY_ENOMEM;
	}
	memmove(ix->e + at + 1, ix->e + at, (ix->count - at) * sizeof(*ix->e));
	ix->e[at] = (jr_ix_entry){it, 0, (unsigned char)unconfirmed};
	ix->count++;
	return 0;
}

/*
 * A snapshot line, appended as read: jerry writes them in ascending order,
 * and *sorted is cleared when a line is not (an edit by hand, a merge), for
 * sort_snapshot() - so no order of lines costs more than a sort.
 */
static int snapshot_add(jr_index *ix, int *sorted, jerry_item *it, int unconfirmed)
{
	if (ix_reserve(ix)) {
		jerry_item_free(it);
		return JERRY_ENOMEM;
	}
	if (ix->count && ix->e[ix->count - 1].item->num >= it->num)
		*sorted = 0;
	ix->e[ix->count] = (jr_ix_entry){it, (uint32_t)ix->count, (unsigned char)unconfirmed};
	ix->count++;
	return 0;
}

static int by_num_then_order(const void *a, const void *b)
{
	const jr_ix_entry *x = a, *y = b;
	if (x->item->num != y->item->num)
		return (x->item->num > y->item->num) - (x->item->num < y->item->num);
	return (x->ord > y->ord) - (x->ord < y->ord);
}

/* Sort the entries by number; of two lines for one item the later wins. */
static void sort_snapshot(jr_index *ix)
{
	size_t w = 0;
	qsort(ix->e, ix->count, sizeof(*ix->e), by_num_then_order);
	for (size_t i = 0; i < ix->count; i++) {
		if (i + 1 < ix->count && ix->e[i + 1].item->num == ix->e[i].item->num)
			jerry_item_free(ix->e[i].item);
		else
			ix->e[w++] = ix->e[i];
	}
	ix->count = w;
}

static int index_corrupt(jerry_error *err, const char *path, long line, const char *what)
{
	jr_error(err, JERRY_ECORRUPT, "'%s' line %ld: %s", path, line, what);
	if (err) {
		snprintf(err->path, sizeof(err->path), "%s", path);
		err->line = (int)line;
		jr_error_hint(err, "the index is only a cache: 'jerry reindex' rebuilds it from the items");
	}
	return JERRY_ECORRUPT;
}

/* Strip the trailing newline and the comma that separates array elements. */
static size_t trim_line(char *line, size_t n)
{
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
		n--;
	if (n && line[n - 1] == ',')
		n--;
	line[n] = '\0';
	return n;
}

static int read_snapshot(jr_index *ix, FILE *f, const char *path, jerry_error *err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	long lineno = 0;
	int rc = 0, seen_header = 0, seen_close = 0, sorted = 1;
	while ((got = getline(&line, &cap, f)) >= 0) {
		lineno++;
		size_t n = trim_line(line, (size_t)got);
		if (lineno == 1) {
			if (strcmp(line, "[") != 0) {
				rc = index_corrupt(err, path, lineno, "expected '['");
				break;
			}
			continue;
		}
		if (seen_close) {
			if (n) {
				rc = index_corrupt(err, path, lineno, "text after the closing ']'");
				break;
			}
			continue;
		}
		if (strcmp(line, "]") == 0) {
			seen_close = 1;
			continue;
		}
		jerry_item *fast;
		int fast_unconfirmed;
		if (seen_header && jr_summary_decode(&fast, line, n, &fast_unconfirmed) == 0) {
			/* jerry's own line, read without jansson (fast_read.c). */
			if ((rc = snapshot_add(ix, &sorted, fast, fast_unconfirmed)))
				break;
			continue;
		}
		json_error_t je;
		json_t *o = json_loadb(line, n, 0, &je);
		if (!o) {
			rc = index_corrupt(err, path, lineno, je.text);
			break;
		}
		if (!seen_header) {
			json_t *g = json_object_get(o, "generation");
			if (!json_object_get(o, "jerry_index") || !json_is_integer(g)) {
				json_decref(o);
				rc = index_corrupt(err, path, lineno, "missing the index header");
				break;
			}
			ix->generation = (uint64_t)json_integer_value(g);
			seen_header = 1;
			json_decref(o);
			continue;
		}
		jerry_item *it;
		char where[PATH_MAX + 64];
		snprintf(where, sizeof(where), "%s line %ld", path, lineno);
		rc = jr_codec_decode(&it, o, 1, where, 0, err);
		int unconfirmed = json_is_true(json_object_get(o, "unconfirmed"));
		json_decref(o);
		if (rc) {
			if (rc == JERRY_ECORRUPT && err)
				err->line = (int)lineno;
			break;
		}
		if ((rc = snapshot_add(ix, &sorted, it, unconfirmed)))
			break;
	}
	if (!rc && !sorted)
		sort_snapshot(ix);
	if (!rc && ferror(f))
		rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot read '%s'", path);
	if (!rc && (!seen_header || !seen_close))
		rc = index_corrupt(err, path, lineno, "the file is truncated");
	free(line);
	return rc;
}

/* A record other than a put, or what is wrong with one, applied to ix. */
static int apply(jr_index *ix, const jr_ixlog_iter *it, int kind, const char *path,
		 jerry_error *err)
{
	jr_ix_entry *x;
	if (kind == JERRY_ECORRUPT)
		return index_corrupt(err, path, it->lineno, it->why);
	if (kind < 0)
		return jr_error(err, JERRY_ENOMEM, "out of memory reading '%s'", path);
	if (kind == JR_IXLOG_OK && (x = jr_index_find(ix, it->rec.num)) &&
	    x->item->version == it->rec.version)
		x->unconfirmed = 0;
	/* A history record is history.c's. */
	return 0;
}

/*
 * A put's summary into the index, unconfirmed.  jerry's own spelling is
 * read without jansson (fast_read.c); a summary that is not, or a record
 * that only looked like jerry's, is parsed properly.
 */
static int apply_put(jr_index *ix, jr_ixlog_iter *it, const char *path, jerry_error *err)
{
	jerry_item *item;
	char where[PATH_MAX + 64];
	int rc;
	if (it->rec.unchecked) {
		if (jr_summary_decode(&item, it->rec.json, it->rec.len, NULL) == 0)
			return jr_ix_set(ix, item, 1);
		if ((rc = jr_ixlog_reread(it)) != JR_IXLOG_PUT)
			return apply(ix, it, rc, path, err);
	}
	snprintf(where, sizeof(where), "%s line %ld", path, it->lineno);
	rc = jr_codec_decode(&item, it->rec.value, 1, where, 0, err);
	return rc ? rc : jr_ix_set(ix, item, 1);
}

/* Apply a log of the snapshot's generation (it stands after its header). */
static int read_log(jr_index *ix, jr_ixlog_iter *it, const char *path, jerry_error *err)
{
	int kind, rc = 0;
	while (!rc && (kind = jr_ixlog_next(it)) != 0)
		rc = kind == JR_IXLOG_PUT ? apply_put(ix, it, path, err) : apply(ix, it, kind, path, err);
	return rc;
}

/*
 * The snapshot's generation, read from its first two lines.  An I/O error
 * is JERRY_ESTORAGE - the file may be fine; a missing file or an unreadable
 * header is JERRY_ECORRUPT.  err may be NULL.
 */
int jr_ix_snapshot_generation(jerry_store *st, uint64_t *gen, off_t *size, jerry_error *err)
{
	char buf[256], path[PATH_MAX + 32];
	struct stat sb;
	jr_store_path(path, sizeof(path), st, "index.json");
	int fd = jr_io_openat(st->dirfd, "index.json", O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
	if (fd < 0 && errno != ENOENT)
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot open '%s'", path);
	ssize_t n = -1;
	if (fd >= 0) {
		if (jr_io_fstat(fd, &sb) < 0 || (n = jr_io_pread(fd, buf, sizeof(buf) - 1, 0)) < 0) {
			int e = errno;
			jr_io_close(fd);
			return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot read '%s'", path);
		}
		jr_io_close(fd);
	}
	int ok = n > 2;
	if (ok) {
		buf[n] = '\0';
		char *nl = strchr(buf, '\n');
		ok = nl && jr_ix_header_generation(nl + 1, strlen(nl + 1), "jerry_index", 0, gen) == 0;
		if (ok)
			*size = sb.st_size;
	}
	if (!ok) {
		jr_error(err, JERRY_ECORRUPT, "'%s' is missing or damaged", path);
		jr_error_hint(err, "'jerry reindex' rebuilds it from the items");
		return JERRY_ECORRUPT;
	}
	return 0;
}

int jr_index_log_each(jerry_store *st, unsigned want,
		      int (*fn)(void *arg, const struct jr_ixlog_rec *rec), void *arg,
		      jerry_error *err)
{
	char path[PATH_MAX + 32], *buf = NULL;
	size_t len;
	uint64_t sgen = 0, lgen = 0;
	off_t ignored;
	jr_ixlog_iter it;
	int rc = 0, kind;
	jr_store_path(path, sizeof(path), st, "index.log");
	/* The log before the snapshot, as jr_ix_load() does. */
	int fd = jr_io_openat(st->dirfd, "index.log", O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
	if (fd < 0)
		return errno == ENOENT ? 0 : jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot open '%s'", path);
	if (jr_io_read_all(fd, &buf, &len, (size_t)1 << 31) < 0) {
		rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot read '%s'", path);
		goto out;
	}
	/* A damaged header or line is not ours to judge here: jr_ix_load() and check do that. */
	if (jr_ixlog_begin(&it, buf, len, 1, &lgen) != 0 ||
	    jr_ix_snapshot_generation(st, &sgen, &ignored, NULL) != 0 || sgen != lgen)
		goto out;
	it.want = want;
	while ((kind = jr_ixlog_next(&it)) != 0) {
		if ((kind == JERRY_ENOMEM || (kind > 0 && fn(arg, &it.rec)))) {
			rc = jr_error(err, JERRY_ENOMEM, "out of memory reading '%s'", path);
			break;
		}
	}
	jr_ixlog_end(&it);
out:
	free(buf);
	jr_io_close(fd);
	return rc;
}

/*
 * Settle unconfirmed entries from the item files.  With `keep_locked`
 * (compaction), an entry whose item lock is held stays unconfirmed.
 */
int jr_ix_settle(jr_index *ix, jerry_store *st, int keep_locked, jerry_error *err)
{
	int rc = 0, gone = 0;
	for (size_t i = 0; i < ix->count; i++) {
		jr_ix_entry *x = &ix->e[i];
		int64_t num = x->item->num;
		if (!x->unconfirmed)
			continue;
		if (keep_locked && jr_lock_held(st->lock_items, (off_t)num, 1) == 1)
			continue;
		jerry_item *it = NULL;
		jerry_error e2;
		rc = jr_store_read_item(&it, st, num, &e2);
		if (rc == JERRY_ENOTFOUND) {
			/* A create that never got its file renamed in: dropped below. */
			jerry_item_free(x->item);
			x->item = NULL;
			gone = 1;
			rc = 0;
			continue;
		}
		if (rc == JERRY_ECORRUPT) {
			/* The summary stays; jerry check reports the file. */
			rc = 0;
			continue;
		}
		if (rc) {
			jr_error_pass(err, &e2);
			break;
		}
		jerry_item *summary = jr_item_dup(it);
		jerry_item_free(it);
		if (!summary) {
			rc = jr_error(err, JERRY_ENOMEM, "out of memory settling the index");
			break;
		}
		summary->is_summary = 1;
		jerry_item_free(x->item);
		x->item = summary;
		x->unconfirmed = 0;
	}
	if (gone) {
		size_t w = 0;
		for (size_t i = 0; i < ix->count; i++)
			if (ix->e[i].item)
				ix->e[w++] = ix->e[i];
		ix->count = w;
	}
	return rc;
}

/*
 * The records of the log open on lfd when it belongs to the snapshot just
 * read.  Read whole: it is compacted before it grows large.
 */
static int load_log(jr_index *ix, int lfd, const char *path, jerry_error *err)
{
	char *buf;
	size_t len;
	uint64_t lgen = 0;
	jr_ixlog_iter it;
	int rc = 0;
	if (jr_io_read_all(lfd, &buf, &len, (size_t)1 << 31) < 0)
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot read '%s'", path);
	if (jr_ixlog_begin(&it, buf, len, 1, &lgen) == 0 && lgen == ix->generation)
		rc = read_log(ix, &it, path, err);
	jr_ixlog_end(&it);
	free(buf);
	return rc;
}

int jr_ix_load(jr_index *ix, jerry_store *st, jerry_error *err)
{
	char spath[PATH_MAX + 32], lpath[PATH_MAX + 32];
	int rc = 0;
	memset(ix, 0, sizeof(*ix));
	jr_store_path(spath, sizeof(spath), st, "index.json");
	jr_store_path(lpath, sizeof(lpath), st, "index.log");

	/* The log first: see the comment at the top of the file. */
	FILE *sf = NULL;
	int lfd = jr_io_openat(st->dirfd, "index.log", O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
	if (lfd < 0 && errno != ENOENT)
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot open '%s'", lpath);
	int sfd = jr_io_openat(st->dirfd, "index.json", O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
	if (sfd < 0) {
		int e = errno;
		if (lfd >= 0)
			jr_io_close(lfd);
		if (e == ENOENT) {
			jr_error(err, JERRY_ECORRUPT, "'%s' is missing", spath);
			if (err)
				snprintf(err->path, sizeof(err->path), "%s", spath);
			jr_error_hint(err, "'jerry reindex' rebuilds it from the items");
			return JERRY_ECORRUPT;
		}
		return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot open '%s'", spath);
	}
	if (!(sf = jr_io_fdopen_read(sfd))) {
		jr_io_close(sfd);
		if (lfd >= 0)
			jr_io_close(lfd);
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	}
	/*
	 * A 4 KiB buffer meant 1,000 read()s for a 10,000-item snapshot.
	 * (glibc ignores the size unless it is given the buffer.)
	 */
	char *sbuf = malloc(1 << 16);
	if (sbuf)
		(void)setvbuf(sf, sbuf, _IOFBF, 1 << 16);
	rc = read_snapshot(ix, sf, spath, err);
	fclose(sf);
	free(sbuf);
	if (!rc && lfd >= 0)
		rc = load_log(ix, lfd, lpath, err);
	if (lfd >= 0)
		jr_io_close(lfd);
	if (rc)
		jr_index_release(ix);
	return rc;
}

int jr_index_load(jr_index *ix, jerry_store *st, jerry_error *err)
{
	int rc = jr_ix_load(ix, st, err);
	if (!rc && (rc = jr_ix_settle(ix, st, 0, err)))
		jr_index_release(ix);
	return rc;
}
