/*
 * gitbatch.c - read git objects through one `git cat-file --batch`.
 *
 * jerry sync reads every file the remote changed, and the common
 * ancestor's and this copy's of every file both sides changed.  A git
 * process per file made a sync bringing in 100 changes spend nearly all
 * its time starting git (doc/PERFORMANCE.md, issue 11); one process per
 * round answers them all.
 *
 * The protocol (git-cat-file(1), BATCH OUTPUT): a name per line in, and
 * per name "<oid> <type> <size>\n<content>\n" or "<name> missing\n" out.
 * One request is written and its whole answer read before the next, so
 * neither side ever waits on a full pipe.  The request goes over a socket
 * with MSG_NOSIGNAL (jr_io_send_all): a git that died is EPIPE here, not a
 * SIGPIPE that kills jerry; no signal disposition is touched.
 */
#define _GNU_SOURCE
#include "store.h"
#include "io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define HEADER_MAX 512
#define BLOB_MAX (256u * 1024 * 1024)

static int start(jr_git_batch *b, jerry_store *st, const char *const env[], jerry_error *err)
{
	const char *argv[JR_GIT_ARGV_MAX];
	jr_git_argv(argv, st, (const char *const[]){"cat-file", "--batch", NULL});
	if (jr_io_spawn(&b->pid, &b->to, &b->from, argv, env) < 0)
		return jr_error_sys(err, errno == ENOMEM ? JERRY_ENOMEM : JERRY_ESTORAGE, errno,
				    "cannot run 'git cat-file --batch'");
	b->off = b->len = 0;
	return 0;
}

void jr_git_batch_end(jr_git_batch *b)
{
	int status;
	/* Its input closed, cat-file ends; its output closed, it could not block. */
	if (b->to >= 0)
		jr_io_close(b->to);
	if (b->from >= 0)
		jr_io_close(b->from);
	if (b->pid > 0)
		(void)jr_io_reap(b->pid, &status);
	free(b->buf);
	int64_t deadline = b->deadline;
	*b = (jr_git_batch)JR_GIT_BATCH_INIT;
	b->deadline = deadline;
}

/* The batch is ended: whatever it was in the middle of is no use to anyone. */
static int fail(jr_git_batch *b, jerry_store *st, int code, int e, const char *what,
		jerry_error *err)
{
	int rc;
	if (e == ETIMEDOUT) {
		/* Hung, not ended: its input closed would not end it. */
		int status;
		jr_io_stop(b->pid, &status);
		b->pid = -1;
		rc = jr_git_late(err, st, "cat-file --batch");
	} else if (e) {
		rc = jr_error_sys(err, code, e, "'git cat-file --batch' failed in '%s': %s", st->dir,
				  what);
	} else {
		rc = jr_error(err, code, "'git cat-file --batch' failed in '%s': %s", st->dir, what);
	}
	jr_git_batch_end(b);
	return rc;
}

/* Read until buf holds at least `want` bytes past off: 0, 1 at the end, -1 with errno. */
static int fill(jr_git_batch *b, size_t want)
{
	while (b->len - b->off < want) {
		if (b->cap - b->len < 4096) {
			size_t cap = b->cap ? b->cap : 8192;
			while (cap - b->len < 4096 || cap < b->off + want + 1)
				cap *= 2;
			char *g = realloc(b->buf, cap);
			if (!g) {
				errno = ENOMEM;
				return -1;
			}
			b->buf = g;
			b->cap = cap;
		}
		if (b->deadline && jr_io_wait_in(b->from, b->deadline) < 0)
			return -1;
		ssize_t n = jr_io_read(b->from, b->buf + b->len, b->cap - b->len);
		if (n < 0)
			return -1;
		if (n == 0)
			return 1;
		b->len += (size_t)n;
	}
	return 0;
}

int jr_git_batch_blob(char **out, size_t *len, jr_git_batch *b, jerry_store *st,
		      const char *const env[], const char *name, jerry_error *err)
{
	size_t nlen = strlen(name), hlen = 0;
	char *nl = NULL;
	int rc;
	*out = NULL;
	*len = 0;
	if (!nlen || strchr(name, '\n') || nlen > HEADER_MAX - 16)
		return jr_error(err, JERRY_EINVALID, "'%s' is not a git object's name", name);
	if (b->pid <= 0 && (rc = start(b, st, env, err)))
		return rc;
	if (b->len != b->off)
		return fail(b, st, JERRY_ESTORAGE, 0, "it said more than it was asked", err);
	b->off = b->len = 0;
	if (jr_io_send_all(b->to, name, nlen) < 0 || jr_io_send_all(b->to, "\n", 1) < 0)
		return fail(b, st, JERRY_ESTORAGE, errno, "cannot ask it", err);
	/* The header line. */
	while (!(nl = memchr(b->buf ? b->buf : "", '\n', b->len))) {
		if (b->len >= HEADER_MAX)
			return fail(b, st, JERRY_ESTORAGE, 0, "it answered garbage", err);
		if ((rc = fill(b, b->len + 1)))
			return fail(b, st, rc < 0 && errno == ENOMEM ? JERRY_ENOMEM : JERRY_ESTORAGE,
				    rc < 0 ? errno : 0, rc < 0 ? "cannot read its answer" : "it ended early",
				    err);
	}
	*nl = '\0';
	hlen = (size_t)(nl - b->buf) + 1;
	if (hlen == nlen + 9 && !strncmp(b->buf, name, nlen) && !strcmp(b->buf + nlen, " missing")) {
		b->off = hlen;
		return 0;
	}
	char oid[72], type[16];
	unsigned long long size;
	int used = 0;
	if (sscanf(b->buf, "%71s %15s %llu%n", oid, type, &size, &used) != 3 ||
	    (size_t)used != hlen - 1 || strspn(oid, "0123456789abcdef") != strlen(oid) ||
	    (strlen(oid) != 40 && strlen(oid) != 64))
		return fail(b, st, JERRY_ESTORAGE, 0, "it answered garbage", err);
	if (strcmp(type, "blob"))
		return fail(b, st, JERRY_ESTORAGE, 0, "it names no file", err);
	if (size >= BLOB_MAX)
		return fail(b, st, JERRY_ESTORAGE, EFBIG, "a file too big", err);
	/* The content and its newline. */
	if ((rc = fill(b, hlen + (size_t)size + 1)))
		return fail(b, st, rc < 0 && errno == ENOMEM ? JERRY_ENOMEM : JERRY_ESTORAGE,
			    rc < 0 ? errno : 0, rc < 0 ? "cannot read its answer" : "it ended early", err);
	if (b->buf[hlen + size] != '\n')
		return fail(b, st, JERRY_ESTORAGE, 0, "it answered garbage", err);
	b->off = hlen + (size_t)size + 1;
	if (!(*out = malloc((size_t)size + 1)))
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	memcpy(*out, b->buf + hlen, (size_t)size);
	(*out)[size] = '\0';
	*len = (size_t)size;
	return 0;
}
