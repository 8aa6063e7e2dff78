/*
 * sync_publish.c - the merge's writes of a jerry sync round (sync.c): each
 * file of the record the merge changes is kept (jr_sync_write_record) until
 * the whole merge is known, then staged, logged in the index (a put each
 * before the commit point, the oks after) and published all at once
 * (jr_sync_publish; sync_stage.c does the staging).
 */
#define _GNU_SOURCE
#include "store.h"
#include "sync_round.h"
#include "codec.h"
#include "../domain/domain.h"
#include "../util/array.h"
#include "../util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t jr_sync_item_num(const char *path)
{
	return strncmp(path, "items/", 6) ? 0 : jr_merge_path_num(path);
}

void jr_sync_pending_free(struct ctx *c)
{
	for (size_t i = 0; i < c->npend; i++) {
		free(c->pend[i].path);
		free(c->pend[i].text);
	}
	free(c->pend);
	c->pend = NULL;
	c->npend = 0;
}

struct pending *jr_sync_find_pending(const struct ctx *c, const char *path)
{
	for (size_t i = 0; i < c->npend; i++)
		if (!strcmp(c->pend[i].path, path))
			return &c->pend[i];
	return NULL;
}

/*
 * path (items/NAME or history/NAME) is to hold text: kept until the whole
 * merge is known, then staged and published at once (jr_sync_publish()).
 */
int jr_sync_write_record(struct ctx *c, const char *path, const char *text, size_t len,
			 jerry_error *err)
{
	struct pending *p = jr_sync_find_pending(c, path);
	char *copy = malloc(len + 1);
	if (!copy)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	memcpy(copy, text, len);
	copy[len] = '\0';
	if (!p) {
		struct pending *g = realloc(c->pend, (c->npend + 1) * sizeof(*g));
		char *name = strdup(path);
		if (!g || !name) {
			if (g)
				c->pend = g;
			free(name);
			free(copy);
			return jr_error(err, JERRY_ENOMEM, "out of memory");
		}
		c->pend = g;
		p = &c->pend[c->npend++];
		*p = (struct pending){ name, NULL, 0 };
	}
	free(p->text);
	p->text = copy;
	p->len = len;
	return 0;
}

/* The text item num's history file gets from the merge, or NULL when it keeps its own. */
static const char *pending_history(void *arg, int64_t num, size_t *len)
{
	char id[24], rel[64];
	jerry_id_format(id, sizeof(id), num);
	snprintf(rel, sizeof(rel), "history/%s.jsonl", id);
	const struct pending *p = jr_sync_find_pending(arg, rel);
	*len = p ? p->len : 0;
	return p ? p->text : NULL;
}

/*
 * Before the merge replaces any file, the index made ready to follow it as
 * any write's does (FORMAT.md, "index.log"): *items, the item files' new
 * summaries, get their puts before the stage's commit point and their oks
 * after the renames; so a merge costs the index what it brought in.  A
 * history entry of the log that the merge's history file for its item
 * lacks (a renumbered item's old number goes to the remote's item) would
 * be read, or written back, into another item's history: a fresh log
 * first (a compaction, reading no item file).  The index is dropped, and
 * rebuilt once the merge is in (c->stale), when it is missing already,
 * when that compaction fails, or when an item of the merge does not parse
 * (a rebuild leaves it out; jerry check reports it).
 */
static int index_prepare(jerry_item ***items, size_t *n, struct ctx *c, jerry_error *err)
{
	size_t cap = 0;
	int rc = 0, lacks = 0, drop = 0;
	jerry_error scratch;
	*items = NULL;
	*n = 0;
	if (c->stale)
		return 0;
	for (size_t i = 0; i < c->npend && !drop; i++) {
		int64_t num = jr_sync_item_num(c->pend[i].path);
		if (!num)
			continue;
		if (JR_ARRAY_GROW(*items, *n + 1, cap)) {
			rc = jr_error(err, JERRY_ENOMEM, "out of memory");
			break;
		}
		rc = jr_codec_parse_item(&(*items)[*n], c->pend[i].text, c->pend[i].len,
					 c->pend[i].path, num, &scratch);
		if (rc == JERRY_ENOMEM) {
			jr_error_pass(err, &scratch);
			break;
		}
		if (!rc)
			(*n)++;
		drop = rc != 0;
		rc = 0;
	}
	if (!rc && !drop &&
	    !(rc = jr_history_log_lacking(&lacks, c->st, pending_history, c, err)) && lacks)
		drop = jr_index_compact_held(c->st, &scratch) != 0;
	if (!rc && !drop)
		return 0;
	for (size_t i = 0; i < *n; i++)
		jerry_item_free((*items)[i]);
	free(*items);
	*items = NULL;
	*n = 0;
	if (rc)
		return rc;
	c->stale = 1;
	return jr_index_drop_held(c->st, err);
}

/*
 * Every write of the merge, all or nothing: staged whole in a directory of
 * its own, committed, then renamed over the files (sync_stage.c).  A kill
 * before the commit point leaves the files as they were; after it, the next
 * jerry process to open the store finishes the publishing.
 */
int jr_sync_publish(struct ctx *c, jerry_error *err)
{
	jr_stage sg;
	jerry_item **items = NULL;
	size_t nitems = 0;
	int rc, aside = 0;
	if (!c->npend)
		return 0;
	if ((rc = index_prepare(&items, &nitems, c, err)) ||
	    (rc = jr_stage_open_as(&sg, c->st, JR_SYNC_STAGE_PREFIX, err)))
		goto out;
	for (size_t i = 0; i < c->npend && !rc; i++)
		rc = jr_sync_stage_write(&sg, c->st, c->pend[i].path, c->pend[i].text, c->pend[i].len,
					 err);
	/*
	 * Every put durable before the commit point, from which on the files
	 * may be replaced: until its ok, readers take each entry from its file,
	 * old or new.  A roll-forward of this stage drops the index anyway.
	 */
	if (!rc && nitems)
		rc = jr_index_put_many(c->st, (const jerry_item *const *)items, NULL, NULL, nitems,
				       err);
	/*
	 * From the commit point until the files are in, index.json waits in
	 * the stage: a program that holds the store open and writes then - or
	 * after this sync died - rebuilds it first, which rolls the stage
	 * forward, so it never writes a file the stage is to replace.
	 */
	if (!rc && nitems && !(rc = jr_index_aside(c->st, sg.fd, JR_SYNC_STAGE_INDEX, 0, err)))
		aside = 1;
	if (!rc && !(rc = jr_stage_commit(&sg, c->st, err)))
		rc = jr_sync_stage_publish(c->st, sg.fd, err);
	/* Committed and not all in: it stays away, for the roll-forward's rebuild. */
	if (aside && (!rc || !sg.committed)) {
		jerry_error ignored;
		int back = jr_index_aside(c->st, sg.fd, JR_SYNC_STAGE_INDEX, 1,
					  rc ? &ignored : err);
		if (!rc)
			rc = back;
	}
	jr_stage_close(&sg, c->st, rc != 0);
	if (!rc && nitems) {
		jerry_error ignored; /* the files are in place: a failed ok only leaves puts to settle */
		(void)jr_index_confirm_many(c->st, (const jerry_item *const *)items, nitems, &ignored);
	}
	for (size_t i = 0; i < c->npend && !rc; i++)
		if (jr_sb_add(&c->written, c->pend[i].path, strlen(c->pend[i].path)) ||
		    jr_sb_add(&c->written, "\n", 1))
			rc = jr_error(err, JERRY_ENOMEM, "out of memory");
	if (!rc)
		jr_sync_pending_free(c);
out:
	for (size_t i = 0; i < nitems; i++)
		jerry_item_free(items[i]);
	free(items);
	return rc;
}
