/*
 * sync_git.c - a sync round's git (sync.c): every git it runs, in the
 * round's environment (the private index tmp/sync-index, the record as the
 * work tree, the repository) and under the sync's deadline; the record as a
 * tree; the changes between two trees; a file's content in git, read
 * through the round's `git cat-file --batch` (gitbatch.c).
 */
#define _GNU_SOURCE
#include "store.h"
#include "sync_round.h"
#include "io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ident[] = {
	"GIT_AUTHOR_NAME=jerry", "GIT_AUTHOR_EMAIL=jerry@localhost",
	"GIT_COMMITTER_NAME=jerry", "GIT_COMMITTER_EMAIL=jerry@localhost", NULL
};

/* git ARGS with its output's first line into oid (may be NULL); rc of jr_git. */
int jr_sync_git_line(char *line, size_t size, struct ctx *c, const char *const args[],
		     const char *const env[], int *status, jerry_error *err)
{
	char *out = NULL;
	int st;
	int rc = jr_git_until(status ? status : &st, line ? &out : NULL, c->st, args, env,
			      c->deadline, err);
	if (rc)
		return rc;
	if (line) {
		size_t n = strcspn(out, "\n");
		if (n >= size)
			n = size - 1;
		memcpy(line, out, n);
		line[n] = '\0';
		free(out);
	}
	return 0;
}

/* The environment every git of a round runs in: the private index, the record, the repository. */
#define SYNC_ENV(c)                                                                        \
	{ (c)->env_index, (c)->env_tree, (c)->env_dir, ident[0], ident[1], ident[2], ident[3], \
	  NULL }

/* git ARGS in the round's environment, input (may be NULL) on its standard input. */
static int git_feed(struct ctx *c, const char *const args[], const char *input, char **out,
		    jerry_error *err)
{
	const char *env[] = SYNC_ENV(c);
	int status;
	return jr_git_feed(&status, out, c->st, args, env, input, c->deadline, err);
}

int jr_sync_git(struct ctx *c, const char *const args[], char **out, jerry_error *err)
{
	return git_feed(c, args, NULL, out, err);
}

/*
 * The record as it is in the data directory, as a tree: *tree.  paths
 * (one a line, may be NULL): the only files changed since the last
 * snapshot of this round - the merge's, written under every item lock -
 * so that git looks at them alone instead of every file of the record.
 */
int jr_sync_snapshot(char *tree, size_t size, struct ctx *c, const char *paths, jerry_error *err)
{
	int rc;
	char *out = NULL;
	/*
	 * The private index's lock: only a sync holding every item lock runs
	 * git on that index, and this one does, so one that is there was left
	 * by a git killed with its sync.  Left alone, it would fail every sync
	 * after ("Unable to create .../tmp/sync-index.lock: File exists").
	 */
	if ((rc = jr_store_tmpdir(c->st, err)))
		return rc;
	if (jr_io_unlinkat(c->st->tmpfd, "sync-index.lock", 0) < 0 && errno != ENOENT)
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot remove '%s/tmp/sync-index.lock'",
				    c->st->dir);
	if (paths)
		rc = git_feed(c, (const char *const[]){"update-index", "--add", "--remove", "--stdin",
						       NULL},
			      paths, NULL, err);
	else
		rc = jr_sync_git(c, (const char *const[]){"add", "-A", "--", "items", "history", NULL},
			     NULL, err);
	if (rc || (rc = jr_sync_git(c, (const char *const[]){"write-tree", NULL}, &out, err)))
		return rc;
	snprintf(tree, size, "%.*s", (int)strcspn(out, "\n"), out);
	free(out);
	return 0;
}

/* The commit a ref names, or "" when there is none. */
int jr_sync_ref_oid(char *oid, size_t size, struct ctx *c, const char *ref, jerry_error *err)
{
	return jr_sync_git_line(oid, size, c,
			(const char *const[]){"for-each-ref", "--format=%(objectname)", ref, NULL},
			NULL, NULL, err);
}

void jr_sync_changes_free(struct change *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

int jr_sync_diff_trees(struct change **out, size_t *out_n, struct ctx *c, const char *from,
		       const char *to, jerry_error *err)
{
	/* The empty tree's id, for a first sync (no common commit). */
	char empty[OID_MAX];
	char *text = NULL;
	int rc;
	*out = NULL;
	*out_n = 0;
	if (!*from) {
		if ((rc = jr_sync_git(c, (const char *const[]){"hash-object", "-t", "tree", "/dev/null", NULL},
				  &text, err)))
			return rc;
		snprintf(empty, sizeof(empty), "%.*s", (int)strcspn(text, "\n"), text);
		free(text);
		text = NULL;
		from = empty;
	}
	if ((rc = jr_sync_git(c, (const char *const[]){"diff-tree", "-r", "--no-renames", from, to, NULL},
			  &text, err)))
		return rc;
	/* ":100644 100644 OLD NEW M\tpath" per line. */
	size_t n = 0, cap = 0;
	struct change *v = NULL;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *tab = strchr(line, '\t');
		char omode[16], nmode[16], oold[OID_MAX], onew[OID_MAX], kind[8];
		if (tab && sscanf(line, ":%15s %15s %64s %64s %7s", omode, nmode, oold, onew, kind) == 5) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				struct change *g = realloc(v, cap * sizeof(*g));
				if (!g) {
					rc = JERRY_ENOMEM;
					break;
				}
				v = g;
			}
			v[n].path = strdup(tab + 1);
			if (!v[n].path) {
				rc = JERRY_ENOMEM;
				break;
			}
			snprintf(v[n].blob, sizeof(v[n].blob), "%s", kind[0] == 'D' ? "" : onew);
			n++;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	if (rc) {
		jr_sync_changes_free(v, n);
		return jr_error(err, rc, "out of memory");
	}
	*out = v;
	*out_n = n;
	return 0;
}

const struct change *jr_sync_find_change(const struct change *v, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].path, path))
			return &v[i];
	return NULL;
}

/*
 * A file's content in git, through the round's cat-file (gitbatch.c):
 * the blob `name` names, "" when name is "" (no file), or when `missing_ok`
 * and git has none.
 */
static int git_text(char **out, size_t *len, struct ctx *c, const char *name, int missing_ok,
		    jerry_error *err)
{
	const char *env[] = SYNC_ENV(c);
	int rc;
	*out = NULL;
	*len = 0;
	if (*name && (rc = jr_git_batch_blob(out, len, &c->cat, c->st, env, name, err)))
		return rc;
	if (!*out && *name && !missing_ok)
		return jr_error(err, JERRY_ESTORAGE, "git has no object '%s' in '%s'", name, c->st->dir);
	if (!*out && !(*out = strdup("")))
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	return 0;
}

/* A blob's content ("" for an empty oid: no file). */
int jr_sync_blob_text(char **out, size_t *len, struct ctx *c, const char *oid, jerry_error *err)
{
	return git_text(out, len, c, oid, 0, err);
}

/* The content of path in a tree-ish ("" when it has none, or there is no tree-ish). */
int jr_sync_tree_text(char **out, size_t *len, struct ctx *c, const char *treeish, const char *path,
		      jerry_error *err)
{
	char name[OID_MAX + 256];
	if (*treeish && (size_t)snprintf(name, sizeof(name), "%s:%s", treeish, path) >= sizeof(name))
		return jr_error(err, JERRY_EINVALID, "'%s' is not a file of the record", path);
	return git_text(out, len, c, *treeish ? name : "", 1, err);
}


