/*
 * port.c - the store's implementation of the port (port/port.h): what the
 * use cases call, made of the store's modules below it (files, index,
 * history, check, seq, lock).  The write protocol itself is described in
 * store.h; mutate() and create() below are its only two implementations.
 * store.c opens the store; this file is what an opened store offers.
 */
#define _GNU_SOURCE
#include "store.h"
#include "codec.h"
#include "export.h"
#include "io.h"
#include "lock.h"
#include "../domain/domain.h"
#include "../util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t port_now(void *ctx)
{
	(void)ctx;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *port_actor(void *ctx) { return jr_store_instance(ctx); }
static const char *port_claimer(void *ctx) { return jr_store_claimer(ctx); }
static const char *port_session(void *ctx) { return jr_store_session(ctx); }
static int port_named(void *ctx) { return jr_store_named(ctx); }
static const char *port_proof(void *ctx)
{
	jerry_store *st = ctx;
	return st->proof[0] ? st->proof : NULL;
}

/* A claim token: "ct-" and 24 hex digits (96 random bits). */
static int port_new_token(void *ctx, char *buf, size_t size, jerry_error *err)
{
	unsigned char r[12];
	(void)ctx;
	if (jr_io_getrandom(r, sizeof(r), 0) < 0)
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot make a claim token");
	int n = snprintf(buf, size, "ct-");
	for (size_t i = 0; i < sizeof(r) && n > 0 && (size_t)n + 2 < size; i++)
		n += snprintf(buf + n, size - (size_t)n, "%02x", r[i]);
	return 0;
}

static int port_get(void *ctx, jerry_item **out, int64_t num, jerry_error *err)
{
	return jr_store_read_item(out, ctx, num, err);
}

static int lock_item(jerry_store *st, int64_t num, jerry_error *err)
{
	char path[PATH_MAX + 32], id[24], what[48];
	jr_store_path(path, sizeof(path), st, "locks/items.lock");
	jerry_id_format(id, sizeof(id), num);
	snprintf(what, sizeof(what), "'%s'", id);
	int rc = jr_lock_take(st->lock_items, (off_t)num, 1, &st->wait, what, path, err);
	if (rc)
		jr_error_item(err, num);
	return rc;
}

/*
 * Guarantees (1) and (4) of store.h for one item whose lock we hold: write the
 * temp file, append the history entry, log the put (with the entry, one
 * sync for both), rename.  The history file itself is made durable when
 * the log generation that holds its entries is compacted (history.c).
 */
static int commit_item(jerry_store *st, const jerry_item *old, jerry_item *it, int create,
		       jerry_error *err)
{
	char rel[64], *name = rel + 6; /* "items/" */
	size_t len, elen = 0;
	jr_tmpfile tf;
	int rc;
	jr_store_item_rel(rel, sizeof(rel), it->num);
	char *text = jr_codec_item_text(it, &len);
	if (!text)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	rc = jr_tmpfile_write(&tf, st, st->itemsfd, name, text, len, err);
	free(text);
	if (rc)
		return rc;
	char *entry = jr_history_entry(old, it, &elen);
	if (!entry) {
		jr_tmpfile_abort(&tf);
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	}
	if ((rc = jr_history_append(st, it->num, entry, elen, err)) ||
	    (rc = jr_index_put(st, it, entry, elen, err))) {
		free(entry);
		jr_tmpfile_abort(&tf);
		return rc; /* a put without its ok is settled from the item file */
	}
	free(entry);
	/* A failed rename leaves the put unconfirmed; readers settle it. */
	return jr_tmpfile_commit(&tf, st, create, err);
}

/*
 * After the item lock is dropped: sync the directory (the third sync),
 * then log the ok.  The next writer of the item need not wait for either:
 * it reads the renamed file, and its own rename is ordered after ours by
 * the lock; each command still acknowledges only after its own sync.
 */
static int finish_item(jerry_store *st, const jerry_item *it, jerry_error *err)
{
	char rel[64];
	jr_store_item_rel(rel, sizeof(rel), it->num);
	int rc = jr_store_sync_dir(st, st->itemsfd, rel + 6, err); /* past "items/" */
	/* The item is in place: a failed ok only leaves the put to settle. */
	jerry_error ignored;
	(void)jr_index_confirm(st, it, &ignored);
	return rc;
}

/*
 * The end of a write of item num, whatever happened: drop its lock, then,
 * if it was committed, finish it (finish_item) and hand it out in *out.
 * rc is what the write came to; the result is what the caller returns.
 */
static int unlock_item(jerry_store *st, int64_t num, int committed, jerry_item **it,
		       jerry_item **out, int rc, jerry_error *err)
{
	jr_lock_drop(st->lock_items, (off_t)num, 1);
	if (!committed)
		return rc;
	rc = finish_item(st, *it, err);
	if (out) {
		*out = *it;
		*it = NULL;
	}
	return rc;
}

static int port_mutate(void *ctx, jerry_item **out, int64_t num, jr_apply_fn fn, void *arg,
		       jerry_error *err)
{
	jerry_store *st = ctx;
	jerry_item *it = NULL, *old = NULL;
	int rc, committed = 0;
	if (out)
		*out = NULL;
	if ((rc = jr_store_writable(st, err)) || (rc = jr_index_ensure(st, err)))
		return rc;
	if ((rc = lock_item(st, num, err)))
		return rc;
	if ((rc = jr_store_read_item(&it, st, num, err)))
		goto out;
	if (!(old = jr_item_dup(it))) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = fn(it, arg, err)) == JR_UNCHANGED) {
		/* Nothing to write: hand back the item as it is. */
		rc = 0;
		if (out) {
			*out = old;
			old = NULL;
		}
		goto out;
	}
	if (rc)
		goto out;
	if (it->version >= JR_VERSION_MAX) {
		char path[PATH_MAX + 64], rel[64];
		jr_store_item_rel(rel, sizeof(rel), num);
		jr_store_path(path, sizeof(path), st, rel);
		jr_error_item(err, num);
		rc = jr_error(err, JERRY_ECORRUPT,
			      "'%s' is at version %lld, the highest there is: it cannot change again",
			      path, (long long)it->version);
		jr_error_hint(err, "a version this high comes from a hand edit: set it back in the file, then run 'jerry reindex'");
		goto out;
	}
	it->version++;
	it->updated_at = port_now(st);
	if ((rc = jr_set_str(&it->updated_by, jr_store_instance(st))))
		goto out;
	committed = !(rc = commit_item(st, old, it, 0, err));
out:
	rc = unlock_item(st, num, committed, &it, out, rc, err);
	jerry_item_free(it);
	jerry_item_free(old);
	return rc;
}

/*
 * fn under byte `byte` of deps.lock: 0 the dependency graph's, 1 the import
 * lock, taken before any other lock.  Under the import lock, a stage a dead
 * importer committed is published before fn plans against the index
 * (import_stage.c).
 */
static int under_deps_lock(jerry_store *st, off_t byte, const char *what,
			   int (*fn)(void *arg, jerry_error *err), void *arg, jerry_error *err)
{
	char path[PATH_MAX + 32];
	int rc = jr_store_writable(st, err);
	if (rc)
		return rc;
	jr_store_path(path, sizeof(path), st, "locks/deps.lock");
	if ((rc = jr_lock_take(st->lock_deps, byte, 1, &st->wait, what, path, err)))
		return rc;
	if (byte == 1)
		jr_stage_settle_all(st);
	rc = fn(arg, err);
	jr_lock_drop(st->lock_deps, byte, 1);
	return rc;
}

static int port_exclusive(void *ctx, int (*fn)(void *arg, jerry_error *err), void *arg,
			  jerry_error *err)
{
	return under_deps_lock(ctx, 0, "the dependency graph", fn, arg, err);
}

static int port_importing(void *ctx, int (*fn)(void *arg, jerry_error *err), void *arg,
			  jerry_error *err)
{
	return under_deps_lock(ctx, 1, "imports", fn, arg, err);
}

/*
 * A new number, and its item lock: taken before the sequence lock is
 * dropped, so no sync can write the number in between (store.h, the lock
 * order).  A file there all the same was written by no jerry process - git
 * checking out a committed store, a hand copy: that number is skipped.
 */
static int take_number(jerry_store *st, int64_t *num, uint64_t *uid, jerry_error *err)
{
	for (int tries = 0;; tries++) {
		int rc = jr_seq_lock(st, err);
		if (rc)
			return rc;
		if (!(rc = jr_seq_next_many_held(num, uid, 1, st, err)))
			rc = lock_item(st, *num, err);
		jr_seq_unlock(st);
		if (rc)
			return rc;
		char rel[64];
		jr_store_item_rel(rel, sizeof(rel), *num);
		if (jr_io_faccessat(st->itemsfd, rel + 6, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
			return 0;
		jr_lock_drop(st->lock_items, (off_t)*num, 1);
		if (tries == 8)
			return jr_error(err, JERRY_EINTERNAL,
					"every new number is taken behind the sequence's back "
					"(last tried '%s/%s')", st->dir, rel);
	}
}

static int port_create(void *ctx, jerry_item **out, jr_apply_fn fill, void *arg, jerry_error *err)
{
	jerry_store *st = ctx;
	jerry_item *it = NULL;
	int64_t num;
	uint64_t uid;
	int rc, committed = 0;
	if (out)
		*out = NULL;
	if ((rc = jr_store_writable(st, err)) || (rc = jr_index_ensure(st, err)))
		return rc;
	if ((rc = take_number(st, &num, &uid, err)))
		return rc;
	if (!(it = jr_item_new())) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	it->num = num;
	jerry_id_format(it->id, sizeof(it->id), num);
	it->uid = uid;
	it->version = 1;
	it->created_at = it->updated_at = port_now(st);
	if ((rc = jr_set_str(&it->created_by, jr_store_instance(st))) ||
	    (rc = jr_set_str(&it->updated_by, jr_store_instance(st))))
		goto out;
	if ((rc = fill(it, arg, err)))
		goto out;
	committed = !(rc = commit_item(st, NULL, it, 1, err));
out:
	rc = unlock_item(st, num, committed, &it, out, rc, err);
	jerry_item_free(it);
	return rc;
}

/*
 * Summaries from the index.  If the index cannot be read (damaged by hand,
 * deleted), fall back to reading every item file: slower, but the answer
 * stays right, and 'jerry check' reports the index.
 */
static int port_scan(void *ctx, jerry_item ***out, size_t *out_n, jerry_error *err)
{
	jerry_store *st = ctx;
	jr_index ix;
	int rc = jr_index_load(&ix, st, err);
	*out = NULL;
	*out_n = 0;
	if (rc == JERRY_ECORRUPT) {
		int64_t *nums = NULL;
		size_t n = 0;
		if ((rc = jr_store_list_item_files(&nums, &n, st, err)))
			return rc;
		jerry_item **items = calloc(n ? n : 1, sizeof(*items));
		size_t k = 0;
		if (!items) {
			free(nums);
			return jr_error(err, JERRY_ENOMEM, "out of memory");
		}
		for (size_t i = 0; i < n; i++) {
			jerry_error e2;
			rc = jr_store_read_item(&items[k], st, nums[i], &e2);
			if (rc == JERRY_ECORRUPT)
				continue;
			if (rc) {
				jr_error_pass(err, &e2);
				free(nums);
				jerry_item_array_free(items, k);
				return rc;
			}
			k++;
		}
		free(nums);
		*out = items;
		*out_n = k;
		return 0;
	}
	if (rc)
		return rc;
	jerry_item **items = calloc(ix.count ? ix.count : 1, sizeof(*items));
	if (!items) {
		jr_index_release(&ix);
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	}
	size_t k = 0;
	for (size_t i = 0; i < ix.count; i++)
		items[k++] = ix.e[i].item;
	ix.count = 0; /* the items are the caller's now */
	jr_index_release(&ix);
	*out = items;
	*out_n = k;
	return 0;
}

static int port_history(void *ctx, jerry_history_entry **out, size_t *out_n,
			const jerry_item *item, jerry_error *err)
{
	return jr_history_load(out, out_n, ctx, item, err);
}

static int port_history_each(void *ctx, jerry_item *const *items, size_t n, jr_history_fn fn,
			     void *arg, jerry_error *err)
{
	return jr_history_each(ctx, items, n, fn, arg, err);
}

static int port_check(void *ctx, jerry_report **out, int repair, jerry_error *err)
{
	return jr_store_check(out, ctx, repair, err);
}

/*
 * The item files in number order, each read, lent and freed before the
 * next: the list of numbers (8 bytes an item) is all that grows.  Files
 * only ever change by rename, so each one read is a whole version.
 */
static int port_each(void *ctx, int (*fn)(void *arg, const jerry_item *item, jerry_error *err),
		     void *arg, jerry_error *err)
{
	jerry_store *st = ctx;
	struct jr_sb buf = JR_SB_INIT; /* every file's text in turn */
	int64_t *nums = NULL;
	size_t n = 0;
	int rc = jr_store_list_item_files(&nums, &n, st, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		jerry_item *it = NULL;
		rc = jr_store_read_item_buf(&it, st, nums[i], &buf, err);
		if (rc == 0)
			rc = fn(arg, it, err);
		jerry_item_free(it);
	}
	jr_sb_release(&buf);
	free(nums);
	return rc > 0 ? 0 : rc;
}

static int port_each_line(void *ctx, jr_pick_fn pick, jr_line_fn fn, void *arg,
			  jerry_error *err)
{
	return jr_export_cache_each(ctx, pick, fn, arg, err);
}

/*
 * A bulk create, all or nothing under a crash (import_stage.c): every
 * number and uid in one hold of the sequence lock; every item filled and
 * written into a stage directory; one syncfs and the commit mark; then all
 * of them published at once.  A constant number of syncs, whatever n.
 */
static int port_create_many(void *ctx, int64_t *out_nums, size_t n,
			    int (*fill)(jerry_item *item, void *arg, size_t i, jerry_error *err),
			    void *arg, jerry_error *err)
{
	jerry_store *st = ctx;
	uint64_t *uids = calloc(n ? n : 1, sizeof(*uids));
	jerry_item **items = calloc(n ? n : 1, sizeof(*items));
	jr_stage sg = {.fd = -1};
	size_t locked = 0;
	int rc = 0;
	if (!uids || !items) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = jr_store_writable(st, err)) || (rc = jr_index_ensure(st, err)) ||
	    (rc = jr_seq_lock(st, err)))
		goto out;
	/* The numbers' locks before the sequence's is dropped: no sync writes them meanwhile. */
	if (!(rc = jr_seq_next_many_held(out_nums, uids, n, st, err)))
		rc = jr_items_lock_nums(st, out_nums, n, &locked, err);
	jr_seq_unlock(st);
	if (rc || (rc = jr_stage_open(&sg, st, err)))
		goto out;
	int64_t now = port_now(st);
	for (size_t i = 0; i < n && !rc; i++) {
		jerry_item *it = items[i] = jr_item_new();
		if (!it) {
			rc = jr_error(err, JERRY_ENOMEM, "out of memory");
			break;
		}
		it->num = out_nums[i];
		jerry_id_format(it->id, sizeof(it->id), it->num);
		it->uid = uids[i];
		it->version = 1;
		it->created_at = it->updated_at = now;
		if (!(rc = jr_set_str(&it->created_by, jr_store_instance(st))) &&
		    !(rc = jr_set_str(&it->updated_by, jr_store_instance(st))) &&
		    !(rc = fill(it, arg, i, err)))
			rc = jr_stage_write(&sg, st, it, err);
	}
	if (!rc && !(rc = jr_stage_commit(&sg, st, err)))
		rc = jr_stage_publish(st, sg.fd, items, n, 1, err);
out:
	jr_items_unlock_nums(st, out_nums, locked);
	jr_stage_close(&sg, st, rc != 0);
	for (size_t i = 0; items && i < n; i++)
		jerry_item_free(items[i]);
	free(items);
	free(uids);
	return rc;
}

const jr_port *jr_store_port(jerry_store *st)
{
	st->port = (jr_port){st, port_now, port_actor, port_session, port_get, port_mutate,
			     port_create, port_scan, port_exclusive, port_claimer, port_named,
			     port_proof, port_new_token, port_history, port_history_each,
			     port_check, port_each, port_create_many, port_each_line,
			     port_importing};
	return &st->port;
}
