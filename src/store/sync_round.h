/*
 * sync_round.h - between sync.c (a round: fetch, merge, commit, push),
 * sync_git.c (the round's git: trees, changes, file contents) and
 * sync_publish.c (the merge's writes, staged and published at once).
 * Private to those three files.
 */
#ifndef JR_SYNC_ROUND_H
#define JR_SYNC_ROUND_H

#include "store.h"
#include "../util/strbuf.h"

#include <limits.h>
#include <stdint.h>

#define OID_MAX 65

struct ctx {
	jerry_store *st;
	const char *remote;
	char gitdir[PATH_MAX];
	char data_ref[512];        /* the store's ref: refs/jerry/data, refs/jerry/stores/... */
	char remote_ref[512];      /* its tracking ref under refs/jerry/remotes/REMOTE/ */
	char env_index[PATH_MAX + 32];
	char env_tree[PATH_MAX + 32];
	char env_dir[PATH_MAX + 32];
	jerry_sync_result *res;
	int stale;                 /* index.json dropped: rebuild it */
	/*
	 * res->renumbered[round_first..]: this round's renumberings.  A push
	 * the remote rejected starts a new round over files an earlier round
	 * already moved; its renumberings are done and must not be done again.
	 */
	size_t round_first;
	struct pending *pend;      /* the merge's writes, staged at its end */
	size_t npend;
	jr_git_batch cat;          /* this round's reads of files in git */
	struct jr_sb written;      /* the merge's paths, one a line: the second snapshot's */
	int64_t deadline;          /* every git of the sync ends by then (0: no limit) */
};

/* A file of the record as the merge leaves it: written all at once, or not at all. */
struct pending {
	char *path;
	char *text;
	size_t len;
};

/* Drop every kept write (after a publish, or when the round failed). */
void jr_sync_pending_free(struct ctx *c);
/* The write kept for path, or NULL. */
struct pending *jr_sync_find_pending(const struct ctx *c, const char *path);
/* path (items/NAME or history/NAME) is to hold text: kept until jr_sync_publish. */
int jr_sync_write_record(struct ctx *c, const char *path, const char *text, size_t len,
			 jerry_error *err);
/* Every kept write staged, logged in the index and published, all or nothing. */
int jr_sync_publish(struct ctx *c, jerry_error *err);
/* 7 for "items/WORK-007.json"; 0 for any other path. */
int64_t jr_sync_item_num(const char *path);

/* A list of paths whose blob differs between two trees (from may be ""). */
struct change {
	char *path;
	char blob[OID_MAX];        /* in `to`; "" when deleted */
};

/*
 * git ARGS in the round's environment; its output's first line into line
 * (may be NULL), its wait status into *status (may be NULL).
 */
int jr_sync_git_line(char *line, size_t size, struct ctx *c, const char *const args[],
		     const char *const env[], int *status, jerry_error *err);
/* git ARGS in the round's environment, its output into *out (may be NULL). */
int jr_sync_git(struct ctx *c, const char *const args[], char **out, jerry_error *err);
/*
 * The record as it is in the data directory, as a tree: *tree.  paths (one
 * a line, may be NULL): the only files changed since the round's last
 * snapshot, so that git looks at them alone.
 */
int jr_sync_snapshot(char *tree, size_t size, struct ctx *c, const char *paths, jerry_error *err);
/* The commit a ref names, or "" when there is none. */
int jr_sync_ref_oid(char *oid, size_t size, struct ctx *c, const char *ref, jerry_error *err);
/* The paths whose blob differs between two trees (from may be ""): *out, *out_n. */
int jr_sync_diff_trees(struct change **out, size_t *out_n, struct ctx *c, const char *from,
		       const char *to, jerry_error *err);
void jr_sync_changes_free(struct change *v, size_t n);
const struct change *jr_sync_find_change(const struct change *v, size_t n, const char *path);
/* A blob's content ("" for an empty oid: no file). */
int jr_sync_blob_text(char **out, size_t *len, struct ctx *c, const char *oid, jerry_error *err);
/* The content of path in a tree-ish ("" when it has none, or there is no tree-ish). */
int jr_sync_tree_text(char **out, size_t *len, struct ctx *c, const char *treeish,
		      const char *path, jerry_error *err);

#endif
