/*
 * repo.c - the git repository a directory is in, read from git's own
 * layout (gitrepository-layout(5)) without running git, so that it works
 * where git is not installed and costs a few stat() calls.
 *
 * Every worktree of a repository uses one store: the one of the main
 * worktree (doc/adr/0017-git-repository.md).  The top of a linked
 * worktree has a `.git` FILE holding "gitdir: PATH" (absolute, or
 * relative to the directory of that file); PATH, the worktree's private
 * git directory (.git/worktrees/NAME), holds `commondir`: the git
 * directory of the whole repository (absolute, or relative to PATH).
 * When that common directory is named `.git`, its parent is the main
 * worktree, and a linked worktree's path is read as the same place there.
 *
 * Everything else is left as it is: a `.git` directory (the main worktree
 * or a plain repository), a gitdir without `commondir` (a submodule, or a
 * clone made with --separate-git-dir), and a common directory with another
 * name (a bare repository's worktrees) have no main worktree to go to.
 * git reads a gitfile and a commondir once and never follows a chain, and
 * neither does this, so no layout can make it loop.  A `.git` file that
 * cannot be read as a gitfile, or that leads nowhere, is an error: going
 * on without it could give that worktree a store of its own, and two
 * stores hand out the same numbers.
 */
#define _GNU_SOURCE
#include "store.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A gitfile or commondir holds one path; anything larger is not one. */
#define LINK_MAX_BYTES (PATH_MAX + 64)

static int broken(jerry_error *err, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int broken(jerry_error *err, const char *what, const char *fmt, ...)
{
	char msg[PATH_MAX + 128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	jr_error(err, JERRY_ECORRUPT, "'%s' %s", what, msg);
	if (err)
		snprintf(err->path, sizeof(err->path), "%s", what);
	jr_error_hint(err, "repair or remove it, or point --data / JERRY_DATA at the store");
	return JERRY_ECORRUPT;
}

/*
 * The one path in file FILE ("gitdir: PATH" when prefix is "gitdir: ",
 * else just PATH), with the trailing newline and blanks git also trims.
 * ENOENT is returned as 1 and left to the caller.
 */
static int read_link(char *out, size_t size, const char *file, const char *prefix,
		     jerry_error *err)
{
	char *buf = NULL;
	size_t len, plen = strlen(prefix);
	int fd = jr_io_open(file, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot open '%s'", file);
	}
	struct stat sb;
	if (jr_io_fstat(fd, &sb) < 0) {
		int e = errno;
		jr_io_close(fd);
		return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot read '%s'", file);
	}
	if (!S_ISREG(sb.st_mode)) {
		jr_io_close(fd);
		return broken(err, file, "is not a regular file");
	}
	if (jr_io_read_all(fd, &buf, &len, LINK_MAX_BYTES) < 0) {
		int e = errno;
		jr_io_close(fd);
		if (e == EFBIG)
			return broken(err, file, "is too large to hold a path");
		return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot read '%s'", file);
	}
	jr_io_close(fd);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ' ||
			   buf[len - 1] == '\t'))
		len--;
	int bad = len < plen || memcmp(buf, prefix, plen) != 0 || len == plen ||
		  memchr(buf, '\0', len) || memchr(buf, '\n', len) || len - plen >= size;
	if (!bad) {
		memcpy(out, buf + plen, len - plen);
		out[len - plen] = '\0';
	}
	free(buf);
	if (bad)
		return *prefix ? broken(err, file, "is not a gitfile (one line 'gitdir: PATH')")
			       : broken(err, file, "does not hold one path");
	return 0;
}

/* PATH (relative to BASE when not absolute) resolved, and a directory. */
static int resolve_dir(char *out, const char *base, const char *path, const char *file,
		       jerry_error *err)
{
	char joined[PATH_MAX * 2 + 2];
	struct stat sb;
	if (path[0] == '/')
		snprintf(joined, sizeof(joined), "%s", path);
	else
		snprintf(joined, sizeof(joined), "%s/%s", base, path);
	if (!realpath(joined, out)) {
		int e = errno;
		if (e == ENOMEM)
			return jr_error(err, JERRY_ENOMEM, "out of memory");
		return broken(err, file, "points to '%s' (%s)", path, strerror(e));
	}
	if (stat(out, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return broken(err, file, "points to '%s', which is not a directory", path);
	return 0;
}

/*
 * TOP is a worktree's top with a `.git` file: its main worktree into
 * main, or "" when it has none (see the top of the file).
 */
static int main_of(char *main, const char *top, jerry_error *err)
{
	char file[PATH_MAX + 16], link[PATH_MAX], gitdir[PATH_MAX], common[PATH_MAX];
	int rc;
	main[0] = '\0';
	snprintf(file, sizeof(file), "%s/.git", strcmp(top, "/") ? top : "");
	if ((rc = read_link(link, sizeof(link), file, "gitdir: ", err)) < 0)
		return rc;
	if (rc == 1)
		return 0; /* gone since it was seen: not a worktree any more */
	if ((rc = resolve_dir(gitdir, top, link, file, err)))
		return rc;
	snprintf(file, sizeof(file), "%s/commondir", gitdir);
	if ((rc = read_link(link, sizeof(link), file, "", err)) < 0)
		return rc;
	if (rc == 1)
		return 0; /* a submodule or a separate git dir: its own main */
	if ((rc = resolve_dir(common, gitdir, link, file, err)))
		return rc;
	char *slash = strrchr(common, '/');
	if (!slash || strcmp(slash + 1, ".git") != 0)
		return 0; /* a bare repository's worktree */
	if (slash == common)
		return 0; /* "/.git": a main worktree at / is no place for a store */
	*slash = '\0';
	snprintf(main, PATH_MAX, "%s", common);
	return 0;
}

int jr_repo_map(char *path, size_t size, jerry_error *err)
{
	char top[PATH_MAX], dotgit[PATH_MAX + 16], main[PATH_MAX];
	struct stat sb;
	int rc;
	if (path[0] != '/' || strlen(path) >= sizeof(top))
		return 0;
	snprintf(top, sizeof(top), "%s", path);
	for (;;) {
		snprintf(dotgit, sizeof(dotgit), "%s/.git", strcmp(top, "/") ? top : "");
		if (stat(dotgit, &sb) == 0) {
			if (S_ISDIR(sb.st_mode))
				return 0; /* a main worktree, or a plain repository */
			if (!S_ISREG(sb.st_mode))
				return broken(err, dotgit, "is neither a git directory nor a gitfile");
			break;
		}
		if (errno == ELOOP)
			return broken(err, dotgit, "is a loop of symbolic links");
		char *slash = strrchr(top, '/');
		if (strcmp(top, "/") == 0)
			return 0; /* in no repository */
		if (slash == top)
			top[1] = '\0';
		else
			*slash = '\0';
	}
	if ((rc = main_of(main, top, err)) || !main[0] || strcmp(main, top) == 0)
		return rc;
	/* The same place in the main worktree: main + what follows top. */
	const char *rest = path + (strcmp(top, "/") ? strlen(top) : 0);
	char mapped[PATH_MAX * 2];
	int n = snprintf(mapped, sizeof(mapped), "%s%s", main, rest);
	if (n < 0 || (size_t)n >= size)
		return jr_error(err, JERRY_EINVALID, "the path '%s%s' is too long", main, rest);
	memcpy(path, mapped, (size_t)n + 1);
	return 0;
}
