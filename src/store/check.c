/*
 * check.c - jerry check [--repair] and jerry reindex.
 *
 * The check reads every item file (the truth) and compares the rest of the
 * store with it.  Repair only ever rewrites derived state - the index, the
 * sequence - and removes temp files whose writer is gone; it never touches
 * an item file, so it cannot lose data.  Repairs run holding every item
 * lock, so they cannot race a writer.  A dead writer's temp file is no
 * problem but a notice: nothing reads it, and the next write removes it.
 */
#define _GNU_SOURCE
#include "store.h"
#include "io.h"
#include "lock.h"
#include "../domain/domain.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void jerry_report_free(jerry_report *r)
{
	if (!r)
		return;
	free(r->problems);
	free(r->notices);
	free(r);
}

__attribute__((format(printf, 6, 0)))
static int add(jerry_problem **arr, size_t *n, const char *kind, const char *path, int repaired,
	       const char *fmt, va_list ap)
{
	jerry_problem *grown = realloc(*arr, (*n + 1) * sizeof(*grown));
	if (!grown)
		return JERRY_ENOMEM;
	*arr = grown;
	jerry_problem *p = &grown[(*n)++];
	memset(p, 0, sizeof(*p));
	snprintf(p->kind, sizeof(p->kind), "%s", kind);
	snprintf(p->path, sizeof(p->path), "%s", path ? path : "");
	vsnprintf(p->message, sizeof(p->message), fmt, ap);
	p->repaired = repaired;
	return 0;
}

__attribute__((format(printf, 5, 6)))
static int problem(jerry_report *r, const char *kind, const char *path, int repaired,
		   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = add(&r->problems, &r->nproblems, kind, path, repaired, fmt, ap);
	va_end(ap);
	return rc;
}

__attribute__((format(printf, 5, 6)))
static int notice(jerry_report *r, const char *kind, const char *path, int repaired,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = add(&r->notices, &r->nnotices, kind, path, repaired, fmt, ap);
	va_end(ap);
	return rc;
}

/* Fields the index carries; a difference is drift. */
static int summary_differs(const jerry_item *a, const jerry_item *b)
{
	if (a->version != b->version || a->uid != b->uid || a->status != b->status ||
	    a->type != b->type || a->priority != b->priority || a->parent != b->parent ||
	    a->nlabels != b->nlabels || a->ndepends != b->ndepends ||
	    a->updated_at != b->updated_at || a->created_at != b->created_at)
		return 1;
	if (strcmp(a->title ? a->title : "", b->title ? b->title : "") ||
	    strcmp(a->assignee ? a->assignee : "", b->assignee ? b->assignee : "") ||
	    strcmp(a->claim.by ? a->claim.by : "", b->claim.by ? b->claim.by : "") ||
	    a->claim.expires_ms != b->claim.expires_ms)
		return 1;
	for (size_t i = 0; i < a->nlabels; i++)
		if (strcmp(a->labels[i], b->labels[i]))
			return 1;
	for (size_t i = 0; i < a->ndepends; i++)
		if (a->depends_on[i] != b->depends_on[i])
			return 1;
	return 0;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

/*
 * Why a file in items/ is not an item file.  A name that looks like one
 * says what is wrong with it, without ever reading the number into an
 * integer that could overflow.
 */
static void stray_reason(char *buf, size_t size, const char *name)
{
	size_t n = strlen(name), digits = n > 10 ? strspn(name + 5, "0123456789") : 0;
	if (strncmp(name, "WORK-", 5) != 0 || digits == 0 || digits != n - 10 ||
	    strcmp(name + n - 5, ".json") != 0) {
		snprintf(buf, size, "not an item file (items are named WORK-NNN.json)");
		return;
	}
	const char *sig = name + 5 + strspn(name + 5, "0");
	size_t nsig = digits - (size_t)(sig - (name + 5));
	if (nsig > 9) {
		snprintf(buf, size, "item number past the largest jerry can hold (%lld)", JR_ID_MAX);
		return;
	}
	int64_t num = 0;
	for (size_t i = 0; i < nsig; i++)
		num = num * 10 + (sig[i] - '0');
	if (num == 0) {
		snprintf(buf, size, "not an item file: item numbers start at 1");
		return;
	}
	char canon[32];
	jerry_id_format(canon, sizeof(canon), num);
	snprintf(buf, size, "not an item file: item %s is named %s.json", canon, canon);
}

/*
 * Temp files of dead writers (jr_tmp_dead): in tmp/ ("NAME.tmp-PID-RAND"),
 * and, from a jerry before tmp/, ".NAME.tmp-PID-RAND" in items/ and the
 * data directory.  Notices, removed with repair.  Other files in items/
 * are stray.
 */
static int scan_temps(jerry_report *r, jerry_store *st, int dfd, const char *rel, int repair,
		      jerry_error *err)
{
	int legacy = strcmp(rel, "tmp") != 0;
	int fd = legacy ? jr_io_dup(dfd)
			: jr_io_openat(st->dirfd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	if (fd < 0 && !legacy && errno == ENOENT)
		return 0; /* a store from before tmp/: its first write makes it */
	DIR *d = fd < 0 ? NULL : jr_io_fdopendir(fd);
	if (!d) {
		int e = errno;
		if (fd >= 0)
			jr_io_close(fd);
		return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot read '%s/%s'", st->dir,
				    *rel ? rel : ".");
	}
	rewinddir(d);
	struct dirent *de;
	int rc = 0;
	while (!rc) {
		if (jr_io_readdir(d, &de) < 0) {
			rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot read '%s/%s'", st->dir,
					  *rel ? rel : ".");
			break;
		}
		if (!de)
			break;
		const char *n = de->d_name;
		char path[PATH_MAX + 300];
		snprintf(path, sizeof(path), "%s/%s%s%s", st->dir, rel, *rel ? "/" : "", n);
		if ((n[0] == '.') == legacy && strstr(n, ".tmp-")) {
			int removed = 0;
			if (jr_tmp_dead(dirfd(d), n, repair, &removed))
				rc = notice(r, "temp_file", path, removed,
					    legacy ? "temp file of a writer that died (an older jerry "
						     "left it here); 'jerry check --repair' removes it"
						   : "temp file of a writer that died; the next write "
						     "removes it");
			continue;
		}
		if (dfd == st->itemsfd && n[0] != '.' && !jr_store_item_file_num(n)) {
			char why[128];
			stray_reason(why, sizeof(why), n);
			rc = problem(r, "stray_file", path, 0, "%s", why);
		}
	}
	jr_io_closedir(d);
	return rc == JERRY_ENOMEM ? jr_error(err, rc, "out of memory") : rc;
}

static int check_locks(jerry_report *r, jerry_store *st)
{
	static const char *const names[] = {"items.lock", "sequence.lock", "index.lock", "deps.lock",
					    "turns.lock"};
	for (int i = 0; i < 5; i++) {
		char rel[64], path[PATH_MAX + 64];
		struct stat sb;
		snprintf(rel, sizeof(rel), "locks/%s", names[i]);
		jr_store_path(path, sizeof(path), st, rel);
		if (jr_io_fstatat(st->dirfd, rel, &sb, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(sb.st_mode)) {
			int rc = problem(r, "bad_lock", path, 0,
					 "a lock file must be a regular file; remove it and jerry "
					 "recreates it");
			if (rc)
				return rc;
		}
	}
	return 0;
}

int jerry_check(jerry_report **out, jerry_store *st, int repair, jerry_error *err)
{
	jerry_report *r = calloc(1, sizeof(*r));
	int64_t *nums = NULL;
	size_t n = 0;
	jerry_item **items = NULL;
	uint64_t *uids = NULL;
	jr_index ix;
	int rc, locked = 0, index_bad = 0, ro_lock = -1, durable = 0;
	char path[PATH_MAX + 64];
	memset(&ix, 0, sizeof(ix));
	*out = NULL;
	if (!r)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	if ((rc = check_locks(r, st)))
		goto out;
	/*
	 * Temp files first: a dead writer's is proven dead by its own flock,
	 * not by a store lock, and the first write (jr_store_writable below,
	 * with repair) would sweep tmp/ before we could name what it removed.
	 */
	if ((rc = scan_temps(r, st, -1, "tmp", repair, err)) ||
	    (rc = scan_temps(r, st, st->itemsfd, "items", repair, err)) ||
	    (rc = scan_temps(r, st, st->dirfd, "", repair, err)))
		goto out;
	jr_store_path(path, sizeof(path), st, "locks/items.lock");
	if (repair) {
		if ((rc = jr_store_writable(st, err)))
			goto out;
		if ((rc = jr_lock_take(st->lock_items, 1, 0, &st->wait, "every item", path, err)))
			goto out;
		locked = 1;
	} else {
		/*
		 * A shared lock over every item holds writers off while we
		 * compare, so a write in flight is not mistaken for drift.  On
		 * a store we cannot open the lock file of, check unlocked.
		 */
		ro_lock = jr_io_openat(st->dirfd, "locks/items.lock", O_RDONLY | O_NOFOLLOW, 0);
		if (ro_lock >= 0 &&
		    (rc = jr_lock_take_shared(ro_lock, 1, 0, &st->wait, "every item", path, err)))
			goto out;
	}
	if ((rc = jr_store_list_item_files(&nums, &n, st, err)))
		goto out;
	items = calloc(n ? n : 1, sizeof(*items));
	uids = calloc(n ? n : 1, sizeof(*uids));
	if (!items || !uids) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	size_t nuids = 0;
	for (size_t i = 0; i < n; i++) {
		jerry_error e;
		jerry_error_clear(&e);
		rc = jr_store_read_item(&items[i], st, nums[i], &e);
		if (rc == JERRY_ECORRUPT) {
			if ((rc = problem(r, "corrupt_item", e.path, 0, "%s", e.message)))
				goto out;
			continue;
		}
		if (rc) {
			if (err)
				*err = e;
			goto out;
		}
		uids[nuids++] = items[i]->uid;
	}
	r->items = n;
	qsort(uids, nuids, sizeof(*uids), cmp_u64);
	for (size_t i = 1; i < nuids; i++) {
		if (uids[i] == uids[i - 1] && (i < 2 || uids[i - 1] != uids[i - 2])) {
			if ((rc = problem(r, "duplicate_uid", st->dir, 0,
					  "uid %llu is carried by more than one item",
					  (unsigned long long)uids[i])))
				goto out;
		}
	}

	/* The index against the items. */
	jerry_error ie;
	jerry_error_clear(&ie);
	rc = jr_index_load(&ix, st, &ie);
	if (rc == JERRY_ECORRUPT) {
		index_bad = 1;
		if ((rc = problem(r, "corrupt_index", ie.path, 0, "%s", ie.message)))
			goto out;
	} else if (rc) {
		if (err)
			*err = ie;
		goto out;
	} else {
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (!items[i])
				continue;
			int64_t num = nums[i];
			jerry_item *s = jr_index_get(&ix, num);
			if (!s)
				rc = problem(r, "index_drift", st->dir, 0, "%s is missing from the index",
					     items[i]->id);
			else if (summary_differs(s, items[i]))
				rc = problem(r, "index_drift", st->dir, 0,
					     "the index has %s at version %lld, the file at version %lld",
					     items[i]->id, (long long)s->version,
					     (long long)items[i]->version);
			if (rc)
				goto out;
			k++;
		}
		for (size_t i = 0; i < ix.count; i++) {
			char rel[64];
			jr_store_item_rel(rel, sizeof(rel), ix.e[i].item->num);
			if (jr_io_faccessat(st->itemsfd, rel + 6, F_OK, AT_SYMLINK_NOFOLLOW) != 0 &&
			    (rc = problem(r, "index_drift", st->dir, 0,
					  "the index lists %s, which has no file",
					  ix.e[i].item->id)))
				goto out;
		}
		(void)k;
	}

	/*
	 * The sequence against the highest item.  Behind, empty or missing is
	 * not a problem - it is what a power cut can leave of an unsynced hint,
	 * and creates skip taken numbers (seq.c) - but --repair brings it
	 * forward.  A file that holds something else than a sequence is.
	 */
	jr_seq seq;
	jerry_error se;
	jerry_error_clear(&se);
	/* Creates rewrite it in place under its lock: read it under the lock too. */
	int seq_lock = jr_io_openat(st->dirfd, "locks/sequence.lock", O_RDONLY | O_NOFOLLOW, 0);
	jr_store_path(path, sizeof(path), st, "locks/sequence.lock");
	if (seq_lock >= 0 && (rc = jr_lock_take_shared(seq_lock, 0, 1, &st->wait,
						       JR_LOCK_SEQ_WHAT, path, err))) {
		jr_io_close(seq_lock);
		goto out;
	}
	jr_store_path(path, sizeof(path), st, "sequences.json");
	rc = jr_seq_read(&seq, st, &se);
	jr_io_close(seq_lock); /* and with it the lock */
	int64_t high = n ? nums[n - 1] : 0;
	int seq_bad = 0, seq_behind = 0;
	if (rc == JERRY_ECORRUPT) {
		seq_bad = 1;
		rc = problem(r, "corrupt_sequence", path, 0, "%s", se.message);
	} else if (rc == JERRY_ENOTFOUND) {
		seq_behind = 1;
		rc = 0;
	} else if (rc) {
		if (err)
			*err = se;
		goto out;
	} else {
		seq_behind = seq.work < high;
	}
	if (rc)
		goto out;

	if (repair) {
		int index_problem = index_bad;
		for (size_t i = 0; i < r->nproblems; i++)
			if (strcmp(r->problems[i].kind, "index_drift") == 0)
				index_problem = 1;
		if (seq_bad || seq_behind) {
			uint64_t maxuid = nuids ? uids[nuids - 1] : 0;
			jr_seq fixed = {high, maxuid};
			jr_store_path(path, sizeof(path), st, "locks/sequence.lock");
			if (!(rc = jr_lock_take(st->lock_seq, 0, 1, &st->wait,
						JR_LOCK_SEQ_WHAT, path, err))) {
				/* Never move it backwards. */
				jr_seq cur;
				jerry_error ig;
				if (jr_seq_read(&cur, st, &ig) == 0) {
					if (cur.work > fixed.work)
						fixed.work = cur.work;
					if (cur.last_uid > fixed.last_uid)
						fixed.last_uid = cur.last_uid;
				}
				rc = jr_seq_write(st, &fixed, err);
				jr_lock_drop(st->lock_seq, 0, 1);
			}
			if (rc && rc != JERRY_EDURABLE)
				goto out;
			durable |= rc == JERRY_EDURABLE;
			for (size_t i = 0; i < r->nproblems; i++)
				if (!strcmp(r->problems[i].kind, "corrupt_sequence"))
					r->problems[i].repaired = 1;
		}
		if (index_problem) {
			/* We hold every item lock already; take the index lock too. */
			jr_lock_drop(st->lock_items, 1, 0);
			locked = 0;
			size_t count;
			if ((rc = jr_index_rebuild(&count, st, err)) && rc != JERRY_EDURABLE)
				goto out;
			durable |= rc == JERRY_EDURABLE;
			for (size_t i = 0; i < r->nproblems; i++)
				if (!strcmp(r->problems[i].kind, "index_drift") ||
				    !strcmp(r->problems[i].kind, "corrupt_index"))
					r->problems[i].repaired = 1;
		}
	}
	/* Repaired, but a sync failed: the report stands, durability is uncertain. */
	rc = durable ? JERRY_EDURABLE : 0;
out:
	if (locked)
		jr_lock_drop(st->lock_items, 1, 0);
	jr_io_close(ro_lock);
	jr_index_release(&ix);
	if (items)
		for (size_t i = 0; i < n; i++)
			jerry_item_free(items[i]);
	free(items);
	free(uids);
	free(nums);
	if (rc && rc != JERRY_EDURABLE) {
		jerry_report_free(r);
		return rc == JERRY_ENOMEM ? jr_error(err, rc, "out of memory") : rc;
	}
	*out = r;
	return rc;
}

int jerry_reindex(size_t *out_count, jerry_store *st, jerry_error *err)
{
	int rc = jr_store_writable(st, err);
	if (rc)
		return rc;
	return jr_index_rebuild(out_count, st, err);
}
