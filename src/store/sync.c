/*
 * sync.c - jerry sync [REMOTE]: share the record through a git remote, on
 * a ref of its own (refs/jerry/data; ADR 0020), without touching HEAD, the
 * user's index or working tree.
 *
 * One round:
 *   1. ask the remote for refs/jerry/data (git ls-remote): an unreachable
 *      remote is a storage error, and nothing has changed yet;
 *   2. fetch it into refs/jerry/remotes/REMOTE/data;
 *   3. holding every item lock: the record as it is here becomes a tree
 *      (a private index, tmp/sync-index, whose stat cache makes this cost
 *      what changed), committed over the last sync (refs/jerry/data); the
 *      remote's changes since the common commit are applied to the files -
 *      a file only the remote changed is taken, one both changed merged by
 *      the merge rules, an item the remote has under a number this copy
 *      gave to another item renumbers this copy's (the published one keeps
 *      its number); then the merge is committed with both parents and
 *      refs/jerry/data moves to it; the index follows the files the merge
 *      wrote, a put and an ok each, as any write's does;
 *   4. push it, never forced: a remote that moved meanwhile rejects it and
 *      the round starts again (at most SYNC_ROUNDS times).
 * Nothing is pushed before it is merged.  The merge's files are written all
 * or nothing (staged, committed, then renamed in: sync_stage.c), before
 * refs/jerry/data moves; a kill at any point leaves the files as they were
 * or, once the process that next opens the store has rolled the stage
 * forward, as the merge made them, and refs that git moved atomically; the
 * next sync starts from what is there and converges.
 */
#define _GNU_SOURCE
#include "store.h"
#include "sync_round.h"
#include "codec.h"
#include "io.h"
#include "lock.h"
#include "../domain/domain.h"
#include "../util/array.h"
#include "../util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYNC_ROUNDS 5

static int push_renumber(jerry_sync_result *r, int64_t from, int64_t to, uint64_t uid)
{
	jerry_sync_renumber *g = realloc(r->renumbered, (r->nrenumbered + 1) * sizeof(*g));
	if (!g)
		return JERRY_ENOMEM;
	r->renumbered = g;
	g[r->nrenumbered++] = (jerry_sync_renumber){ from, to, uid };
	return 0;
}

static int push_merged(jerry_sync_result *r, const jerry_merge_result *m)
{
	jerry_merge_result *g = realloc(r->merged, (r->nmerged + 1) * sizeof(*g));
	if (!g)
		return JERRY_ENOMEM;
	r->merged = g;
	g[r->nmerged++] = *m;
	return 0;
}

/*
 * A file of the record as the merge has it so far (what it wrote, else the
 * file); *out NULL (and 0) when there is none.
 */
static int read_record(char **out, size_t *len, struct ctx *c, const char *rel, jerry_error *err)
{
	const struct pending *p = jr_sync_find_pending(c, rel);
	*out = NULL;
	*len = 0;
	if (p) {
		if (!(*out = malloc(p->len + 1)))
			return jr_error(err, JERRY_ENOMEM, "out of memory");
		memcpy(*out, p->text, p->len + 1);
		*len = p->len;
		return 0;
	}
	int fd = jr_io_openat(c->st->dirfd, rel, O_RDONLY, 0);
	if (fd < 0)
		return errno == ENOENT ? 0
				       : jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot open '%s/%s'",
						      c->st->dir, rel);
	int r = jr_io_read_all(fd, out, len, 256u * 1024 * 1024);
	int e = errno;
	jr_io_close(fd);
	if (r < 0)
		return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot read '%s/%s'", c->st->dir, rel);
	return 0;
}

/* This copy's item num as the merge has it so far. */
static int read_item(jerry_item **out, struct ctx *c, int64_t num, jerry_error *err)
{
	char rel[64];
	jr_store_item_rel(rel, sizeof(rel), num);
	const struct pending *p = jr_sync_find_pending(c, rel);
	if (!p)
		return jr_store_read_item(out, c->st, num, err);
	return jr_codec_parse_item(out, p->text, p->len, rel, num, err);
}

/*
 * This copy's item at `num` (and its history) moves to `to`: the remote's
 * item keeps the number it was published under.  The move is a version of
 * its own: the item records the number it had (renumbered_from), a note
 * says so, and its history, which goes with it, gets an entry "renumber"
 * whose id changes from the old ID to the new.
 */
static int renumber(struct ctx *c, int64_t num, int64_t to, jerry_error *err)
{
	jerry_item *it = NULL, *was = NULL;
	char rel[64], rel_to[64], from_id[24], to_id[24], note[160];
	char *text = NULL, *hist = NULL, *entry = NULL;
	size_t len, hlen = 0, elen = 0;
	int rc;
	if ((rc = read_item(&it, c, num, err)))
		return rc;
	jerry_id_format(from_id, sizeof(from_id), num);
	jerry_id_format(to_id, sizeof(to_id), to);
	snprintf(note, sizeof(note), "renumbered: %s \xe2\x86\x92 %s (sync: %s had another %s)",
		 from_id, to_id, c->remote, from_id);
	if (!(was = jr_item_dup(it))) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	it->num = to;
	snprintf(it->id, sizeof(it->id), "%s", to_id);
	it->version++;
	if (jr_merge_now() > it->updated_at)
		it->updated_at = jr_merge_now();
	if ((rc = jr_set_str(&it->updated_by, jr_store_instance(c->st))) ||
	    (rc = jr_renumbered_add(it, num)) ||
	    (rc = jr_notes_append(it, it->updated_at, it->updated_by, note)) ||
	    !(text = jr_codec_item_text(it, &len)) ||
	    !(entry = jr_history_entry_op(was, it, "renumber", &elen))) {
		rc = jr_error(err, rc && rc != JERRY_ENOMEM ? rc : JERRY_ENOMEM,
			      rc && rc != JERRY_ENOMEM ? "cannot renumber '%s'" : "out of memory",
			      from_id);
		goto out;
	}
	/* Its history goes with it, and says so; the history first, as a write does. */
	snprintf(rel, sizeof(rel), "history/%s.jsonl", from_id);
	if ((rc = read_record(&hist, &hlen, c, rel, err)))
		goto out;
	{
		char *h = realloc(hist, hlen + elen + 2);
		if (!h) {
			rc = jr_error(err, JERRY_ENOMEM, "out of memory");
			goto out;
		}
		hist = h;
		if (hlen && hist[hlen - 1] != '\n')
			hist[hlen++] = '\n';
		memcpy(hist + hlen, entry, elen);
		hlen += elen;
		hist[hlen++] = '\n';
	}
	snprintf(rel_to, sizeof(rel_to), "history/%s.jsonl", to_id);
	if ((rc = jr_sync_write_record(c, rel_to, hist, hlen, err)))
		goto out;
	snprintf(rel_to, sizeof(rel_to), "items/%s.json", to_id);
	rc = jr_sync_write_record(c, rel_to, text, len, err);
out:
	free(entry);
	free(hist);
	free(text);
	jerry_item_free(was);
	jerry_item_free(it);
	return rc;
}

/* A uid from an item text ("" : 0). */
static uint64_t text_uid(const char *text, size_t len)
{
	jerry_item *it = NULL;
	uint64_t uid = 0;
	if (len && !jr_codec_parse_item(&it, text, len, "sync", 0, NULL))
		uid = it->uid;
	jerry_item_free(it);
	return uid;
}

/* The number `num` is one of this copy's items that a renumbering moves. */
static int renumbered(const struct ctx *c, int64_t num)
{
	for (size_t k = c->round_first; num && k < c->res->nrenumbered; k++)
		if (c->res->renumbered[k].from == num)
			return 1;
	return 0;
}

/*
 * The numbers both sides gave to two different items (a uid of its own on
 * each side): this copy's goes to the next number above *high.
 */
static int plan_renumbers(struct ctx *c, const struct change *ours, size_t nours,
			  const struct change *theirs, size_t ntheirs, int64_t *high, jerry_error *err)
{
	int rc = 0;
	for (size_t i = 0; i < ntheirs && !rc; i++) {
		const struct change *mine = jr_sync_find_change(ours, nours, theirs[i].path);
		char *t[2] = { NULL, NULL };
		size_t l[2] = { 0, 0 };
		if (!jr_sync_item_num(theirs[i].path) || !*theirs[i].blob || !mine ||
		    !strcmp(mine->blob, theirs[i].blob))
			continue;
		if (!(rc = jr_sync_blob_text(&t[0], &l[0], c, mine->blob, err)) &&
		    !(rc = jr_sync_blob_text(&t[1], &l[1], c, theirs[i].blob, err))) {
			uint64_t uid = text_uid(t[0], l[0]);
			if (uid != text_uid(t[1], l[1]) &&
			    (rc = push_renumber(c->res, jr_sync_item_num(theirs[i].path), ++*high, uid)))
				rc = jr_error(err, rc, "out of memory");
		}
		free(t[0]);
		free(t[1]);
	}
	return rc;
}

/*
 * What this copy wrote since base that meant a renumbered item follows it
 * (jr_item_follow_renumber): every item this copy changed, unless the
 * remote has it the same, is rewritten in place before anything moves or
 * merges.  What base had is the remote's too, and stays.
 */
static int follow_renumbers(struct ctx *c, const char *base, const struct change *ours,
			    size_t nours, const struct change *theirs, size_t ntheirs,
			    jerry_error *err)
{
	int rc = 0;
	for (size_t i = 0; i < nours && !rc && c->res->nrenumbered > c->round_first; i++) {
		int64_t num = jr_sync_item_num(ours[i].path);
		const struct change *th = jr_sync_find_change(theirs, ntheirs, ours[i].path);
		jerry_item *it = NULL, *was = NULL;
		char *bt = NULL, *text = NULL;
		size_t bl = 0, len = 0;
		int any = 0, ch = 0;
		if (!num || !*ours[i].blob || (th && !strcmp(th->blob, ours[i].blob)))
			continue;
		if ((rc = read_item(&it, c, num, err)) ||
		    (rc = jr_sync_tree_text(&bt, &bl, c, base, ours[i].path, err)) ||
		    (bl && (rc = jr_codec_parse_item(&was, bt, bl, ours[i].path, 0, err))))
			goto next;
		for (size_t k = c->round_first; k < c->res->nrenumbered && !rc; k++) {
			rc = jr_item_follow_renumber(&ch, it, was, c->res->renumbered[k].from,
						     c->res->renumbered[k].to);
			any |= ch;
		}
		if (rc) {
			rc = jr_error(err, rc, "out of memory");
			goto next;
		}
		if (any) {
			if (!(text = jr_codec_item_text(it, &len)))
				rc = jr_error(err, JERRY_ENOMEM, "out of memory");
			else
				rc = jr_sync_write_record(c, ours[i].path, text, len, err);
		}
next:
		free(text);
		free(bt);
		jerry_item_free(was);
		jerry_item_free(it);
	}
	return rc;
}

/*
 * A file a sync is about to publish or take must be one `jerry check`
 * finds clean: items/WORK-NNN.json holding item NNN, or history/WORK-NNN.jsonl
 * (merged line by line, so any text).  Anything else is JERRY_ECORRUPT
 * naming it (where: "origin's" or the data directory), and the sync stops
 * before it publishes or writes anything: a damaged file taken in would
 * fail check in every clone.  Only the files of a round's diffs are
 * looked at, so the cost follows what changed.
 */
static int record_ok(struct ctx *c, const char *path, const char *text, size_t len, int incoming,
		     jerry_error *err)
{
	char where[PATH_MAX + 256], want[64];
	int64_t num = jr_merge_path_num(path);
	int item = !strncmp(path, "items/", 6), hist = !strncmp(path, "history/", 8);
	jerry_item *it = NULL;
	int rc;
	if (incoming)
		snprintf(where, sizeof(where), "%s's %s", c->remote, path);
	else
		snprintf(where, sizeof(where), "%s/%s", c->st->dir, path);
	if (num) {
		char id[24];
		jerry_id_format(id, sizeof(id), num);
		snprintf(want, sizeof(want), "%s/%s.json%s", item ? "items" : "history", id,
			 item ? "" : "l");
	}
	if (!num || (!item && !hist) || strcmp(path, want)) {
		rc = jr_error(err, JERRY_ECORRUPT, "cannot sync: '%s' is not a file of the record",
			      where);
	} else if (!item || !(rc = jr_codec_parse_item(&it, text, len, where, num, err))) {
		jerry_item_free(it);
		return 0;
	}
	if (err)
		snprintf(err->path, sizeof(err->path), "%s", where);
	if (incoming)
		jr_error_hint(err, "nothing was taken or published; fix it in the clone that published "
				   "it, then sync again");
	else
		jr_error_hint(err, "nothing was published; 'jerry check' explains: fix, restore or "
				   "remove the file, then sync again");
	return rc;
}

/* This copy's changes since the last sync (tree `from`, "" for none) are all the record's. */
static int outgoing_ok(struct ctx *c, const char *from, const char *to, jerry_error *err)
{
	struct change *v = NULL;
	size_t n = 0;
	int rc = jr_sync_diff_trees(&v, &n, c, from, to, err);
	for (size_t i = 0; i < n && !rc; i++) {
		char *text = NULL;
		size_t len = 0;
		if (!*v[i].blob)
			continue;
		if (!(rc = jr_sync_blob_text(&text, &len, c, v[i].blob, err)))
			rc = record_ok(c, v[i].path, text, len, 0, err);
		free(text);
	}
	jr_sync_changes_free(v, n);
	return rc;
}

/* Apply the remote's changes since base to the files; *changed when any. */
static int apply_remote(struct ctx *c, const char *base, const char *local, const char *remote,
			int64_t *high, jerry_error *err)
{
	struct change *ours = NULL, *theirs = NULL;
	size_t nours = 0, ntheirs = 0;
	int rc;
	if ((rc = jr_sync_diff_trees(&ours, &nours, c, base, local, err)) ||
	    (rc = jr_sync_diff_trees(&theirs, &ntheirs, c, base, remote, err)))
		goto out;
	/* Numbers the remote uses: a renumbered item goes above all of them. */
	for (size_t i = 0; i < ntheirs; i++) {
		int64_t n = jr_sync_item_num(theirs[i].path);
		if (n > *high)
			*high = n;
	}
	c->round_first = c->res->nrenumbered;
	/* Renumber first, so that every reference is followed before anything merges. */
	if ((rc = plan_renumbers(c, ours, nours, theirs, ntheirs, high, err)) ||
	    (rc = follow_renumbers(c, base, ours, nours, theirs, ntheirs, err)))
		goto out;
	for (size_t k = c->round_first; k < c->res->nrenumbered && !rc; k++)
		rc = renumber(c, c->res->renumbered[k].from, c->res->renumbered[k].to, err);
	/* Items first: a renumbering moves this copy's history before the remote's lands. */
	for (int pass = 0; pass < 2 && !rc; pass++) {
		for (size_t i = 0; i < ntheirs && !rc; i++) {
			const char *path = theirs[i].path;
			int is_item = !strncmp(path, "items/", 6);
			if (is_item != (pass == 0) || !*theirs[i].blob)
				continue;
			const struct change *mine = jr_sync_find_change(ours, nours, path);
			char *t[3] = { NULL, NULL, NULL }, *merged = NULL;
			size_t l[3] = { 0, 0, 0 }, mlen = 0;
			jerry_merge_result m;
			c->res->incoming++;
			if (mine && !strcmp(mine->blob, theirs[i].blob))
				continue;
			/* Nothing the remote changed is taken unless check would find it clean. */
			if ((rc = jr_sync_blob_text(&t[2], &l[2], c, theirs[i].blob, err)) ||
			    (rc = record_ok(c, path, t[2], l[2], 1, err)))
				goto next;
			if (!mine) {
				rc = jr_sync_write_record(c, path, t[2], l[2], err);
				goto next;
			}
			/* This copy's side as it is now: a renumbering may have rewritten it. */
			if ((rc = jr_sync_tree_text(&t[0], &l[0], c, base, path, err)) ||
			    (rc = (is_item ? read_record(&t[1], &l[1], c, path, err)
					   : jr_sync_blob_text(&t[1], &l[1], c, mine->blob, err))))
				goto next;
			if (is_item && renumbered(c, jr_sync_item_num(path))) {
				/* Two items under one number: the published one keeps it. */
				if ((rc = jr_sync_write_record(c, path, t[2], l[2], err)))
					goto next;
				char hpath[64];
				char *ht = NULL;
				size_t hl = 0;
				snprintf(hpath, sizeof(hpath), "history/%s", path + 6);
				snprintf(hpath + strlen(hpath), sizeof(hpath) - strlen(hpath), "l");
				if (!(rc = jr_sync_tree_text(&ht, &hl, c, remote, hpath, err)))
					rc = jr_sync_write_record(c, hpath, ht, hl, err);
				free(ht);
				goto next;
			}
			/* The history of an item renumbered above is the remote's now. */
			if (!is_item && renumbered(c, jr_merge_path_num(path)))
				goto next;
			{
				const char *const tt[3] = { t[0], t[1], t[2] };
				if ((rc = jr_merge_text(&merged, &mlen, &m, tt, l, path, jr_merge_now(), err)))
					goto next;
			}
			if (m.changed && (rc = jr_sync_write_record(c, path, merged, mlen, err)))
				goto next;
			if (is_item && (rc = push_merged(c->res, &m)))
				rc = jr_error(err, rc, "out of memory");
next:
			free(merged);
			for (int k = 0; k < 3; k++)
				free(t[k]);
		}
	}
out:
	jr_sync_changes_free(ours, nours);
	jr_sync_changes_free(theirs, ntheirs);
	return rc;
}

static int highest_local(int64_t *high, struct ctx *c, jerry_error *err)
{
	int64_t *nums = NULL;
	size_t n = 0;
	int rc = jr_store_list_item_files(&nums, &n, c->st, err);
	if (!rc && n && nums[n - 1] > *high)
		*high = nums[n - 1];
	free(nums);
	return rc;
}

/* Step 3, under every item lock: commit here, merge the remote in, commit. */
static int merge_round(char *head, size_t size, struct ctx *c, const char *remote_oid,
		       jerry_error *err)
{
	char tree[OID_MAX], last[OID_MAX], local[OID_MAX], base[OID_MAX] = "", rtree[OID_MAX];
	int rc, status;
	char *out = NULL;
	/*
	 * The history entries index.log holds go into their files first: the
	 * snapshot must have them.  The index itself is left alone: a sync that
	 * brings nothing in costs nothing there.
	 */
	/* Another sync that died past its commit point while this one waited: finish it first. */
	jr_stage_settle_syncs_held(c->st);
	if ((rc = jr_index_settle_history_held(c->st, err)))
		return rc;
	/* An index left missing (by a roll-forward that failed, say) is rebuilt by this one. */
	{
		uint64_t gen;
		off_t snap_size;
		c->stale = jr_ix_snapshot_generation(c->st, &gen, &snap_size, NULL) == JERRY_ECORRUPT;
	}
	if ((rc = jr_sync_snapshot(tree, sizeof(tree), c, NULL, err)) ||
	    (rc = jr_sync_ref_oid(last, sizeof(last), c, c->data_ref, err)))
		return rc;
	/* This copy's changes since the last sync, as a commit of their own. */
	snprintf(local, sizeof(local), "%s", last);
	char ltree[OID_MAX] = "";
	if (*last) {
		char spec[OID_MAX + 8];
		snprintf(spec, sizeof(spec), "%s^{tree}", last);
		if ((rc = jr_sync_git_line(ltree, sizeof(ltree), c,
					   (const char *const[]){"rev-parse", spec, NULL}, NULL,
					   NULL, err)))
			return rc;
	}
	if (strcmp(ltree, tree)) {
		const char *args[] = {"commit-tree", tree, "-m", "jerry sync: changes here",
				      *last ? "-p" : NULL, last, NULL};
		/* Nothing is committed, let alone published, that check would not find clean. */
		if ((rc = outgoing_ok(c, ltree, tree, err)) || (rc = jr_sync_git(c, args, &out, err)))
			return rc;
		snprintf(local, sizeof(local), "%.*s", (int)strcspn(out, "\n"), out);
		free(out);
		out = NULL;
		c->res->outgoing = 1;
	}
	if (!*remote_oid || (*local && !strcmp(local, remote_oid))) {
		snprintf(head, size, "%s", local);
		goto update;
	}
	if (*local) {
		/* No common commit (two first syncs) is no error: base stays "". */
		jerry_error scratch;
		jerry_error_clear(&scratch);
		if (jr_sync_git_line(base, sizeof(base), c,
				     (const char *const[]){"merge-base", local, remote_oid, NULL}, NULL,
				     &status, &scratch))
			base[0] = '\0';
		if (!strcmp(base, remote_oid)) {
			/* The remote has nothing this copy lacks. */
			snprintf(head, size, "%s", local);
			goto update;
		}
	}
	char spec[OID_MAX + 8];
	snprintf(spec, sizeof(spec), "%s^{tree}", remote_oid);
	if ((rc = jr_sync_git_line(rtree, sizeof(rtree), c,
				   (const char *const[]){"rev-parse", spec, NULL}, NULL, NULL, err)))
		return rc;
	int64_t high = 0;
	/*
	 * Nothing of the merge is written before jr_sync_publish() (a git that failed
	 * to read a file, say, leaves the files and the index as they were);
	 * the index follows what it writes there.
	 */
	c->written.len = 0;
	if ((rc = highest_local(&high, c, err)) ||
	    (rc = apply_remote(c, base, tree, rtree, &high, err)) ||
	    (rc = jr_seq_raise_held(c->st, high, err)) || (rc = jr_sync_publish(c, err)))
		return rc;
	/* sequences.json is a hint: the next create skips every number whose file exists. */
	if ((rc = jr_sync_snapshot(tree, sizeof(tree), c, c->written.len ? c->written.buf : NULL, err)))
		return rc;
	if (*local && !strcmp(base, local) && !strcmp(tree, rtree)) {
		/* A fast-forward: this copy had nothing of its own. */
		snprintf(head, size, "%s", remote_oid);
		goto update;
	}
	{
		const char *args[] = {"commit-tree", tree, "-m", "jerry sync: merge", "-p", remote_oid,
				      *local ? "-p" : NULL, local, NULL};
		if ((rc = jr_sync_git(c, args, &out, err)))
			return rc;
		snprintf(head, size, "%.*s", (int)strcspn(out, "\n"), out);
		free(out);
		out = NULL;
	}
update:
	if (!*head)
		return 0;
	{
		const char *args[] = {"update-ref", "-m", "jerry sync", c->data_ref, head,
				      *last ? last : NULL, NULL};
		if ((rc = jr_sync_git(c, args, NULL, err)))
			return rc;
	}
	/* The index is rebuilt only when it was dropped (index_prepare). */
	return c->stale ? jr_index_rebuild_held(NULL, c->st, err) : 0;
}

/*
 * REMOTE must be one of the repository's remotes (no REMOTE: origin, as
 * git fetch and push take it).  A URL or a path would work once and then
 * name a tracking ref no refspec can spell; a repository without the
 * remote is told so, not left to ls-remote's "does not appear to be a git
 * repository".
 */
static int known_remote(struct ctx *c, int named, jerry_error *err)
{
	char *out = NULL;
	int status;
	int rc = jr_git_until(&status, &out, c->st, (const char *const[]){"remote", NULL}, NULL,
			      c->deadline, err);
	if (rc)
		return rc;
	int found = 0;
	for (char *line = out; line && *line && !found;) {
		size_t n = strcspn(line, "\n");
		found = n == strlen(c->remote) && !strncmp(line, c->remote, n);
		line = line[n] ? line + n + 1 : NULL;
	}
	free(out);
	if (found)
		return 0;
	if (!named) {
		rc = jr_error(err, JERRY_ENOTFOUND, "no remote named '%s' to sync with", c->remote);
		jr_error_hint(err, "name one: 'jerry sync REMOTE' ('git remote -v' lists them)");
		return rc;
	}
	rc = jr_error(err, JERRY_ENOTFOUND, "'%s' is not a remote of this repository", c->remote);
	jr_error_hint(err, "sync takes a remote's name: add it with 'git remote add NAME URL' "
			   "('git remote -v' lists them)");
	return rc;
}

/*
 * The ref the store's record lives on, here and on every remote: the store
 * at the top of the work tree (.jerry/data) has refs/jerry/data; any other
 * has refs/jerry/stores/PATH, PATH its directory relative to the top of the
 * work tree with every byte but [A-Za-z0-9_-] written %XX - one component
 * that git check-ref-format takes, the same in every clone, and never the
 * prefix of another store's ref.  Its tracking ref is the same under
 * refs/jerry/remotes/REMOTE/.  A store outside the work tree has no path
 * every clone shares: it is refused.
 */
static int store_refs(struct ctx *c, jerry_error *err)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = NULL, enc[sizeof(c->data_ref) - 32];
	int status;
	size_t n = 0;
	int rc = jr_git_until(&status, &out, c->st,
			      (const char *const[]){"rev-parse", "--is-inside-work-tree",
						    "--show-prefix", NULL},
			      NULL, c->deadline, err);
	if (rc)
		return rc;
	if (strncmp(out, "true\n", 5)) {
		free(out);
		rc = jr_error(err, JERRY_ESTORAGE, "cannot sync '%s': it is not in a git work tree",
			      c->st->dir);
		jr_error_hint(err, "a store syncs from the work tree of a clone, where every clone has it");
		return rc;
	}
	const char *prefix = out + 5;
	size_t len = strcspn(prefix, "\n");
	while (len && prefix[len - 1] == '/')
		len--;
	if (len == strlen(".jerry/data") && !strncmp(prefix, ".jerry/data", len)) {
		free(out);
		snprintf(c->data_ref, sizeof(c->data_ref), "refs/jerry/data");
		snprintf(c->remote_ref, sizeof(c->remote_ref), "refs/jerry/remotes/%s/data", c->remote);
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)prefix[i];
		int keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			   (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
		if (n + (keep ? 1 : 3) >= sizeof(enc)) {
			free(out);
			return jr_error(err, JERRY_ESTORAGE, "cannot sync '%s': its path is too long "
					"for a ref", c->st->dir);
		}
		if (keep) {
			enc[n++] = (char)ch;
		} else {
			enc[n++] = '%';
			enc[n++] = hex[ch >> 4];
			enc[n++] = hex[ch & 15];
		}
	}
	enc[n] = '\0';
	free(out);
	if (!n)
		return jr_error(err, JERRY_ESTORAGE, "cannot sync '%s': a store at the top of the "
				"work tree has no path every clone shares", c->st->dir);
	snprintf(c->data_ref, sizeof(c->data_ref), "refs/jerry/stores/%s", enc);
	snprintf(c->remote_ref, sizeof(c->remote_ref), "refs/jerry/remotes/%s/stores/%s", c->remote,
		 enc);
	return 0;
}

/*
 * One sync of a store at a time (locks/sync.lock byte 0, held from before
 * ls-remote to the end): two at once fetched into one tracking ref and git
 * refused the second ("cannot lock ref ... is at X but expected Y").  The
 * second waits, within its own time limit, then does a round of its own.
 * A kernel lock, so a killed sync leaves nothing to clean up.  It comes
 * before every other lock of the store, and holds none of them while it
 * waits.
 */
static int sync_lock(int *fd, struct ctx *c, jerry_error *err)
{
	char path[PATH_MAX + 32];
	jr_lock_wait w = c->st->wait;
	int64_t left = c->deadline ? jr_io_left_ms(c->deadline) : INT_MAX;
	jr_store_path(path, sizeof(path), c->st, "locks/sync.lock");
	*fd = jr_io_openat(c->st->dirfd, "locks/sync.lock",
			   O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (*fd < 0)
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot open '%s'", path);
	w.turns = -1;
	w.timeout_ms = left > INT_MAX ? INT_MAX : left > 0 ? (int)left : 1;
	int rc = jr_lock_take(*fd, 0, 1, &w, "another sync of this store", path, err);
	if (rc == JERRY_ELOCKED) {
		rc = jr_error(err, JERRY_ELOCKED, "cannot sync: another 'jerry sync' of '%s' was "
			      "still running when the time limit ran out", c->st->dir);
		jr_error_hint(err, "nothing changed here; run 'jerry sync' again when it is done, "
				   "or give it longer (--timeout)");
	}
	return rc;
}

int jr_sync(jerry_sync_result **out, jerry_store *st, const char *remote, int64_t timeout_ms,
	    jerry_error *err)
{
	struct ctx c;
	char path[PATH_MAX + 32], *ls = NULL;
	int rc, status, lockfd = -1, kept = 0;
	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.cat = (jr_git_batch)JR_GIT_BATCH_INIT;
	c.st = st;
	c.deadline = timeout_ms > 0 ? jr_io_now_ms() + timeout_ms : 0;
	c.cat.deadline = c.deadline;
	c.remote = remote && *remote ? remote : "origin";
	if (strchr(c.remote, '\'') || c.remote[0] == '-' || strlen(c.remote) > 200)
		return jr_error(err, JERRY_EINVALID, "'%s' is not a remote's name", c.remote);
	if (!(c.res = calloc(1, sizeof(*c.res))))
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	snprintf(c.res->remote, sizeof(c.res->remote), "%s", c.remote);
	if ((rc = jr_sync_git_line(c.gitdir, sizeof(c.gitdir), &c,
			   (const char *const[]){"rev-parse", "--absolute-git-dir", NULL}, NULL, NULL,
			   err)) ||
	    (rc = jr_store_writable(st, err)) || (rc = jr_store_tmpdir(st, err)) ||
	    (rc = sync_lock(&lockfd, &c, err)))
		goto out;
	if ((rc = known_remote(&c, remote && *remote, err)) || (rc = store_refs(&c, err)))
		goto out;
	snprintf(c.env_index, sizeof(c.env_index), "GIT_INDEX_FILE=%s/tmp/sync-index", st->dir);
	snprintf(c.env_tree, sizeof(c.env_tree), "GIT_WORK_TREE=%s", st->dir);
	snprintf(c.env_dir, sizeof(c.env_dir), "GIT_DIR=%s", c.gitdir);
	jr_store_path(path, sizeof(path), st, "locks/items.lock");
	for (int round = 0; round < SYNC_ROUNDS; round++) {
		char roid[OID_MAX] = "", head[OID_MAX] = "";
		c.res->rounds = round + 1;
		/* 1, 2: what the remote has; an unreachable one changes nothing here. */
		free(ls);
		ls = NULL;
		if ((rc = jr_git_until(&status, &ls, st,
				       (const char *const[]){"ls-remote", "--", c.remote,
							     c.data_ref, NULL},
				       NULL, c.deadline, err))) {
			jr_error_hint(err, "nothing changed here; check the remote and run 'jerry sync' again");
			goto out;
		}
		if (*ls) {
			char spec[1100];
			snprintf(spec, sizeof(spec), "+%s:%s", c.data_ref, c.remote_ref);
			if ((rc = jr_git_until(&status, NULL, st,
					       (const char *const[]){"fetch", "-q", "--no-tags", "--",
								     c.remote, spec, NULL},
					       NULL, c.deadline, err)) ||
			    (rc = jr_sync_ref_oid(roid, sizeof(roid), &c, c.remote_ref, err)))
				goto out;
		}
		/*
		 * 3: under every item lock, so no write lands between snapshot and
		 * merge; and the sequence lock before them (store.h), so no create
		 * holds a number the merge is about to write.
		 */
		if ((rc = jr_seq_lock(st, err)))
			goto out;
		if ((rc = jr_lock_take(st->lock_items, 1, 0, &st->wait, "every item", path, err))) {
			jr_seq_unlock(st);
			goto out;
		}
		rc = merge_round(head, sizeof(head), &c, roid, err);
		jr_sync_pending_free(&c); /* published, or nothing of it happened */
		jr_git_batch_end(&c.cat);
		jr_lock_drop(st->lock_items, 1, 0);
		jr_seq_unlock(st);
		if (rc)
			goto out;
		kept = 1;
		snprintf(c.res->commit, sizeof(c.res->commit), "%s", head);
		if (!*head || !strcmp(head, roid)) {
			rc = 0;
			goto out;
		}
		/* 4: never forced; a remote that moved rejects it, and we go again. */
		char spec[1100];
		snprintf(spec, sizeof(spec), "%s:%s", head, c.data_ref);
		if (!(rc = jr_git_until(&status, NULL, st,
					(const char *const[]){"push", "-q", "--", c.remote, spec, NULL},
					NULL, c.deadline, err))) {
			c.res->pushed = 1;
			/*
			 * As git push moves a tracking ref, so the next sync finds it
			 * current.  Failing that loses nothing: that sync fetches it.
			 */
			jerry_error scratch;
			jerry_error_clear(&scratch);
			(void)jr_sync_git(&c, (const char *const[]){"update-ref", "-m", "jerry sync: pushed",
							  c.remote_ref, head, NULL},
				      NULL, &scratch);
			goto out;
		}
		if (!jr_io_left_ms(c.deadline))
			goto out;
		/* Rejected because the remote moved meanwhile: fetch and merge again. */
		char now[OID_MAX] = "";
		jerry_error scratch;
		jerry_error_clear(&scratch);
		free(ls);
		ls = NULL;
		if (jr_git_until(&status, &ls, st,
				 (const char *const[]){"ls-remote", "--", c.remote, c.data_ref, NULL},
				 NULL, c.deadline, &scratch) ||
		    (snprintf(now, sizeof(now), "%.*s", (int)strcspn(ls, "\t\n"), ls), !strcmp(now, roid)))
			goto out;
		jerry_error_clear(err);
	}
	rc = jr_error(err, JERRY_ECONFLICT, "cannot push to '%s': it moved %d times while we merged",
		      c.remote, SYNC_ROUNDS);
	jr_error_hint(err, "run 'jerry sync' again");
out:
	if (lockfd >= 0)
		jr_io_close(lockfd); /* the lock goes with it */
	free(ls);
	jr_git_batch_end(&c.cat);
	jr_sb_release(&c.written);
	if (rc && !kept) {
		jerry_sync_result_free(c.res);
		return rc;
	}
	/*
	 * A failure after a merge (the push refused, or out of time, or the
	 * remote moving every round) leaves this copy merged: the caller gets
	 * what came in and what was renumbered all the same.
	 */
	if (rc)
		jr_error_hint(err, "this copy keeps the merge; the next 'jerry sync' pushes it");
	*out = c.res;
	return rc;
}

void jerry_sync_result_free(jerry_sync_result *r)
{
	if (!r)
		return;
	free(r->merged);
	free(r->renumbered);
	free(r->problems);
	free(r);
}
