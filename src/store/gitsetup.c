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
 * hooks git runs after those rebuild it.  A hook the user already has is
 * never touched; it is reported, for the user to add the line.
 */
static const char *const hook_names[] = { "post-merge", "post-checkout", "post-rewrite", NULL };

static int hooks_ensure(jerry_git_setup_result *res, jerry_store *st, jerry_error *err)
{
	int status, rc;
	char *dir = NULL;
	if ((rc = jr_git(&status, &dir, st, (const char *const[]){"rev-parse", "--path-format=absolute",
				 "--git-path", "hooks", NULL}, NULL, err)))
		return rc;
	size_t len = strlen(dir);
	while (len && dir[len - 1] == '\n')
		dir[--len] = '\0';
	if (jr_io_mkdir(dir, 0755) < 0 && errno != EEXIST) {
		rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot create '%s'", dir);
		goto out;
	}
	for (size_t i = 0; hook_names[i]; i++) {
		char path[PATH_MAX], body[PATH_MAX + 512];
		int n = snprintf(path, sizeof(path), "%s/%s", dir, hook_names[i]);
		int m = snprintf(body, sizeof(body),
				 "#!/bin/sh\n"
				 "# Written by 'jerry git setup': git may have changed the store's\n"
				 "# record; rebuild its local index (doc/adr/0020).\n"
				 "jerry --data '%s' reindex >/dev/null\n", st->dir);
		if (n < 0 || (size_t)n >= sizeof(path) || m < 0 || (size_t)m >= sizeof(body) ||
		    strchr(st->dir, '\'')) {
			rc = jr_error(err, JERRY_EINVALID, "cannot write a hook for '%s'", st->dir);
			goto out;
		}
		int fd = jr_io_open(path, O_WRONLY | O_CREAT | O_EXCL, 0755);
		if (fd < 0 && errno == EEXIST) {
			char *old = NULL;
			size_t olen = 0;
			if ((fd = jr_io_open(path, O_RDONLY, 0)) >= 0) {
				int r = jr_io_read_all(fd, &old, &olen, 1024 * 1024);
				jr_io_close(fd);
				if (r == 0 && !strstr(old, " reindex"))
					res->hooks_foreign |= 1u << i;
				free(old);
			}
			continue;
		}
		if (fd < 0) {
			rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot create '%s'", path);
			goto out;
		}
		if (jr_io_write_all(fd, body, (size_t)m) < 0 || jr_io_fsync(fd) < 0) {
			int e = errno;
			jr_io_close(fd);
			jr_io_unlinkat(AT_FDCWD, path, 0);
			rc = jr_error_sys(err, JERRY_ESTORAGE, e, "cannot write '%s'", path);
			goto out;
		}
		if (jr_io_close(fd) < 0) {
			rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot write '%s'", path);
			goto out;
		}
		res->hooks_written |= 1u << i;
	}
	snprintf(res->hooks, sizeof(res->hooks), "%s", dir);
out:
	free(dir);
	return rc;
}

const char *jr_git_hook_name(unsigned i)
{
	return i < sizeof(hook_names) / sizeof(hook_names[0]) ? hook_names[i] : NULL;
}

int jr_git_setup(jerry_git_setup_result *res, jerry_store *st, jerry_error *err)
{
	int rc;
	memset(res, 0, sizeof(*res));
	jr_store_path(res->attributes, sizeof(res->attributes), st, ".gitattributes");
	if ((rc = config_ensure(&res->config_changed, st, "merge.jerry.name", driver_name, err)) ||
	    (rc = config_ensure(&res->config_changed, st, "merge.jerry.driver", driver, err)))
		return rc;
	if ((rc = jr_store_writable(st, err)))
		return rc;
	if ((rc = attributes_ensure(&res->attributes_changed, st, err)))
		return rc;
	return hooks_ensure(res, st, err);
}
