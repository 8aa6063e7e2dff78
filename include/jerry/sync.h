/*
 * jerry/sync.h - sharing the record across clones through git (ADR 0020).
 * Part of libjerry's public API: include "jerry/jerry.h", which includes
 * every part and says the conventions they all follow.
 */
#ifndef JERRY_SYNC_H
#define JERRY_SYNC_H

#include <stddef.h>
#include <stdint.h>
#include "jerry/check.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- sharing the record across clones (ADR 0020) ---------------------- */

/*
 * What a three-way merge of one file of the record did.  An item file
 * (items/WORK-NNN.json) merges field by field; a history file
 * (history/WORK-NNN.jsonl) keeps every entry of both sides once.
 */
typedef struct jerry_merge_result {
	char id[24];          /* the item the file is about, "WORK-012"        */
	int history;          /* 1: a history file; 0: an item file            */
	int changed;          /* ours was rewritten (0: ours was the result)   */
	int64_t version;      /* an item file: the merged version              */
	unsigned decided;     /* an item file: a bit per field both sides changed
				 apart, decided by a rule; jerry_merge_field() */
	size_t entries;       /* a history file: the entries it now holds      */
} jerry_merge_result;

/*
 * git's merge driver for the record (`jerry merge-file %O %A %B %P`): base,
 * ours and theirs are files, path the file's path in the tree, which says
 * what it is; the result replaces ours (temp file, fsync, rename).  Needs
 * no store.  JERRY_ECONFLICT when both sides created one number as two
 * items (ours is left as it was); JERRY_ECORRUPT for a side that is not
 * an item; JERRY_EINVALID for a path that is neither kind of file.
 */
int jerry_merge_file(jerry_merge_result *out, const char *base, const char *ours,
		     const char *theirs, const char *path, jerry_error *err);
/*
 * The name of the i-th field a merge can decide ("title", "status",
 * "claim" ...), for i from 0 while it is not NULL; bit (1u << i) of
 * jerry_merge_result.decided is that field.
 */
const char *jerry_merge_field(unsigned i);

/* What jerry_git_setup did. */
typedef struct jerry_git_setup_result {
	int config_changed;       /* merge.jerry.* set in the repository's config */
	int attributes_changed;   /* lines added to the data directory's .gitattributes */
	char attributes[4352];    /* that file's path */
	char hooks[4352];         /* the repository's hooks directory */
	/*
	 * Bit i: jerry_git_hook(i) was written (it rebuilds the index after
	 * git changed the record), or is the user's own, left alone, which
	 * lacks that line.
	 */
	unsigned hooks_written, hooks_foreign;
} jerry_git_setup_result;

/*
 * Install `jerry merge-file` as git's merge driver for the store's record:
 * merge.jerry.driver in the repository's config, and `.gitattributes` in
 * the data directory (item and history files: merge=jerry), which
 * is committed with the record; and hooks that run `jerry reindex` after
 * git changed the record (post-merge, post-checkout, post-rewrite), where
 * the repository has none of its own (one an older setup wrote is brought
 * up to date); a hook finds the store from its work tree, never by an
 * absolute path, and never fails git's command.  Everything that could
 * refuse is checked before anything is written.  Idempotent.  Runs git:
 * JERRY_ESTORAGE when git cannot be run or the store is not in a git
 * repository; JERRY_EINVALID when the store is outside its work tree.
 */
int jerry_git_setup(jerry_git_setup_result *out, jerry_store *store, jerry_error *err);
/* "post-merge", "post-checkout", "post-rewrite", then NULL. */
const char *jerry_git_hook(unsigned i);

/* An item this copy had under a number the remote published another item under. */
typedef struct jerry_sync_renumber {
	int64_t from, to;         /* WORK-042 -> WORK-057                        */
	uint64_t uid;             /* the renumbered item's uid                   */
} jerry_sync_renumber;

/* What a jerry_sync did. */
typedef struct jerry_sync_result {
	char remote[208];
	char commit[72];          /* refs/jerry/data now ("" when nothing to share) */
	int rounds;               /* fetch-merge-push rounds (a rejected push: one more) */
	int pushed;               /* the remote got this copy's changes          */
	int outgoing;             /* this copy had changes since its last sync   */
	size_t incoming;          /* files of the record the remote changed      */
	jerry_merge_result *merged; /* items both sides changed, merged by the rules */
	size_t nmerged;
	jerry_sync_renumber *renumbered;
	size_t nrenumbered;
	/*
	 * After a merge that brought anything in: what it made that no command
	 * would - kind "dependency_cycle" or "parent_rule", path the item's ID,
	 * the message as jerry check words it.  Reported, never repaired: which
	 * link goes is a person's decision (jerry dep remove, update --parent).
	 */
	jerry_problem *problems;
	size_t nproblems;
} jerry_sync_result;

/*
 * Share the record with a git remote (NULL: "origin") on refs/jerry/data:
 * fetch, merge (the rules of jerry_merge_file; an unpublished item under a
 * number the remote published is renumbered), commit, push - never forced,
 * a rejected push fetches and merges again (at most 5 rounds).  HEAD, the
 * user's index and working tree are never touched.  Holds every item lock
 * while it merges.  JERRY_ESTORAGE when git fails or the remote cannot be
 * reached: before the merge, nothing changed here and *out is NULL; after
 * it (the push refused, out of time), this copy keeps the merge, *out says
 * what it did (pushed 0) and the caller frees it, and the next sync pushes
 * it.  JERRY_ECONFLICT, *out set as well, when the remote moved every round.
 */
int jerry_sync(jerry_sync_result **out, jerry_store *store, const char *remote, jerry_error *err);

/* A sync's default time limit: five minutes. */
#define JERRY_SYNC_TIMEOUT_MS (5LL * 60 * 1000)

typedef struct jerry_sync_options {
	const char *remote;       /* NULL: "origin"                              */
	/*
	 * Every git the sync runs must end by then, counted from the start:
	 * a git still running is stopped (SIGTERM, then SIGKILL) and the sync
	 * fails with JERRY_ESTORAGE - before its merge, nothing changed here;
	 * after it (a push that hung), this copy keeps the merge and the next
	 * sync pushes it.  < 0: JERRY_SYNC_TIMEOUT_MS; 0: no limit.
	 */
	int64_t timeout_ms;
} jerry_sync_options;

/* jerry_sync with options; jerry_sync is this with {remote, -1}. */
int jerry_sync_with(jerry_sync_result **out, jerry_store *store, const jerry_sync_options *opts,
		    jerry_error *err);
void jerry_sync_result_free(jerry_sync_result *result);

#ifdef __cplusplus
}
#endif
#endif
