/*
 * harness.h - shared helpers for the cmocka unit tests.
 *
 *  - temporary directories (mkdtemp) and their recursive removal;
 *  - small file helpers for tests that damage a store by hand;
 *  - a store fixture: a fresh store in a temp dir, opened with sync off;
 *  - fork helpers: run a function in a child, collect its exit status;
 *  - an in-memory jr_port with a fixed clock for the app-layer tests.
 *
 * Everything here is static and marked unused, so each test file includes
 * it and uses what it needs without warnings under -Werror.
 */
#ifndef JERRY_TEST_HARNESS_H
#define JERRY_TEST_HARNESS_H

#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jerry/jerry.h"
#include "port/port.h"
#include "app/app.h"
#include "domain/domain.h"

#define H_API static __attribute__((unused))

/* ---- files ------------------------------------------------------------- */

/* A fresh directory under $TMPDIR (or /tmp); malloc'd path. */
H_API char *h_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[PATH_MAX];
	snprintf(tmpl, sizeof(tmpl), "%s/jerry-unit-XXXXXX", base && *base ? base : "/tmp");
	char *dir = mkdtemp(tmpl);
	assert_non_null(dir);
	char *copy = strdup(dir);
	assert_non_null(copy);
	return copy;
}

H_API int h_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

H_API void h_rmrf(const char *path)
{
	if (path)
		nftw(path, h_rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

/* snprintf into a PATH_MAX buffer, failing the test on truncation. */
H_API void h_path(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
H_API void h_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < size);
}

H_API void h_write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

H_API void h_append_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	size_t len = strlen(text);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

/* The whole file, NUL-terminated, malloc'd; NULL when it cannot be read. */
H_API char *h_read_file(const char *path, size_t *out_len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	size_t got;
	while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (cap - len - 1 == 0) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	fclose(f);
	buf[len] = '\0';
	if (out_len)
		*out_len = len;
	return buf;
}

H_API off_t h_file_size(const char *path)
{
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	return sb.st_size;
}

/* Replace the first occurrence of `from` in a file by `to`. */
H_API void h_replace_in_file(const char *path, const char *from, const char *to)
{
	size_t len;
	char *text = h_read_file(path, &len);
	assert_non_null(text);
	char *at = strstr(text, from);
	assert_non_null(at);
	size_t fl = strlen(from), tl = strlen(to);
	char *out = malloc(len - fl + tl + 1);
	assert_non_null(out);
	size_t head = (size_t)(at - text);
	memcpy(out, text, head);
	memcpy(out + head, to, tl);
	memcpy(out + head + tl, at + fl, len - head - fl + 1);
	h_write_file(path, out, len - fl + tl);
	free(out);
	free(text);
}

/* ---- a store in a temp dir -------------------------------------------- */

typedef struct h_store {
	char *root;               /* the temp dir                     */
	char dir[PATH_MAX];       /* root/data, the data directory    */
	jerry_store *st;          /* opened with sync off             */
} h_store;

H_API jerry_store *h_open_dir(const char *dir, int lock_timeout_ms, const char *instance)
{
	jerry_open_opts o;
	jerry_error err;
	jerry_store *st = NULL;
	jerry_open_opts_init(&o);
	o.data_dir = dir;
	o.sync = 0;
	o.lock_timeout_ms = lock_timeout_ms;
	o.instance = instance ? instance : "tester@unit";
	o.session = "unit-session";
	jerry_error_clear(&err);
	int rc = jerry_store_open(&st, &o, &err);
	if (rc)
		fail_msg("cannot open store '%s': %s", dir, err.message);
	return st;
}

H_API int h_store_setup(void **state)
{
	h_store *s = calloc(1, sizeof(*s));
	jerry_open_opts o;
	jerry_error err;
	int created = 0;
	assert_non_null(s);
	s->root = h_tmpdir();
	h_path(s->dir, sizeof(s->dir), "%s/data", s->root);
	jerry_open_opts_init(&o);
	o.data_dir = s->dir;
	o.sync = 0;
	jerry_error_clear(&err);
	assert_int_equal(jerry_store_init(NULL, 0, &created, &o, &err), 0);
	assert_true(created);
	s->st = h_open_dir(s->dir, 2000, NULL);
	*state = s;
	return 0;
}

H_API int h_store_teardown(void **state)
{
	h_store *s = *state;
	if (!s)
		return 0;
	jerry_store_free(s->st);
	h_rmrf(s->root);
	free(s->root);
	free(s);
	return 0;
}

/* Create an item, failing the test on error; returns its number. */
H_API int64_t h_create(jerry_store *st, const char *title, const char *type, const char *parent)
{
	jerry_create_spec spec;
	jerry_item *it = NULL;
	jerry_error err;
	memset(&spec, 0, sizeof(spec));
	spec.title = title;
	spec.type = type;
	spec.parent = parent;
	jerry_error_clear(&err);
	int rc = jerry_create(&it, st, &spec, &err);
	if (rc)
		fail_msg("create '%s': %s (%d)", title, err.message, rc);
	int64_t num = it->num;
	jerry_item_free(it);
	return num;
}

/* ---- processes --------------------------------------------------------- */

/* Run fn(arg) in a child that exits 0 on success, 1 otherwise. */
H_API pid_t h_fork(int (*fn)(void *), void *arg)
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Never outlive the test: no orphan may hold a lock or a pipe. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		alarm(600);
		_exit(fn(arg) == 0 ? 0 : 1);
	}
	return pid;
}

/* The child's exit status, or 128 + signal number. */
H_API int h_wait(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

/* ---- an in-memory port ------------------------------------------------- */

#define H_MEM_MAX 512

typedef struct h_mem {
	jerry_item *items[H_MEM_MAX + 1]; /* items[n]: item n, or NULL          */
	int64_t last_num;                 /* last number handed out            */
	uint64_t last_uid;
	int64_t now;                      /* the fixed clock                   */
	const char *actor, *session;
	int mutates, creates;             /* how often the port was written to */
	jerry_history_entry *hist[H_MEM_MAX + 1]; /* item n's changes, oldest first */
	size_t nhist[H_MEM_MAX + 1];
	int history_reads;                /* items history_each has read       */
	jr_port port;
} h_mem;

H_API int64_t h_mem_now(void *ctx) { return ((h_mem *)ctx)->now; }
H_API const char *h_mem_actor(void *ctx) { return ((h_mem *)ctx)->actor; }
H_API const char *h_mem_session(void *ctx) { return ((h_mem *)ctx)->session; }

/* One entry in item it's history: its version, the clock, the actor, op. */
H_API void h_mem_record(h_mem *m, const jerry_item *it, const char *op)
{
	jerry_history_entry *grown = realloc(m->hist[it->num],
					     (m->nhist[it->num] + 1) * sizeof(*grown));
	assert_non_null(grown);
	m->hist[it->num] = grown;
	jerry_history_entry *e = &grown[m->nhist[it->num]++];
	memset(e, 0, sizeof(*e));
	e->version = it->version;
	e->at_ms = m->now;
	e->by = strdup(m->actor);
	e->op = strdup(op);
	e->changes = strdup("{}");
	assert_true(e->by && e->op && e->changes);
}

H_API int h_mem_history(void *ctx, jerry_history_entry **out, size_t *out_n,
			const jerry_item *item, jerry_error *err)
{
	h_mem *m = ctx;
	size_t n = m->nhist[item->num];
	(void)err;
	*out = calloc(n ? n : 1, sizeof(**out));
	assert_non_null(*out);
	for (size_t i = 0; i < n; i++) {
		const jerry_history_entry *e = &m->hist[item->num][i];
		(*out)[i] = *e;
		(*out)[i].by = strdup(e->by);
		(*out)[i].op = strdup(e->op);
		(*out)[i].changes = strdup(e->changes);
		assert_true((*out)[i].by && (*out)[i].op && (*out)[i].changes);
	}
	*out_n = n;
	return 0;
}

/* history_each: history item by item, counting the items read. */
H_API int h_mem_history_each(void *ctx, jerry_item *const *items, size_t n, jr_history_fn fn,
			     void *arg, jerry_error *err)
{
	h_mem *m = ctx;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		jerry_history_entry *h = NULL;
		size_t nh = 0;
		m->history_reads++;
		if ((rc = h_mem_history(ctx, &h, &nh, items[i], err)))
			break;
		rc = fn(arg, i, h, nh, err);
		jerry_history_free(h, nh);
	}
	return rc > 0 ? 0 : rc;
}

H_API int h_mem_get(void *ctx, jerry_item **out, int64_t num, jerry_error *err)
{
	h_mem *m = ctx;
	*out = NULL;
	if (num < 1 || num > H_MEM_MAX || !m->items[num])
		return jr_error(err, JERRY_ENOTFOUND, "no item 'WORK-%03lld'", (long long)num);
	*out = jr_item_dup(m->items[num]);
	return *out ? 0 : JERRY_ENOMEM;
}

H_API int h_mem_mutate(void *ctx, jerry_item **out, int64_t num, jr_apply_fn fn, void *arg,
			jerry_error *err)
{
	h_mem *m = ctx;
	jerry_item *it = NULL;
	if (out)
		*out = NULL;
	int rc = h_mem_get(ctx, &it, num, err);
	if (rc)
		return rc;
	if ((rc = fn(it, arg, err))) {
		jerry_item_free(it);
		/* As the store's port: nothing to write, the item handed back as it is. */
		if (rc == JR_UNCHANGED) {
			if (out)
				*out = jr_item_dup(m->items[num]);
			return 0;
		}
		return rc;
	}
	it->version++;
	it->updated_at = m->now;
	jr_set_str(&it->updated_by, m->actor);
	jerry_item_free(m->items[num]);
	m->items[num] = it;
	m->mutates++;
	h_mem_record(m, it, "update");
	if (out)
		*out = jr_item_dup(it);
	return 0;
}

H_API int h_mem_create(void *ctx, jerry_item **out, jr_apply_fn fill, void *arg, jerry_error *err)
{
	h_mem *m = ctx;
	if (out)
		*out = NULL;
	if (m->last_num >= H_MEM_MAX)
		return jr_error(err, JERRY_EREFUSED, "the in-memory store is full");
	jerry_item *it = jr_item_new();
	assert_non_null(it);
	it->num = ++m->last_num;
	jerry_id_format(it->id, sizeof(it->id), it->num);
	it->uid = ++m->last_uid;
	it->version = 1;
	it->created_at = it->updated_at = m->now;
	jr_set_str(&it->created_by, m->actor);
	jr_set_str(&it->updated_by, m->actor);
	int rc = fill(it, arg, err);
	if (rc) {
		jerry_item_free(it);
		return rc;
	}
	m->items[it->num] = it;
	m->creates++;
	h_mem_record(m, it, "create");
	if (out)
		*out = jr_item_dup(it);
	return 0;
}

H_API int h_mem_scan(void *ctx, jerry_item ***out, size_t *out_n, jerry_error *err)
{
	h_mem *m = ctx;
	jerry_item **all = calloc(H_MEM_MAX + 1, sizeof(*all));
	size_t n = 0;
	(void)err;
	assert_non_null(all);
	for (int64_t i = 1; i <= H_MEM_MAX; i++) {
		if (!m->items[i])
			continue;
		all[n] = jr_item_dup(m->items[i]);
		assert_non_null(all[n]);
		all[n]->is_summary = 1;
		n++;
	}
	*out = all;
	*out_n = n;
	return 0;
}

H_API int h_mem_each(void *ctx, int (*fn)(void *arg, const jerry_item *item, jerry_error *err),
		     void *arg, jerry_error *err)
{
	h_mem *m = ctx;
	int rc = 0;
	for (int64_t i = 1; i <= H_MEM_MAX && rc == 0; i++)
		if (m->items[i])
			rc = fn(arg, m->items[i], err);
	return rc > 0 ? 0 : rc;
}

H_API h_mem *h_mem_new(void)
{
	h_mem *m = calloc(1, sizeof(*m));
	assert_non_null(m);
	m->now = 1767225600000LL; /* 2026-01-01T00:00:00Z */
	m->actor = "alice@host:1";
	m->session = "sess-a";
	m->port = (jr_port){.ctx = m, .now = h_mem_now, .actor = h_mem_actor,
			    .session = h_mem_session, .get = h_mem_get, .mutate = h_mem_mutate,
			    .create = h_mem_create, .scan = h_mem_scan, .history = h_mem_history,
			    .history_each = h_mem_history_each, .each = h_mem_each};
	return m;
}

H_API void h_mem_free(h_mem *m)
{
	if (!m)
		return;
	for (int i = 0; i <= H_MEM_MAX; i++) {
		jerry_item_free(m->items[i]);
		jerry_history_free(m->hist[i], m->nhist[i]);
	}
	free(m);
}

H_API int h_mem_setup(void **state)
{
	*state = h_mem_new();
	return 0;
}

H_API int h_mem_teardown(void **state)
{
	h_mem_free(*state);
	return 0;
}

#endif
