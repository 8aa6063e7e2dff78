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
#include "../util/array.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a problem or notice is; its name is the report's "kind" (doc/CLI.md). */
enum check_kind {
	CK_CORRUPT_ITEM,
	CK_INDEX_DRIFT,
	CK_TEMP_FILE,
	CK_DUPLICATE_UID,
	CK_CORRUPT_INDEX,
	CK_CORRUPT_SEQUENCE,
	CK_STRAY_FILE,
	CK_BAD_LOCK,
	CK_PARENT_RULE,
	CK_DEPENDENCY_CYCLE,
	CK_READ_ONLY,
};

static const char *const kind_names[] = {
	[CK_CORRUPT_ITEM] = "corrupt_item",
	[CK_INDEX_DRIFT] = "index_drift",
	[CK_TEMP_FILE] = "temp_file",
	[CK_DUPLICATE_UID] = "duplicate_uid",
	[CK_CORRUPT_INDEX] = "corrupt_index",
	[CK_CORRUPT_SEQUENCE] = "corrupt_sequence",
	[CK_STRAY_FILE] = "stray_file",
	[CK_BAD_LOCK] = "bad_lock",
	[CK_PARENT_RULE] = "parent_rule",
	[CK_DEPENDENCY_CYCLE] = "dependency_cycle",
	[CK_READ_ONLY] = "read_only",
};

/* One run of the check: what it has read, found and holds. */
struct check_run {
	jerry_store *st;
	jerry_report *r;
	enum check_kind *kinds;    /* kinds[i]: the kind of r->problems[i] */
	int repair;
	int64_t *nums;             /* the item files' numbers, ascending */
	size_t n;
	jerry_item **items;        /* items[i]: item nums[i], NULL when corrupt */
	uint64_t *uids;            /* the items' uids, sorted */
	size_t nuids;
	jr_index ix;
	int index_bad;             /* the index cannot be read */
	int seq_bad, seq_behind;   /* the sequence cannot be read; is behind high */
	int64_t high;              /* the highest item number */
	int locked;                /* every item lock, exclusive (repair) */
	int ro_lock;               /* the shared lock's descriptor, or -1 */
	int seq_lock;              /* the sequence lock, shared, until it is read; or -1 */
};

__attribute__((format(printf, 6, 0)))
static int add(jerry_problem **arr, size_t *n, enum check_kind kind, const char *path,
	       int repaired, const char *fmt, va_list ap)
{
	if (jr_array_resize(arr, *n + 1, sizeof(**arr)))
		return JERRY_ENOMEM;
	jerry_problem *p = &(*arr)[(*n)++];
	memset(p, 0, sizeof(*p));
	snprintf(p->kind, sizeof(p->kind), "%s", kind_names[kind]);
	snprintf(p->path, sizeof(p->path), "%s", path ? path : "");
	vsnprintf(p->message, sizeof(p->message), fmt, ap);
	p->repaired = repaired;
	return 0;
}

__attribute__((format(printf, 4, 5)))
static int problem(struct check_run *c, enum check_kind kind, const char *path,
		   const char *fmt, ...)
{
	if (jr_array_resize(&c->kinds, c->r->nproblems + 1, sizeof(*c->kinds)))
		return JERRY_ENOMEM;
	c->kinds[c->r->nproblems] = kind;
	va_list ap;
	va_start(ap, fmt);
	int rc = add(&c->r->problems, &c->r->nproblems, kind, path, 0, fmt, ap);
	va_end(ap);
	return rc;
}

__attribute__((format(printf, 5, 6)))
static int notice(struct check_run *c, enum check_kind kind, const char *path, int repaired,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = add(&c->r->notices, &c->r->nnotices, kind, path, repaired, fmt, ap);
	va_end(ap);
	return rc;
}

static int found(const struct check_run *c, enum check_kind kind)
{
	for (size_t i = 0; i < c->r->nproblems; i++)
		if (c->kinds[i] == kind)
			return 1;
	return 0;
}

static void mark_repaired(struct check_run *c, enum check_kind kind)
{
	for (size_t i = 0; i < c->r->nproblems; i++)
		if (c->kinds[i] == kind)
			c->r->problems[i].repaired = 1;
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
static int scan_temps(struct check_run *c, int dfd, const char *rel, jerry_error *err)
{
	jerry_store *st = c->st;
	int repair = c->repair;
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
				rc = notice(c, CK_TEMP_FILE, path, removed,
					    legacy ? "temp file of a writer that died (an older jerry "
						     "left it here); 'jerry check --repair' removes it"
						   : "temp file of a writer that died; the next write "
						     "removes it");
			continue;
		}
		if (dfd == st->itemsfd && n[0] != '.' && !jr_store_item_file_num(n)) {
			char why[128];
			stray_reason(why, sizeof(why), n);
			rc = problem(c, CK_STRAY_FILE, path, "%s", why);
		}
	}
	jr_io_closedir(d);
	return rc == JERRY_ENOMEM ? jr_error(err, rc, "out of memory") : rc;
}

static int check_locks(struct check_run *c)
{
	jerry_store *st = c->st;
	static const char *const names[] = {"items.lock", "sequence.lock", "index.lock", "deps.lock",
					    "turns.lock", "sync.lock"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char rel[64], path[PATH_MAX + 64];
		struct stat sb;
		snprintf(rel, sizeof(rel), "locks/%s", names[i]);
		jr_store_path(path, sizeof(path), st, rel);
		if (jr_io_fstatat(st->dirfd, rel, &sb, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(sb.st_mode)) {
			int rc = problem(c, CK_BAD_LOCK, path,
					 "a lock file must be a regular file; remove it and jerry "
					 "recreates it");
			if (rc)
				return rc;
		}
	}
	return 0;
}

/*
 * Hold writers off while we compare, so a write in flight is not mistaken
 * for drift: with repair every item lock, else a shared lock over every
 * item (on a store we cannot open the lock file of, check unlocked).
 */
static int hold_items(struct check_run *c, jerry_error *err)
{
	jerry_store *st = c->st;
	char path[PATH_MAX + 64];
	int rc;
	jr_store_path(path, sizeof(path), st, "locks/items.lock");
	if (c->repair) {
		if ((rc = jr_store_writable(st, err)))
			return rc;
		if ((rc = jr_lock_take(st->lock_items, 1, 0, &st->wait, "every item", path, err)))
			return rc;
		c->locked = 1;
		return 0;
	}
	c->ro_lock = jr_io_openat(st->dirfd, "locks/items.lock", O_RDONLY | O_NOFOLLOW, 0);
	if (c->ro_lock >= 0)
		return jr_lock_take_shared(c->ro_lock, 1, 0, &st->wait, "every item", path, err);
	return 0;
}

/* One uid on several items: named, each, and the first one's file as the path. */
static int duplicate_uid(struct check_run *c, uint64_t uid)
{
	char ids[512] = "", path[PATH_MAX + 64] = "", rel[48];
	size_t used = 0, shown = 0, more = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (!c->items[i] || c->items[i]->uid != uid)
			continue;
		if (!*path) {
			jr_store_item_rel(rel, sizeof(rel), c->nums[i]);
			jr_store_path(path, sizeof(path), c->st, rel);
		}
		int w = used + 40 < sizeof(ids)
				? snprintf(ids + used, sizeof(ids) - used, "%s%s", shown ? ", " : "",
					   c->items[i]->id)
				: -1;
		if (w < 0) {
			more++;
			continue;
		}
		used += (size_t)w;
		shown++;
	}
	if (more)
		snprintf(ids + used, sizeof(ids) - used, " and %zu more", more);
	return problem(c, CK_DUPLICATE_UID, path, "uid %llu is carried by %s: each item needs its own",
		       (unsigned long long)uid, ids);
}

/* Every item file: a corrupt one is a problem, and so is a uid two items carry. */
static int read_items(struct check_run *c, jerry_error *err)
{
	jerry_store *st = c->st;
	int rc;
	if ((rc = jr_store_list_item_files(&c->nums, &c->n, st, err)))
		return rc;
	c->items = calloc(c->n ? c->n : 1, sizeof(*c->items));
	c->uids = calloc(c->n ? c->n : 1, sizeof(*c->uids));
	if (!c->items || !c->uids)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	for (size_t i = 0; i < c->n; i++) {
		jerry_error e;
		jerry_error_clear(&e);
		rc = jr_store_read_item(&c->items[i], st, c->nums[i], &e);
		if (rc == JERRY_ECORRUPT) {
			if ((rc = problem(c, CK_CORRUPT_ITEM, e.path, "%s", e.message)))
				return rc;
			continue;
		}
		if (rc) {
			jr_error_pass(err, &e);
			return rc;
		}
		c->uids[c->nuids++] = c->items[i]->uid;
	}
	c->r->items = c->n;
	c->high = c->n ? c->nums[c->n - 1] : 0;
	qsort(c->uids, c->nuids, sizeof(*c->uids), cmp_u64);
	for (size_t i = 1; i < c->nuids; i++) {
		uint64_t *u = c->uids;
		if (u[i] == u[i - 1] && (i < 2 || u[i - 1] != u[i - 2]) &&
		    (rc = duplicate_uid(c, u[i])))
			return rc;
	}
	return 0;
}

static int graph_problem(void *arg, enum jr_graph_rule rule, const jerry_item *it,
			 const char *message)
{
	struct check_run *c = arg;
	char path[PATH_MAX + 64], id[48];
	jr_store_item_rel(id, sizeof(id), it->num);
	jr_store_path(path, sizeof(path), c->st, id);
	return problem(c, rule == JR_RULE_CYCLE ? CK_DEPENDENCY_CYCLE : CK_PARENT_RULE, path, "%s",
		       message);
}

/*
 * What no command lets happen but a merge of two copies of the store can:
 * a parent that breaks the parent rules, and dependency cycles.
 */
static int check_graph(struct check_run *c)
{
	return jr_graph_rules(c->nums, c->items, c->n, graph_problem, c);
}

/* The index against the items: both ways. */
static int check_index(struct check_run *c, jerry_error *err)
{
	jerry_store *st = c->st;
	jerry_error ie;
	int rc;
	jerry_error_clear(&ie);
	rc = jr_index_load(&c->ix, st, &ie);
	/*
	 * A fresh checkout that could not be prepared (no locks/: it cannot
	 * be written here) has no index, and needs none: every command reads
	 * its item files (doc/FORMAT.md).  That is a notice, not damage.
	 */
	if (rc == JERRY_ECORRUPT && jr_io_faccessat(st->dirfd, "index.json", F_OK, AT_SYMLINK_NOFOLLOW) &&
	    errno == ENOENT && jr_io_faccessat(st->dirfd, "locks", F_OK, AT_SYMLINK_NOFOLLOW) &&
	    errno == ENOENT) {
		c->index_bad = 1;
		return notice(c, CK_READ_ONLY, st->dir, 0,
			      "a checkout that cannot be written here: it has no index, and is read from its item files");
	}
	if (rc == JERRY_ECORRUPT) {
		c->index_bad = 1;
		return problem(c, CK_CORRUPT_INDEX, ie.path, "%s", ie.message);
	}
	if (rc) {
		jr_error_pass(err, &ie);
		return rc;
	}
	for (size_t i = 0; i < c->n; i++) {
		if (!c->items[i])
			continue;
		jerry_item *s = jr_index_get(&c->ix, c->nums[i]);
		if (!s)
			rc = problem(c, CK_INDEX_DRIFT, st->dir, "%s is missing from the index",
				     c->items[i]->id);
		else if (summary_differs(s, c->items[i]))
			rc = problem(c, CK_INDEX_DRIFT, st->dir,
				     "the index has %s at version %lld, the file at version %lld",
				     c->items[i]->id, (long long)s->version,
				     (long long)c->items[i]->version);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < c->ix.count; i++) {
		char rel[64];
		jr_store_item_rel(rel, sizeof(rel), c->ix.e[i].item->num);
		if (jr_io_faccessat(st->itemsfd, rel + 6, F_OK, AT_SYMLINK_NOFOLLOW) != 0 &&
		    (rc = problem(c, CK_INDEX_DRIFT, st->dir, "the index lists %s, which has no file",
				  c->ix.e[i].item->id)))
			return rc;
	}
	return 0;
}

/*
 * The sequence against the highest item.  Behind, empty or missing is not
 * a problem - it is what a power cut can leave of an unsynced hint, and
 * creates skip taken numbers (seq.c) - but --repair brings it forward.  A
 * file that holds something else than a sequence is.
 */
/*
 * Creates rewrite sequences.json in place under its lock: it is read under
 * the lock too, taken before the item locks as every writer takes them
 * (store.h) - a create holds it while it waits for its item's lock - and
 * dropped once read (check_sequence).
 */
static int hold_sequence(struct check_run *c, jerry_error *err)
{
	jerry_store *st = c->st;
	char path[PATH_MAX + 64];
	c->seq_lock = jr_io_openat(st->dirfd, "locks/sequence.lock", O_RDONLY | O_NOFOLLOW, 0);
	if (c->seq_lock < 0)
		return 0; /* no lock file yet: no writer has run */
	jr_store_path(path, sizeof(path), st, "locks/sequence.lock");
	return jr_lock_take_shared(c->seq_lock, 0, 1, &st->wait, JR_LOCK_SEQ_WHAT, path, err);
}

static int check_sequence(struct check_run *c, jerry_error *err)
{
	jerry_store *st = c->st;
	char path[PATH_MAX + 64];
	jr_seq seq;
	jerry_error se;
	int rc;
	jerry_error_clear(&se);
	jr_store_path(path, sizeof(path), st, "sequences.json");
	rc = jr_seq_read(&seq, st, &se);
	jr_io_close(c->seq_lock); /* and with it the lock: a repair takes it again */
	c->seq_lock = -1;
	if (rc == JERRY_ECORRUPT) {
		c->seq_bad = 1;
		return problem(c, CK_CORRUPT_SEQUENCE, path, "%s", se.message);
	}
	if (rc == JERRY_ENOTFOUND) {
		c->seq_behind = 1;
		return 0;
	}
	if (rc) {
		jr_error_pass(err, &se);
		return rc;
	}
	c->seq_behind = seq.work < c->high;
	return 0;
}

/* Bring the sequence up to the items; 0, JERRY_EDURABLE or an error. */
static int repair_sequence(struct check_run *c, jerry_error *err)
{
	jerry_store *st = c->st;
	char path[PATH_MAX + 64];
	uint64_t maxuid = c->nuids ? c->uids[c->nuids - 1] : 0;
	jr_seq fixed = {c->high, maxuid};
	int rc;
	/*
	 * The lock order is the sequence's before the items' (store.h): a
	 * create holds the sequence lock while it waits for its item lock.
	 * The item locks go first - the repair that follows, the index's,
	 * drops them too - and what we read under them stays true: numbers
	 * only grow, and the sequence never moves backwards here.
	 */
	if (c->locked) {
		jr_lock_drop(st->lock_items, 1, 0);
		c->locked = 0;
	}
	jr_store_path(path, sizeof(path), st, "locks/sequence.lock");
	if (!(rc = jr_lock_take(st->lock_seq, 0, 1, &st->wait, JR_LOCK_SEQ_WHAT, path, err))) {
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
		return rc;
	mark_repaired(c, CK_CORRUPT_SEQUENCE);
	return rc;
}

/* Rebuild the index from the items; 0, JERRY_EDURABLE or an error. */
static int repair_index(struct check_run *c, jerry_error *err)
{
	size_t count;
	/* We hold every item lock already; take the index lock too. */
	jr_lock_drop(c->st->lock_items, 1, 0);
	c->locked = 0;
	int rc = jr_index_rebuild(&count, c->st, err);
	if (rc && rc != JERRY_EDURABLE)
		return rc;
	mark_repaired(c, CK_INDEX_DRIFT);
	mark_repaired(c, CK_CORRUPT_INDEX);
	return rc;
}

/* What repair can fix without losing data; 0, JERRY_EDURABLE or an error. */
static int run_repairs(struct check_run *c, jerry_error *err)
{
	int index_problem = c->index_bad || found(c, CK_INDEX_DRIFT), durable = 0, rc;
	if (c->seq_bad || c->seq_behind) {
		if ((rc = repair_sequence(c, err)) && rc != JERRY_EDURABLE)
			return rc;
		durable |= rc == JERRY_EDURABLE;
	}
	if (index_problem) {
		if ((rc = repair_index(c, err)) && rc != JERRY_EDURABLE)
			return rc;
		durable |= rc == JERRY_EDURABLE;
	}
	/* Repaired, but a sync failed: the report stands, durability is uncertain. */
	return durable ? JERRY_EDURABLE : 0;
}

static void check_release(struct check_run *c)
{
	if (c->locked)
		jr_lock_drop(c->st->lock_items, 1, 0);
	jr_io_close(c->ro_lock);
	jr_io_close(c->seq_lock);
	jr_index_release(&c->ix);
	if (c->items)
		for (size_t i = 0; i < c->n; i++)
			jerry_item_free(c->items[i]);
	free(c->items);
	free(c->uids);
	free(c->nums);
	free(c->kinds);
}

int jr_store_check(jerry_report **out, jerry_store *st, int repair, jerry_error *err)
{
	struct check_run c;
	int rc;
	memset(&c, 0, sizeof(c));
	c.st = st;
	c.repair = repair;
	c.ro_lock = -1;
	c.seq_lock = -1;
	*out = NULL;
	if (!(c.r = calloc(1, sizeof(*c.r))))
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	/*
	 * Temp files first: a dead writer's is proven dead by its own flock,
	 * not by a store lock, and the first write (jr_store_writable, with
	 * repair) would sweep tmp/ before we could name what it removed.
	 */
	if (!(rc = check_locks(&c)) && !(rc = scan_temps(&c, -1, "tmp", err)) &&
	    !(rc = scan_temps(&c, st->itemsfd, "items", err)) &&
	    !(rc = scan_temps(&c, st->dirfd, "", err)) && !(rc = hold_sequence(&c, err)) &&
	    !(rc = hold_items(&c, err)) &&
	    !(rc = read_items(&c, err)) && !(rc = check_graph(&c)) && !(rc = check_index(&c, err)) &&
	    !(rc = check_sequence(&c, err)) && c.repair)
		rc = run_repairs(&c, err);
	check_release(&c);
	if (rc && rc != JERRY_EDURABLE) {
		jerry_report_free(c.r);
		return rc == JERRY_ENOMEM ? jr_error(err, rc, "out of memory") : rc;
	}
	*out = c.r;
	return rc;
}

int jr_store_reindex(size_t *out_count, jerry_store *st, jerry_error *err)
{
	int rc = jr_store_writable(st, err);
	if (rc || (rc = jr_index_rebuild(out_count, st, err)) || !st->rebuild_skipped)
		return rc;
	/*
	 * The index is rebuilt from every file that could be read; one that
	 * could not is left out of it - and of list, ready and the board - so
	 * it must not pass as a success: a typo in a hand edit would hide the
	 * item with "reindexed".
	 */
	const jerry_error *bad = &st->rebuild_first_bad;
	if (st->rebuild_skipped == 1)
		jr_error(err, JERRY_ECORRUPT,
			 "the index was rebuilt without an item file it could not read: %s",
			 bad->message);
	else
		jr_error(err, JERRY_ECORRUPT,
			 "the index was rebuilt without %zu item files it could not read; the first: %s",
			 st->rebuild_skipped, bad->message);
	if (err) {
		snprintf(err->item, sizeof(err->item), "%s", bad->item);
		snprintf(err->path, sizeof(err->path), "%s", bad->path);
		err->line = bad->line;
		err->column = bad->column;
	}
	jr_error_hint(err, st->rebuild_skipped == 1
				   ? "fix or remove it, then run 'jerry reindex' again"
				   : "fix or remove them ('jerry check' lists each), then run 'jerry reindex' again");
	return JERRY_ECORRUPT;
}
