/*
 * gitsetup.c - jerry git setup: make git merge the record with jerry.
 *
 * Two things, both idempotent: the driver in the repository's own config
 * (`merge.jerry.driver = jerry merge-file %O %A %B %P`, which git keeps
 * out of every commit, so each clone runs it once), and `.gitattributes`
 * in the data directory, which routes item files and history files to
 * that driver and is committed with the record, so every clone's merges
 * use it once its config has the driver.  git is run, never its files
 * edited: `git config` knows the repository's layout (worktrees, includes)
 * and its own locking.
 */
#define _GNU_SOURCE
#include "store.h"
#include "io.h"
#include "lock.h"
#include "../domain/domain.h"
#include "../util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* What jerry reads of one git command's output: a sync's diff of a big store is megabytes. */
#define GIT_OUTPUT_MAX (256u * 1024 * 1024)

static const char driver[] = "jerry merge-file %O %A %B %P";
static const char driver_name[] = "jerry: the record merged field by field (doc/adr/0020)";

static const char attr_lines[] =
	"items/*.json merge=jerry\n"
	"history/*.jsonl merge=jerry\n";

static const char attr_head[] =
	"# Written by 'jerry git setup': git merges the record with 'jerry merge-file'\n"
	"# (doc/adr/0020-sharing-across-clones.md).\n";

void jr_git_argv(const char *argv[JR_GIT_ARGV_MAX], jerry_store *st, const char *const args[])
{
	size_t n = 0;
	argv[n++] = "git";
	argv[n++] = "-C";
	argv[n++] = st->dir;
	while (*args && n < JR_GIT_ARGV_MAX - 1)
		argv[n++] = *args++;
	argv[n] = NULL;
}

int jr_git(int *status, char **out, jerry_store *st, const char *const args[],
	   const char *const env[], jerry_error *err)
{
	return jr_git_until(status, out, st, args, env, 0, err);
}

int jr_git_late(jerry_error *err, jerry_store *st, const char *what)
{
	return jr_error(err, JERRY_ESTORAGE, "'git %s' was stopped in '%s': the time limit ran out",
			what, st->dir);
}

int jr_git_until(int *status, char **out, jerry_store *st, const char *const args[],
		 const char *const env[], int64_t deadline, jerry_error *err)
{
	return jr_git_feed(status, out, st, args, env, NULL, deadline, err);
}

int jr_git_feed(int *status, char **out, jerry_store *st, const char *const args[],
		const char *const env[], const char *input, int64_t deadline, jerry_error *err)
{
	const char *argv[JR_GIT_ARGV_MAX];
	char *errout = NULL;
	jr_git_argv(argv, st, args);
	if (jr_io_run(status, out, &errout, argv, env, input, GIT_OUTPUT_MAX, deadline) < 0) {
		if (errno == EFBIG)
			return jr_error(err, JERRY_ESTORAGE, "'git %s' wrote more than %u MiB in '%s'",
					argv[3], GIT_OUTPUT_MAX >> 20, st->dir);
		if (errno == ETIMEDOUT)
			return jr_git_late(err, st, argv[3]);
		return jr_error_sys(err, errno == ENOMEM ? JERRY_ENOMEM : JERRY_ESTORAGE, errno,
				    "cannot run 'git %s'", argv[3]);
	}
	if (!WIFEXITED(*status) || WEXITSTATUS(*status) > 1 ||
	    (WEXITSTATUS(*status) == 1 && strcmp(argv[3], "config") != 0)) {
		/* git's own words, first line: "fatal: not a git repository ..." */
		char *nl = errout ? strchr(errout, '\n') : NULL;
		if (nl)
			*nl = '\0';
		int rc = jr_error(err, JERRY_ESTORAGE, "'git %s' failed in '%s'%s%s", argv[3],
				  st->dir, errout && *errout ? ": " : "", errout ? errout : "");
		free(errout);
		if (out) {
			free(*out);
			*out = NULL;
		}
		return rc;
	}
	free(errout);
	return 0;
}

/* Set name to value in the repository's config unless it has it; *changed. */
static int config_ensure(int *changed, jerry_store *st, const char *name, const char *value,
			 jerry_error *err)
{
	int status;
	char *out = NULL;
	int rc = jr_git(&status, &out, st, (const char *const[]){"config", "--local", "--get", name, NULL},
			NULL, err);
	if (rc)
		return rc;
	size_t len = strlen(out);
	if (len && out[len - 1] == '\n')
		out[--len] = '\0';
	int same = WEXITSTATUS(status) == 0 && strcmp(out, value) == 0;
	free(out);
	if (same)
		return 0;
	if ((rc = jr_git(&status, NULL, st, (const char *const[]){"config", "--local", name, value, NULL},
			 NULL, err)))
		return rc;
	if (WEXITSTATUS(status))
		return jr_error(err, JERRY_ESTORAGE, "'git config %s' failed in '%s'", name, st->dir);
	*changed = 1;
	return 0;
}

/* Each line of attr_lines in .gitattributes: added after what is there. */
static int attributes_ensure(int *changed, jerry_store *st, jerry_error *err)
{
	char path[PATH_MAX + 32];
	char *old = NULL;
	size_t len = 0;
	struct jr_sb sb = JR_SB_INIT;
	int rc = 0;
	jr_store_path(path, sizeof(path), st, ".gitattributes");
	int fd = jr_io_openat(st->dirfd, ".gitattributes", O_RDONLY, 0);
	if (fd < 0 && errno != ENOENT)
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot open '%s'", path);
	if (fd >= 0) {
		int r = jr_io_read_all(fd, &old, &len, 1024 * 1024);
		int e = errno;
		jr_io_close(fd);
		if (r < 0)
			return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot read '%s'", path);
	}
	if (old)
		jr_sb_add(&sb, old, len);
	else
		jr_sb_addstr(&sb, attr_head);
	if (len && old[len - 1] != '\n')
		jr_sb_addch(&sb, '\n');
	for (const char *line = attr_lines; *line;) {
		const char *end = strchr(line, '\n') + 1;
		size_t n = (size_t)(end - line);
		int has = 0;
		for (const char *p = old; p && p < old + len && !has;) {
			const char *e = memchr(p, '\n', (size_t)(old + len - p));
			size_t m = e ? (size_t)(e - p) + 1 : (size_t)(old + len - p);
			has = m >= n - 1 && !memcmp(p, line, n - 1) && (m == n - 1 || p[n - 1] == '\n');
			p += m;
		}
		if (!has) {
			jr_sb_add(&sb, line, n);
			*changed = 1;
		}
		line = end;
	}
	if (sb.failed)
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
	else if (*changed)
		rc = jr_store_replace(st, st->dirfd, ".gitattributes", sb.buf, sb.len, err);
	jr_sb_release(&sb);
	free(old);
	return rc;
}

/*
 * git changes item files behind jerry's back (a merge, a pull, a checkout
 * of another branch), and the index - local, a cache - would not know: the
 * hooks git runs after those rebuild it.  A hook holds no absolute path: git
 * runs it at the top of the work tree, where `jerry reindex` finds the
 * store as any jerry command does, so the hook keeps working when the
 * repository moves, and one committed hooks directory (core.hooksPath)
 * serves every clone.  A store that is not the default one is named by its
 * path in the main worktree.  A hook never fails the git command that ran
 * it: git takes a post-checkout hook's status as the checkout's, and a git
 * client without jerry on its PATH must still switch branches.
 *
 * jerry's own hooks start with the marker line and are brought up to date;
 * a hook the user already has is never touched: it is reported, for the
 * user to add the line.
 */
static const char *const hook_names[] = { "post-merge", "post-checkout", "post-rewrite", NULL };

static const char hook_mark[] = "# Written by 'jerry git setup'";

/* s in single quotes for sh: ' becomes '\''. */
static void sh_quote(struct jr_sb *sb, const char *s)
{
	jr_sb_addch(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			jr_sb_addstr(sb, "'\\''");
		else
			jr_sb_addch(sb, *s);
	}
	jr_sb_addch(sb, '\'');
}

/* git's one line of output into *out, without its newline; JERRY_* when git fails. */
static int git_line(char **out, jerry_store *st, const char *const args[], jerry_error *err)
{
	int status, rc;
	*out = NULL;
	if ((rc = jr_git(&status, out, st, args, NULL, err)))
		return rc;
	size_t len = strlen(*out);
	while (len && (*out)[len - 1] == '\n')
		(*out)[--len] = '\0';
	return 0;
}

/* The hooks' text into body: the store found from the work tree, never by its absolute path. */
static int hook_body(struct jr_sb *body, jerry_store *st, jerry_error *err)
{
	char top[PATH_MAX], *out;
	int rc = git_line(&out, st, (const char *const[]){"rev-parse", "--show-toplevel", NULL}, err);
	if (rc)
		return rc;
	int resolved = *out && realpath(out, top) != NULL;
	int e = errno;
	if (!resolved) {
		rc = jr_error_sys(err, JERRY_ESTORAGE, e, "cannot find the work tree of '%s'",
				  st->dir);
		free(out);
		return rc;
	}
	free(out);
	size_t tl = strlen(top);
	if (strncmp(st->dir, top, tl) != 0 || (st->dir[tl] != '/' && tl > 1))
		return jr_error(err, JERRY_EINVALID, "the store '%s' is not in the work tree '%s'",
				st->dir, top);
	const char *rel = st->dir + tl + (tl > 1);
	jr_sb_addstr(body, "#!/bin/sh\n");
	jr_sb_addstr(body, hook_mark);
	jr_sb_addstr(body, " (it rewrites what has this line):\n"
			   "# git may have changed the record of the jerry store; rebuild its local\n"
			   "# index (doc/adr/0020).  It never fails the git command that ran it.\n"
			   "unset JERRY_DATA JERRY_PROJECT\n"
			   "if ! command -v jerry >/dev/null 2>&1; then\n"
			   "\techo \"jerry: 'jerry' is not on PATH: run 'jerry reindex' in $PWD\" >&2\n"
			   "\texit 0\n"
			   "fi\n");
	if (!strcmp(rel, ".jerry/data")) {
		jr_sb_addstr(body, "jerry reindex >/dev/null ||\n");
	} else {
		/* git worktree list names the main worktree first (doc/adr/0017). */
		jr_sb_addstr(body, "top=$(git worktree list --porcelain | sed -n '1s/^worktree //p')\n"
				   "jerry --data \"${top:-.}\"/");
		sh_quote(body, rel);
		jr_sb_addstr(body, " reindex >/dev/null ||\n");
	}
	jr_sb_addstr(body, "\techo \"jerry: the index was not rebuilt: run 'jerry reindex' in $PWD\" >&2\n"
			   "exit 0\n");
	return body->failed ? jr_error(err, JERRY_ENOMEM, "out of memory") : 0;
}

/* Whether a hook's text has jerry's marker at the start of a line. */
static int is_jerrys(const char *text, size_t len)
{
	size_t m = sizeof(hook_mark) - 1;
	for (const char *p = text; p && p + m <= text + len;) {
		if (!memcmp(p, hook_mark, m))
			return 1;
		const char *nl = memchr(p, '\n', (size_t)(text + len - p));
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* name in dirfd (path for messages) replaced by body: temp + fsync + rename + directory fsync. */
static int hook_write(int dirfd, const char *dir, const char *name, const struct jr_sb *body,
		      jerry_error *err)
{
	char tmp[64], path[PATH_MAX + 64];
	int e;
	snprintf(tmp, sizeof(tmp), ".%s.jerry-tmp-%ld", name, (long)getpid());
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	(void)jr_io_unlinkat(dirfd, tmp, 0); /* a dead setup's, of this pid */
	int fd = jr_io_openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0755);
	if (fd < 0)
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot create a hook in '%s'", dir);
	if (jr_io_write_all(fd, body->buf, body->len) < 0 || jr_io_fsync(fd) < 0) {
		e = errno;
		jr_io_close(fd);
		goto fail;
	}
	if (jr_io_close(fd) < 0 || jr_io_renameat(dirfd, tmp, dirfd, name) < 0) {
		e = errno;
		goto fail;
	}
	if (jr_io_fsync(dirfd) < 0)
		return jr_error_sys(err, JERRY_EDURABLE, errno, "cannot sync '%s'", dir);
	return 0;
fail:
	(void)jr_io_unlinkat(dirfd, tmp, 0);
	return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot write '%s'", path);
}

static int hooks_ensure(jerry_git_setup_result *res, const char *dir, const struct jr_sb *body,
			jerry_error *err)
{
	int rc = 0;
	if (jr_io_mkdir(dir, 0755) < 0 && errno != EEXIST)
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot create '%s'", dir);
	int dirfd = jr_io_open(dir, O_RDONLY | O_DIRECTORY, 0);
	if (dirfd < 0)
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot open '%s'", dir);
	for (size_t i = 0; hook_names[i] && (!rc || rc == JERRY_EDURABLE); i++) {
		char path[PATH_MAX + 64];
		char *old = NULL;
		size_t olen = 0;
		snprintf(path, sizeof(path), "%s/%s", dir, hook_names[i]);
		int fd = jr_io_openat(dirfd, hook_names[i], O_RDONLY, 0);
		if (fd < 0 && errno != ENOENT) {
			rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot open '%s'", path);
			break;
		}
		if (fd >= 0) {
			int r = jr_io_read_all(fd, &old, &olen, 1024 * 1024);
			int e = errno;
			jr_io_close(fd);
			if (r < 0) {
				rc = jr_error_sys(err, JERRY_ESTORAGE, e, "cannot read '%s'", path);
				break;
			}
			int same = olen == body->len && !memcmp(old, body->buf, olen);
			int ours = is_jerrys(old, olen);
			if (!ours && !strstr(old, " reindex"))
				res->hooks_foreign |= 1u << i;
			free(old);
			if (same || !ours)
				continue;
		}
		int wrc = hook_write(dirfd, dir, hook_names[i], body, err);
		if (wrc && wrc != JERRY_EDURABLE) {
			rc = wrc;
			break;
		}
		rc = rc ? rc : wrc;
		res->hooks_written |= 1u << i;
	}
	jr_io_close(dirfd);
	return rc;
}

const char *jr_git_hook_name(unsigned i)
{
	return i < sizeof(hook_names) / sizeof(hook_names[0]) ? hook_names[i] : NULL;
}

int jr_git_setup(jerry_git_setup_result *res, jerry_store *st, jerry_error *err)
{
	struct jr_sb body = JR_SB_INIT;
	char *dir = NULL;
	int rc;
	memset(res, 0, sizeof(*res));
	jr_store_path(res->attributes, sizeof(res->attributes), st, ".gitattributes");
	/* What could refuse comes first: nothing is written when setup cannot finish. */
	if ((rc = git_line(&dir, st, (const char *const[]){"rev-parse", "--path-format=absolute",
			   "--git-path", "hooks", NULL}, err)))
		goto out;
	if (strlen(dir) >= sizeof(res->hooks)) {
		rc = jr_error(err, JERRY_EINVALID, "the hooks directory '%s' is too long a path", dir);
		goto out;
	}
	snprintf(res->hooks, sizeof(res->hooks), "%s", dir);
	if ((rc = hook_body(&body, st, err)) || (rc = jr_store_writable(st, err)))
		goto out;
	if ((rc = config_ensure(&res->config_changed, st, "merge.jerry.name", driver_name, err)) ||
	    (rc = config_ensure(&res->config_changed, st, "merge.jerry.driver", driver, err)) ||
	    (rc = attributes_ensure(&res->attributes_changed, st, err)))
		goto out;
	rc = hooks_ensure(res, dir, &body, err);
out:
	jr_sb_release(&body);
	free(dir);
	return rc;
}
