/*
 * history.c - history/WORK-NNN.jsonl, the append-only log of every change
 * to one item.
 *
 * An entry is appended under the item's lock *before* the item file is
 * renamed into place, but not synced: the same write that appends the
 * item's put to index.log carries a copy of the entry
 * ({"id":"WORK-007","history":ENTRY}), and that log sync makes both
 * durable - one sync instead of two (doc/adr/0006-performance.md).  So an
 * acknowledged change always has its entry, in the file or in the log.
 * Before a compaction or a rebuild drops a log generation,
 * jr_history_settle_log() writes back whatever the files lack (only a
 * power cut can make them lack anything) and syncs them - only entries of
 * writes that happened in this tree: the log is local and outlives a git
 * checkout (written_here).  Readers take the file, then the current log.
 *
 * A writer that dies between the append and the rename leaves an entry
 * for a version that never became current; the next writer of that item
 * produces the same version number again.  Readers therefore keep, for
 * each version, the last entry written, and drop entries above the item's
 * current version: no entry of an acknowledged change is ever lost or
 * shown twice.
 */
#define _GNU_SOURCE
#include "store.h"
#include "codec.h"
#include "io.h"
#include "ixlog.h"
#include "../domain/domain.h"
#include "../util/array.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Fields whose change is the entry itself (version, at, by), not news. */
static int is_bookkeeping(const char *key)
{
	return !strcmp(key, "version") || !strcmp(key, "updated_at") || !strcmp(key, "updated_by");
}

/*
 * The fields that changed, each {"from", "to"}, in the item file's key
 * order; notes, which only grow, as {"added": [...]}.  The notes are left
 * out of the two encodings compared: a note would otherwise cost a write
 * in proportion to all the notes before it.
 */
static json_t *diff(const jerry_item *old, const jerry_item *cur)
{
	json_t *a = jr_codec_encode(old, JR_ENCODE_NO_NOTES);
	json_t *b = jr_codec_encode(cur, JR_ENCODE_NO_NOTES);
	json_t *changes = json_object();
	const char *key;
	json_t *bv;
	if (!a || !b || !changes)
		goto fail;
	json_object_foreach(b, key, bv) {
		json_t *av = json_object_get(a, key);
		if (!is_bookkeeping(key) && !(av && json_equal(av, bv))) {
			json_t *c = json_pack("{s:O*,s:O}", "from", av ? av : json_null(), "to", bv);
			if (!c || json_object_set_new(changes, key, c) < 0)
				goto fail;
		}
		if (!strcmp(key, "claim") && cur->nnotes > old->nnotes) {
			/* "notes" comes after "claim" in an item file. */
			json_t *added = json_array(), *c = NULL;
			int bad = !added;
			for (size_t i = old->nnotes; !bad && i < cur->nnotes; i++)
				bad = json_array_append_new(added, jr_codec_note(&cur->notes[i])) < 0;
			if (!bad) {
				c = json_object();
				bad = !c || json_object_set_new(c, "added", json_incref(added)) < 0;
			}
			json_decref(added);
			if (bad) {
				json_decref(c);
				goto fail;
			}
			if (json_object_set_new(changes, "notes", c) < 0)
				goto fail; /* c went with it */
		}
	}
	json_decref(a);
	json_decref(b);
	return changes;
fail:
	json_decref(a);
	json_decref(b);
	json_decref(changes);
	return NULL;
}

static int history_error(jerry_error *err, int e, const char *verb, const char *path)
{
	jr_error_sys(err, JERRY_ESTORAGE, e, "cannot %s '%s'", verb, path);
	if (err)
		snprintf(err->path, sizeof(err->path), "%s", path);
	return JERRY_ESTORAGE;
}

/* Make a new directory entry durable: fsync the directory that holds it. */
static int sync_dir(jerry_store *st, const char *rel, jerry_error *err)
{
	char path[PATH_MAX + 32];
	if (!st->sync)
		return 0;
	jr_store_path(path, sizeof(path), st, rel);
	int fd = jr_io_openat(st->dirfd, rel, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return history_error(err, errno, "open", path);
	int rc = jr_io_fsync(fd) < 0 ? history_error(err, errno, "sync", path) : 0;
	jr_io_close(fd);
	return rc;
}

/* How open_history opens a history file. */
enum { HISTORY_READ, HISTORY_APPEND, HISTORY_CREATE };

/*
 * Open history/WORK-NNN.jsonl: for reading, for appending if it is there
 * (JERRY_ENOTFOUND if not), or for appending, making the file and the
 * directory when missing (HISTORY_CREATE).  A new name is not synced here:
 * until the log generation that holds its entries is dropped, index.log is
 * the durable copy (see the top of the file).
 */
static int open_history(int *out, jerry_store *st, int64_t num, int how, jerry_error *err)
{
	char id[24], rel[64], path[PATH_MAX + 64];
	jerry_id_format(id, sizeof(id), num);
	snprintf(rel, sizeof(rel), "history/%s.jsonl", id);
	jr_store_path(path, sizeof(path), st, rel);
	/* read: to find a torn tail; O_NONBLOCK: a FIFO under its name must not hang us */
	int flags = O_RDWR | O_APPEND | O_NOFOLLOW | O_NONBLOCK;
	if (how != HISTORY_CREATE) {
		int fd = jr_io_openat(st->dirfd, rel, how == HISTORY_READ ? O_RDONLY | O_NOFOLLOW | O_NONBLOCK : flags, 0);
		if (fd < 0)
			return errno == ENOENT ? JERRY_ENOTFOUND : history_error(err, errno, "open", path);
		*out = fd;
		return 0;
	}
	int fd = jr_io_openat(st->dirfd, rel, flags | O_CREAT, 0644);
	if (fd < 0 && errno == ENOENT) {
		/* Stores made before history existed get the directory now. */
		char dir[PATH_MAX + 16];
		jr_store_path(dir, sizeof(dir), st, "history");
		if (jr_io_mkdir(dir, 0755) < 0 && errno != EEXIST)
			return history_error(err, errno, "create", dir);
		fd = jr_io_openat(st->dirfd, rel, flags | O_CREAT, 0644);
	}
	if (fd < 0)
		return history_error(err, errno, "open", path);
	*out = fd;
	return 0;
}

char *jr_history_entry(const jerry_item *old, const jerry_item *cur, size_t *out_len)
{
	return jr_history_entry_op(old, cur, old ? "update" : "create", out_len);
}

char *jr_history_entry_op(const jerry_item *old, const jerry_item *cur, const char *op,
			  size_t *out_len)
{
	char at[40];
	json_t *changes = old ? diff(old, cur) : jr_codec_encode(cur, 1);
	if (!changes)
		return NULL;
	jerry_time_format(at, sizeof(at), cur->updated_at);
	json_t *entry = json_pack("{s:I,s:s,s:s*,s:s,s:o}", "version", (json_int_t)cur->version,
				  "at", at, "by", cur->updated_by, "op", op,
				  "changes", changes);
	char *line = entry ? json_dumps(entry, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(entry);
	if (line)
		*out_len = strlen(line);
	return line;
}

int jr_history_append(jerry_store *st, int64_t num, const char *entry, size_t len,
		      jerry_error *err)
{
	char *line = malloc(len + 1);
	if (!line)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	memcpy(line, entry, len);
	line[len++] = '\n';
	int fd = -1, rc = open_history(&fd, st, num, HISTORY_CREATE, err);
	if (rc) {
		free(line);
		return rc;
	}
	off_t end = 0;
	if (jr_file_end_whole(fd, &end) < 0 || jr_io_write_all(fd, line, len) < 0) {
		int e = errno;
		char id[24];
		/* Cut a partial line off so the log stays whole. */
		(void)jr_io_ftruncate(fd, end);
		jerry_id_format(id, sizeof(id), num);
		jr_error_sys(err, JERRY_ESTORAGE, e, "cannot append to the history of '%s'", id);
		jr_error_hint(err, e == ENOSPC ? "free some disk space and retry; nothing was changed"
					       : "nothing was changed");
		rc = JERRY_ESTORAGE;
	}
	jr_io_close(fd);
	free(line);
	return rc;
}

/* ---- settling a log generation's entries into the files ------------------ */

struct pending {
	int64_t num;
	size_t seq;             /* position in the log, to keep the order */
	const char *entry;
	size_t len;
	uint64_t uid;           /* of the put written with it; 0 if unknown */
};

struct collect {
	struct pending *p;
	size_t n, cap;
	char *arena;            /* copies of the lines, freed together */
	size_t used, size;
	size_t awaiting;        /* 1 + the entry whose put comes next; 0 if none */
};

/* The records of index.log history reads; the others are the index's. */
#define HISTORY_ONLY JR_IXLOG_BIT(JR_IXLOG_HISTORY)
/* Settling also takes each entry's put, for the uid of the item it was written for. */
#define HISTORY_AND_PUTS (HISTORY_ONLY | JR_IXLOG_BIT(JR_IXLOG_PUT))

/*
 * The item a put's summary is for, and its uid: in jerry's spelling the
 * summary starts {"id":"WORK-007","uid":"123",...}; a record read otherwise
 * has it parsed.  0 when it names neither.
 */
static uint64_t put_uid(const jr_ixlog_rec *rec, int64_t *num)
{
	static const char id_head[] = "{\"id\":\"", uid_mid[] = "\",\"uid\":\"";
	const char *id = NULL, *uid = NULL;
	size_t idlen = 0, uidlen = 0;
	char buf[32];
	uint64_t v = 0;
	if (rec->value) {
		json_t *i = json_object_get(rec->value, "id"), *u = json_object_get(rec->value, "uid");
		if (json_is_string(i) && json_is_string(u)) {
			id = json_string_value(i), idlen = json_string_length(i);
			uid = json_string_value(u), uidlen = json_string_length(u);
		}
	} else if (rec->json && rec->len > sizeof(id_head) &&
		   !memcmp(rec->json, id_head, sizeof(id_head) - 1)) {
		const char *end = rec->json + rec->len, *q;
		id = rec->json + sizeof(id_head) - 1;
		if ((q = memchr(id, '"', (size_t)(end - id))) &&
		    (size_t)(end - q) > sizeof(uid_mid) && !memcmp(q, uid_mid, sizeof(uid_mid) - 1)) {
			idlen = (size_t)(q - id);
			uid = q + sizeof(uid_mid) - 1;
			const char *uq = memchr(uid, '"', (size_t)(end - uid));
			uidlen = uq ? (size_t)(uq - uid) : 0;
		}
	}
	if (!id || !idlen || idlen >= sizeof(buf) || !uidlen || uidlen > 20)
		return 0;
	memcpy(buf, id, idlen);
	buf[idlen] = '\0';
	if (jerry_id_parse(num, buf, NULL) != 0)
		return 0;
	for (size_t i = 0; i < uidlen; i++) {
		if (uid[i] < '0' || uid[i] > '9' || v > (UINT64_MAX - 9) / 10)
			return 0;
		v = v * 10 + (uint64_t)(uid[i] - '0');
	}
	return v;
}

/* A history record of index.log into c; a put gives the entry before it its uid. */
static int collect_rec(void *arg, const jr_ixlog_rec *rec)
{
	struct collect *c = arg;
	int64_t num = rec->num;
	const char *entry = rec->json;
	size_t elen = rec->len;
	if (rec->kind == JR_IXLOG_PUT && c->awaiting) {
		/* index_write.c writes an entry and its item's put in one write. */
		struct pending *p = &c->p[c->awaiting - 1];
		int64_t of = -1;
		uint64_t uid = put_uid(rec, &of);
		if (of == p->num)
			p->uid = uid;
	}
	c->awaiting = 0;
	if (rec->kind != JR_IXLOG_HISTORY || num < 1)
		return 0;
	if (JR_ARRAY_GROW(c->p, c->n + 1, c->cap))
		return -1;
	if (c->used + elen > c->size) {
		/* Entries point into blocks that are never moved. */
		size_t size = elen > 1 << 20 ? elen : 1 << 20;
		char *block = malloc(size + sizeof(char *));
		if (!block)
			return -1;
		memcpy(block, &c->arena, sizeof(char *));
		c->arena = block;
		c->used = sizeof(char *);
		c->size = size + sizeof(char *);
	}
	char *copy = c->arena + c->used;
	memcpy(copy, entry, elen);
	c->used += elen;
	c->p[c->n] = (struct pending){num, c->n, copy, elen, 0};
	c->n++;
	c->awaiting = c->n;
	return 0;
}

static void collect_free(struct collect *c)
{
	while (c->arena) {
		char *next;
		memcpy(&next, c->arena, sizeof(char *));
		free(c->arena);
		c->arena = next;
	}
	free(c->p);
}

static int by_num_then_seq(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Whether `entry` is a whole line of buf (which starts at file offset `at`). */
static int has_line(const char *buf, size_t n, off_t at, const char *entry, size_t len)
{
	const char *p = buf, *end = buf + n;
	while (p < end && (p = memmem(p, (size_t)(end - p), entry, len))) {
		int starts = (p == buf && at == 0) || (p > buf && p[-1] == '\n');
		if (starts && p + len < end && p[len] == '\n')
			return 1;
		p++;
	}
	return 0;
}

/* An entry line starts {"version":N, (jr_history_entry); -1 if not. */
static long long line_version(const char *line, size_t len)
{
	static const char head[] = "{\"version\":";
	if (len <= sizeof(head) || memcmp(line, head, sizeof(head) - 1) != 0)
		return -1;
	long long v = 0;
	for (size_t i = sizeof(head) - 1; i < len && line[i] >= '0' && line[i] <= '9'; i++) {
		if (v > (LLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (line[i] - '0');
	}
	return v;
}

static long long entry_version(const struct pending *p)
{
	return line_version(p->entry, p->len);
}

/*
 * Which of one item's log entries p[0..n), missing from its history file
 * text[0..len), were written in this tree and may go back into it (ok[i]).
 * index.log is local and outlives a `git checkout`, a merge, a reset: its
 * entries may be of writes another branch holds.  So an entry goes back
 * only when
 *   - the item file is there with the uid of the entry's put, at the
 *     entry's version or above: the change became current here (an entry
 *     above the item's version is of a write that died before its rename,
 *     or of a version git took away);
 *   - no later entry of the item in the log has a version at or below it:
 *     the item did not go back afterwards (a dead writer's version made
 *     again, or another branch checked out and written);
 *   - the file holds no entry of that version other than this log's: the
 *     version the file has is another history's (a branch where the item
 *     went on differently).
 * A power cut that kept an entry from the file meets all three.
 */
static int written_here(unsigned char *ok, jerry_store *st, const struct pending *p, size_t n,
			const char *text, size_t len, jerry_error *err)
{
	jerry_item *item = NULL;
	jerry_error e2;
	int rc = jr_store_read_item(&item, st, p[0].num, &e2);
	if (rc == JERRY_ENOTFOUND || rc == JERRY_ECORRUPT) {
		memset(ok, 0, n); /* nothing of it stands here */
		return 0;
	}
	if (rc) {
		jr_error_pass(err, &e2);
		return rc;
	}
	long long later = LLONG_MAX;
	for (size_t i = n; i-- > 0;) {
		long long v = entry_version(&p[i]);
		ok[i] = ok[i] && v >= 1 && v < later && v <= item->version && p[i].uid == item->uid;
		if (v >= 0 && v < later)
			later = v;
	}
	jerry_item_free(item);
	for (const char *line = text, *nl; line < text + len; line = nl + 1) {
		if (!(nl = memchr(line, '\n', (size_t)(text + len - line))))
			break; /* a torn last line is no entry */
		size_t ll = (size_t)(nl - line);
		long long v = line_version(line, ll);
		int ours = 0, theirs = 0;
		for (size_t i = 0; v >= 1 && i < n && !ours; i++)
			ours = p[i].len == ll && !memcmp(p[i].entry, line, ll);
		for (size_t i = 0; v >= 1 && !ours && i < n; i++)
			theirs |= ok[i] && entry_version(&p[i]) == v;
		if (theirs) {
			/* A line torn by a crash and ended by a write-back is none either. */
			json_t *o = json_loadb(line, ll, 0, NULL);
			theirs = json_is_object(o);
			json_decref(o);
		}
		for (size_t i = 0; theirs && i < n; i++)
			if (entry_version(&p[i]) == v)
				ok[i] = 0;
	}
	return 0;
}

/*
 * One item's entries of this generation: append, in log order, those
 * missing from the file (lost to a crash before they were written back)
 * that were written in this tree (written_here).  Then sync the file,
 * unless a syncfs() follows.
 */
static int settle_item(jerry_store *st, const struct pending *p, size_t n, int sync_each,
		       jerry_error *err)
{
	struct stat sb;
	int fd = -1, e, rc = open_history(&fd, st, p[0].num, HISTORY_APPEND, err);
	char id[24], *tail = NULL, *all = NULL, *add = NULL;
	unsigned char *missing = NULL;
	size_t nmissing = 0;
	if (rc && rc != JERRY_ENOTFOUND)
		return rc;
	/* A file that is not there is made only if an entry goes into it. */
	memset(&sb, 0, sizeof(sb));
	rc = 0;
	size_t want = 65536;
	for (size_t i = 0; i < n; i++)
		want += 2 * (p[i].len + 1);
	if (fd >= 0 && jr_io_fstat(fd, &sb) < 0)
		goto sys;
	size_t got = (size_t)sb.st_size < want ? (size_t)sb.st_size : want;
	off_t at = sb.st_size - (off_t)got;
	if (!(tail = malloc(got ? got : 1)) || !(missing = calloc(n, 1))) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	ssize_t r = got ? jr_io_pread(fd, tail, got, at) : 0;
	if (r < 0)
		goto sys;
	got = (size_t)r;
	/* Normally every entry is in the tail; only when one is not is the whole file read. */
	for (size_t i = 0; i < n; i++)
		nmissing += missing[i] = !has_line(tail, got, at, p[i].entry, p[i].len);
	if (nmissing && at > 0) {
		size_t alen = 0;
		if (jr_io_read_all(fd, &all, &alen, 256u << 20) < 0)
			goto sys;
		free(tail);
		tail = all;
		all = NULL;
		got = alen;
		at = 0;
		nmissing = 0;
		for (size_t i = 0; i < n; i++)
			nmissing += missing[i] = !has_line(tail, got, at, p[i].entry, p[i].len);
	}
	if (nmissing && (rc = written_here(missing, st, p, n, tail, got, err)))
		goto out;
	nmissing = 0;
	for (size_t i = 0; i < n; i++)
		nmissing += missing[i];
	if (nmissing) {
		/*
		 * No trimming here: a writer of this item may be appending right
		 * now (we hold the index lock, not the item lock).  A torn tail
		 * left by a crash is ended with a newline instead; readers skip
		 * the broken line.
		 */
		size_t len = 1;
		for (size_t i = 0; i < n; i++)
			len += missing[i] ? p[i].len + 1 : 0;
		if (!(add = malloc(len))) {
			rc = jr_error(err, JERRY_ENOMEM, "out of memory");
			goto out;
		}
		size_t k = 0;
		if (got && tail[got - 1] != '\n')
			add[k++] = '\n';
		if (fd < 0 && (rc = open_history(&fd, st, p[0].num, HISTORY_CREATE, err)))
			goto out;
		for (size_t i = 0; i < n; i++) {
			if (!missing[i])
				continue;
			memcpy(add + k, p[i].entry, p[i].len);
			k += p[i].len;
			add[k++] = '\n';
		}
		if (jr_io_write_all(fd, add, k) < 0)
			goto sys;
	}
	if (fd >= 0 && (sync_each || nmissing) && st->sync && jr_io_fdatasync(fd) < 0)
		goto sys;
	goto out;
sys:
	e = errno;
	jerry_id_format(id, sizeof(id), p[0].num);
	rc = jr_error_sys(err, JERRY_ESTORAGE, e, "cannot write back the history of '%s'", id);
out:
	free(missing);
	free(tail);
	free(all);
	free(add);
	if (fd >= 0)
		jr_io_close(fd);
	return rc;
}

/* What jr_history_log_lacking looks for: the new text of each history file replaced. */
struct lacking {
	const char *(*text_of)(void *arg, int64_t num, size_t *len);
	void *arg;
	int lacks;
};

static int lacking_rec(void *arg, const jr_ixlog_rec *rec)
{
	struct lacking *l = arg;
	size_t len = 0;
	const char *text;
	if (l->lacks || rec->kind != JR_IXLOG_HISTORY || rec->num < 1 ||
	    !(text = l->text_of(l->arg, rec->num, &len)))
		return 0;
	/* An entry not in jerry's own spelling cannot be looked for: taken as lacking. */
	l->lacks = !rec->json || !has_line(text, len, 0, rec->json, rec->len);
	return 0;
}

int jr_history_log_lacking(int *lacks, jerry_store *st,
			   const char *(*text_of)(void *arg, int64_t num, size_t *len), void *arg,
			   jerry_error *err)
{
	struct lacking l = { text_of, arg, 0 };
	int rc = jr_index_log_each(st, HISTORY_ONLY, lacking_rec, &l, err);
	*lacks = l.lacks;
	return rc;
}

int jr_history_settle_log(jerry_store *st, jerry_error *err)
{
	struct collect c;
	memset(&c, 0, sizeof(c));
	int rc = jr_index_log_each(st, HISTORY_AND_PUTS, collect_rec, &c, err);
	if (rc || c.n == 0) {
		collect_free(&c);
		return rc;
	}
	qsort(c.p, c.n, sizeof(*c.p), by_num_then_seq);
	size_t items = 0;
	for (size_t i = 0; i < c.n; i++)
		items += i == 0 || c.p[i].num != c.p[i - 1].num;
	/* Past a few files one syncfs() is cheaper than a sync each. */
	int sync_each = items <= 16;
	for (size_t i = 0; i < c.n && !rc;) {
		size_t j = i + 1;
		while (j < c.n && c.p[j].num == c.p[i].num)
			j++;
		rc = settle_item(st, c.p + i, j - i, sync_each, err);
		i = j;
	}
	if (!rc && st->sync) {
		if (sync_each)
			rc = sync_dir(st, "history", err); /* names of new files */
		else if (jr_io_syncfs(st->dirfd) < 0)
			rc = history_error(err, errno, "sync the file system of", st->dir);
	}
	collect_free(&c);
	return rc;
}

/* v in words (see jerry_field_change); NULL for no value, or when out of memory (*oom set). */
static char *words(json_t *v, int *oom)
{
	char *s = NULL;
	json_t *by = json_object_get(v, "by"), *until = json_object_get(v, "expires_at");
	if (!v)
		return NULL;
	if (json_is_string(by) && json_is_string(until)) {
		size_t n = strlen(json_string_value(by)) + strlen(json_string_value(until)) + 8;
		s = malloc(n);
		if (s)
			snprintf(s, n, "%s until %s", json_string_value(by), json_string_value(until));
	} else {
		s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	}
	if (!s)
		*oom = 1;
	return s;
}

/* The changes object c field by field into e (jerry_field_change); 0, or -1 on ENOMEM. */
static int take_fields(jerry_history_entry *e, json_t *c)
{
	const char *key;
	json_t *val;
	int oom = 0, create = strcmp(e->op, "create") == 0;
	if (!json_is_object(c) || json_object_size(c) == 0)
		return 0;
	e->fields = calloc(json_object_size(c), sizeof(*e->fields));
	if (!e->fields)
		return -1;
	json_object_foreach(c, key, val) {
		jerry_field_change *f = &e->fields[e->nfields++];
		json_t *added = create ? NULL : json_object_get(val, "added");
		f->field = strdup(key);
		oom |= !f->field;
		if (create) {
			f->to = words(val, &oom);
		} else if (added) {
			f->nadded = json_array_size(added);
			f->to = words(json_object_get(json_array_get(added, 0), "text"), &oom);
		} else {
			f->from = words(json_object_get(val, "from"), &oom);
			f->to = words(json_object_get(val, "to"), &oom);
		}
	}
	return oom ? -1 : 0;
}

/*
 * The versions whose entries all stand: a merge kept two clones' entries of
 * one version and wrote a line {"both_sides":V} (mergefile.c).
 */
struct both {
	long long *v;
	size_t n, cap;
};

static int is_both(const struct both *b, long long version)
{
	for (size_t i = 0; b && i < b->n; i++)
		if (b->v[i] == version)
			return 1;
	return 0;
}

/* A {"both_sides":V} line into b; 0, or -1 on ENOMEM. */
static int take_both(struct both *b, const char *line, size_t len)
{
	static const char head[] = "{\"both_sides\":";
	long long v = 0;
	size_t i = sizeof(head) - 1;
	if (len <= i || memcmp(line, head, i) != 0)
		return 0;
	for (; i < len && line[i] >= '0' && line[i] <= '9' && v < LLONG_MAX / 10 - 9; i++)
		v = v * 10 + (line[i] - '0');
	if (i + 1 != len || line[i] != '}' || v < 1 || is_both(b, v))
		return 0;
	if (JR_ARRAY_GROW(b->v, b->n + 1, b->cap))
		return -1;
	b->v[b->n++] = v;
	return 0;
}

/*
 * The entries read, each with its place in the reading (the file's, then
 * the log's): memory follows the entries there are, never the version
 * number, which may be huge.
 */
struct taken {
	jerry_history_entry e;
	size_t seq;
};

struct entries {
	struct taken *t;
	size_t n, cap;
};

static void entries_release(struct entries *v)
{
	for (size_t i = 0; i < v->n; i++)
		jr_history_entry_clear(&v->t[i].e);
	free(v->t);
}

/* One entry line into v, unless it is no entry of a version 1..max_version; 0, or -1 on ENOMEM. */
static int take(struct entries *v, int64_t max_version, const char *line, size_t len)
{
	json_t *o = json_loadb(line, len, 0, NULL);
	json_t *ver = json_object_get(o, "version");
	json_t *at = json_object_get(o, "at");
	if (!json_is_integer(ver) || json_integer_value(ver) < 1 ||
	    json_integer_value(ver) > max_version) {
		json_decref(o);
		return 0; /* torn, foreign, or a version that never became current */
	}
	if (JR_ARRAY_GROW(v->t, v->n + 1, v->cap)) {
		json_decref(o);
		return -1;
	}
	struct taken *t = &v->t[v->n];
	memset(t, 0, sizeof(*t));
	t->seq = v->n++;
	jerry_history_entry *e = &t->e;
	e->version = json_integer_value(ver);
	if (json_is_string(at))
		jerry_time_parse(&e->at_ms, json_string_value(at));
	json_t *by = json_object_get(o, "by"), *op = json_object_get(o, "op");
	e->by = json_is_string(by) ? strdup(json_string_value(by)) : NULL;
	e->op = strdup(json_is_string(op) ? json_string_value(op) : "update");
	e->changes = json_dumps(json_object_get(o, "changes"), JSON_COMPACT | JSON_PRESERVE_ORDER |
							      JSON_ENCODE_ANY);
	int rc = e->op && e->changes ? take_fields(e, json_object_get(o, "changes")) : -1;
	json_decref(o);
	return rc;
}

static int by_version_then_seq(const void *a, const void *b)
{
	const struct taken *x = a, *y = b;
	if (x->e.version != y->e.version)
		return x->e.version < y->e.version ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

char *jr_history_entry_json(const jerry_history_entry *e, const char *id, int flags)
{
	char at[40];
	jerry_time_format(at, sizeof(at), e->at_ms);
	/* changes is the store's own JSON text: unreadable, it is left out. */
	json_t *changes = e->changes ? json_loads(e->changes, 0, NULL) : NULL;
	json_t *o = json_pack("{s:s*,s:I,s:s,s:s*,s:s,s:o*}", "id", id, "version",
			      (json_int_t)e->version, "at", at, "by", e->by, "op", e->op, "changes",
			      changes);
	char *text = o ? json_dumps(o, (flags & JERRY_JSON_COMPACT ? JSON_COMPACT : JSON_INDENT(2)) |
					       JSON_PRESERVE_ORDER)
		       : NULL;
	json_decref(o);
	return text;
}

struct from_log {
	int64_t num;
	struct collect c;
};

static int log_rec(void *arg, const jr_ixlog_rec *rec)
{
	struct from_log *f = arg;
	return rec->num == f->num ? collect_rec(&f->c, rec) : 0;
}

/*
 * item's entries: its history file, then the log's records for it (p, np,
 * in log order), the last one written for a version winning - except where
 * a merge kept two clones' entries of a version (a {"both_sides":V} line):
 * those all stand, in the file's order.
 */
static int load_entries(jerry_history_entry **out, size_t *out_n, jerry_store *st,
			const jerry_item *item, const struct pending *p, size_t np, jerry_error *err)
{
	int fd = -1, rc;
	char *buf = NULL;
	size_t len = 0;
	*out = NULL;
	*out_n = 0;
	rc = open_history(&fd, st, item->num, HISTORY_READ, err);
	if (rc && rc != JERRY_ENOTFOUND)
		return rc;
	if (!rc && jr_io_read_all(fd, &buf, &len, 256u << 20) < 0) {
		int e = errno;
		jr_io_close(fd);
		return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot read the history of '%s'", item->id);
	}
	if (!rc)
		jr_io_close(fd);
	struct both b = { NULL, 0, 0 };
	struct entries v = { NULL, 0, 0 };
	jerry_history_entry *all = NULL;
	rc = 0;
	for (char *line = buf; !rc && line && line < buf + len;) {
		char *nl = memchr(line, '\n', (size_t)(buf + len - line));
		if (!nl)
			break;
		rc = take_both(&b, line, (size_t)(nl - line));
		line = nl + 1;
	}
	for (char *line = buf; !rc && line && line < buf + len;) {
		char *nl = memchr(line, '\n', (size_t)(buf + len - line));
		if (!nl)
			break; /* a torn last line: its change was never acknowledged */
		rc = take(&v, item->version, line, (size_t)(nl - line));
		line = nl + 1;
	}
	/* The log's entries are this copy's own: a merged version has them in the file. */
	for (size_t i = 0; !rc && i < np; i++)
		if (!is_both(&b, entry_version(&p[i])))
			rc = take(&v, item->version, p[i].entry, p[i].len);
	free(buf);
	if (!rc && !(all = calloc(v.n ? v.n : 1, sizeof(*all))))
		rc = -1;
	if (rc) {
		free(b.v);
		entries_release(&v);
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	}
	/* Each version's last entry; every entry of a version whose entries all stand. */
	if (v.n)
		qsort(v.t, v.n, sizeof(*v.t), by_version_then_seq);
	size_t k = 0;
	for (size_t i = 0; i < v.n; i++) {
		int last = i + 1 == v.n || v.t[i + 1].e.version != v.t[i].e.version;
		if (last || is_both(&b, v.t[i].e.version))
			all[k++] = v.t[i].e;
		else
			jr_history_entry_clear(&v.t[i].e);
	}
	free(b.v);
	free(v.t);
	*out = all;
	*out_n = k;
	return 0;
}

int jr_history_load(jerry_history_entry **out, size_t *out_n, jerry_store *st,
		    const jerry_item *item, jerry_error *err)
{
	struct from_log f;
	int rc;
	*out = NULL;
	*out_n = 0;
	memset(&f, 0, sizeof(f));
	f.num = item->num;
	/*
	 * The log first: a compaction between the two reads has written the
	 * log's entries into the file before it starts a new log.
	 */
	if ((rc = jr_index_log_each(st, HISTORY_ONLY, log_rec, &f, err)) == 0)
		rc = load_entries(out, out_n, st, item, f.c.p, f.c.n, err);
	collect_free(&f.c);
	return rc;
}

/* ---- several items at once (jerry log) ------------------------------------- */

int jr_history_each(jerry_store *st, jerry_item *const *items, size_t n, jr_history_fn fn,
		    void *arg, jerry_error *err)
{
	struct collect log;
	int rc;
	memset(&log, 0, sizeof(log));
	/* The log first, then the files (see jr_history_load). */
	if ((rc = jr_index_log_each(st, HISTORY_ONLY, collect_rec, &log, err)))
		goto out;
	if (log.n) /* log.p is NULL when the log holds no history record */
		qsort(log.p, log.n, sizeof(*log.p), by_num_then_seq);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const jerry_item *item = items[i];
		struct pending key = {item->num, 0, NULL, 0, 0};
		const struct pending *p = NULL;
		size_t np = 0;
		/* The log's records for item: a run in the sorted collection. */
		size_t lo = 0, hi = log.n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (by_num_then_seq(&log.p[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		p = log.n ? log.p + lo : NULL;
		while (lo + np < log.n && log.p[lo + np].num == item->num)
			np++;
		jerry_history_entry *h = NULL;
		size_t nh = 0;
		if ((rc = load_entries(&h, &nh, st, item, p, np, err)))
			break;
		rc = fn(arg, i, h, nh, err);
		jerry_history_free(h, nh);
	}
	if (rc > 0)
		rc = 0; /* fn had what it wanted */
out:
	collect_free(&log);
	return rc;
}
