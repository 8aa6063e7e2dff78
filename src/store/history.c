/*
 * history.c - history/WORK-NNN.jsonl, the append-only log of every change
 * to one item.
 *
 * An entry is appended, and made durable, under the item's lock *before*
 * the item file is renamed into place - the same order as the index put.
 * So an acknowledged change always has its entry.  A writer that dies
 * between the append and the rename leaves an entry for a version that
 * never became current; the next writer of that item produces the same
 * version number again.  Readers therefore keep, for each version, the
 * last entry written, and drop entries above the item's current version:
 * no entry of an acknowledged change is ever lost or shown twice.
 */
#define _GNU_SOURCE
#include "store.h"
#include "codec.h"
#include "io.h"
#include "../domain/domain.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Fields whose change is the entry itself (version, at, by), not news. */
static int is_bookkeeping(const char *key)
{
	return !strcmp(key, "version") || !strcmp(key, "updated_at") || !strcmp(key, "updated_by");
}

static json_t *diff(const jerry_item *old, const jerry_item *cur)
{
	json_t *a = jr_codec_encode(old, 0), *b = jr_codec_encode(cur, 0);
	json_t *changes = json_object();
	const char *key;
	json_t *bv;
	if (!a || !b || !changes)
		goto fail;
	json_object_foreach(b, key, bv) {
		json_t *av = json_object_get(a, key);
		if (is_bookkeeping(key) || (av && json_equal(av, bv)))
			continue;
		json_t *c;
		if (!strcmp(key, "notes")) {
			json_t *added = json_array();
			size_t from = json_array_size(av);
			for (size_t i = from; added && i < json_array_size(bv); i++)
				json_array_append(added, json_array_get(bv, i));
			c = json_pack("{s:o*}", "added", added);
		} else {
			c = json_pack("{s:O*,s:O}", "from", av ? av : json_null(), "to", bv);
		}
		if (!c || json_object_set_new(changes, key, c) < 0)
			goto fail;
	}
	json_decref(a);
	json_decref(b);
	return changes;
fail:
	json_decref(a);
	json_decref(b);
	json_decref(changes);
	return NULL;
}

static int history_error(jerry_error *err, int e, const char *verb, const char *path)
{
	jr_error_sys(err, JERRY_ESTORAGE, e, "cannot %s '%s'", verb, path);
	if (err)
		snprintf(err->path, sizeof(err->path), "%s", path);
	return JERRY_ESTORAGE;
}

/* Make a new directory entry durable: fsync the directory that holds it. */
static int sync_dir(jerry_store *st, const char *rel, jerry_error *err)
{
	char path[PATH_MAX + 32];
	if (!st->sync)
		return 0;
	jr_store_path(path, sizeof(path), st, rel);
	int fd = jr_io_openat(st->dirfd, rel, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return history_error(err, errno, "open", path);
	int rc = jr_io_fsync(fd) < 0 ? history_error(err, errno, "sync", path) : 0;
	jr_io_close(fd);
	return rc;
}

static int open_history(int *out, jerry_store *st, int64_t num, int create, jerry_error *err)
{
	char rel[64], path[PATH_MAX + 64];
	int rc;
	snprintf(rel, sizeof(rel), "history/WORK-%03lld.jsonl", (long long)num);
	jr_store_path(path, sizeof(path), st, rel);
	if (!create) {
		int fd = jr_io_openat(st->dirfd, rel, O_RDONLY | O_NOFOLLOW, 0);
		if (fd < 0)
			return errno == ENOENT ? JERRY_ENOTFOUND : history_error(err, errno, "open", path);
		*out = fd;
		return 0;
	}
	int flags = O_RDWR | O_APPEND | O_NOFOLLOW; /* read: to find a torn tail */
	int fd = jr_io_openat(st->dirfd, rel, flags, 0);
	if (fd < 0 && errno == ENOENT) {
		/* Stores made before history existed get the directory now. */
		char dir[PATH_MAX + 16];
		jr_store_path(dir, sizeof(dir), st, "history");
		if (jr_io_mkdir(dir, 0755) == 0) {
			if ((rc = sync_dir(st, ".", err)))
				return rc;
		} else if (errno != EEXIST) {
			return history_error(err, errno, "create", dir);
		}
		/*
		 * A new file: its name must be durable before the change it
		 * records is acknowledged, so the directory is synced too.
		 */
		fd = jr_io_openat(st->dirfd, rel, flags | O_CREAT | O_EXCL, 0644);
		if (fd >= 0 && (rc = sync_dir(st, "history", err))) {
			jr_io_close(fd);
			return rc;
		}
		if (fd < 0 && errno == EEXIST)
			fd = jr_io_openat(st->dirfd, rel, flags, 0);
	}
	if (fd < 0)
		return history_error(err, errno, "open", path);
	*out = fd;
	return 0;
}

int jr_history_record(jerry_store *st, const jerry_item *old, const jerry_item *cur,
		      jerry_error *err)
{
	char at[40];
	json_t *changes = old ? diff(old, cur) : jr_codec_encode(cur, 1);
	if (!changes)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	jerry_time_format(at, sizeof(at), cur->updated_at);
	json_t *entry = json_pack("{s:I,s:s,s:s*,s:s,s:o}", "version", (json_int_t)cur->version,
				  "at", at, "by", cur->updated_by, "op", old ? "update" : "create",
				  "changes", changes);
	char *line = entry ? json_dumps(entry, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(entry);
	if (!line)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	size_t len = strlen(line);
	line[len++] = '\n'; /* json_dumps leaves room: we overwrite the NUL */

	int fd = -1, rc = open_history(&fd, st, cur->num, 1, err);
	if (rc) {
		free(line);
		return rc;
	}
	off_t end = 0;
	int bad = jr_file_end_whole(fd, &end) < 0 || jr_io_write_all(fd, line, len) < 0 ||
		  (st->sync && jr_io_fdatasync(fd) < 0);
	if (bad) {
		int e = errno;
		/* Cut a partial line off so the log stays whole. */
		(void)jr_io_ftruncate(fd, end);
		jr_error_sys(err, JERRY_ESTORAGE, e, "cannot append to the history of '%s'", cur->id);
		jr_error_hint(err, e == ENOSPC ? "free some disk space and retry; nothing was changed"
					       : "nothing was changed");
		rc = JERRY_ESTORAGE;
	}
	jr_io_close(fd);
	free(line);
	return rc;
}

void jerry_history_free(jerry_history_entry *e, size_t n)
{
	if (!e)
		return;
	for (size_t i = 0; i < n; i++) {
		free(e[i].by);
		free(e[i].op);
		free(e[i].changes);
	}
	free(e);
}

int jr_history_load(jerry_history_entry **out, size_t *out_n, jerry_store *st,
		    const jerry_item *item, jerry_error *err)
{
	int fd = -1, rc;
	char *buf = NULL;
	size_t len;
	*out = NULL;
	*out_n = 0;
	rc = open_history(&fd, st, item->num, 0, err);
	if (rc == JERRY_ENOTFOUND)
		return 0; /* no change recorded yet (a store older than history) */
	if (rc)
		return rc;
	if (jr_io_read_all(fd, &buf, &len, 256u << 20) < 0) {
		int e = errno;
		jr_io_close(fd);
		return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot read the history of '%s'", item->id);
	}
	jr_io_close(fd);
	/* slot[v] is the last entry written for version v. */
	size_t cap = (size_t)item->version + 1;
	jerry_history_entry *slot = calloc(cap, sizeof(*slot));
	if (!slot) {
		free(buf);
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	}
	char *line = buf;
	while (line < buf + len) {
		char *nl = memchr(line, '\n', (size_t)(buf + len - line));
		if (!nl)
			break; /* a torn last line: its change was never acknowledged */
		json_t *o = json_loadb(line, (size_t)(nl - line), 0, NULL);
		line = nl + 1;
		json_t *v = json_object_get(o, "version");
		json_t *at = json_object_get(o, "at");
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > item->version) {
			json_decref(o);
			continue;
		}
		jerry_history_entry *e = &slot[json_integer_value(v)];
		free(e->by);
		free(e->op);
		free(e->changes);
		memset(e, 0, sizeof(*e));
		e->version = json_integer_value(v);
		if (json_is_string(at))
			jerry_time_parse(&e->at_ms, json_string_value(at));
		json_t *by = json_object_get(o, "by"), *op = json_object_get(o, "op");
		e->by = json_is_string(by) ? strdup(json_string_value(by)) : NULL;
		e->op = strdup(json_is_string(op) ? json_string_value(op) : "update");
		e->changes = json_dumps(json_object_get(o, "changes"), JSON_COMPACT | JSON_PRESERVE_ORDER |
								      JSON_ENCODE_ANY);
		json_decref(o);
		if (!e->op || !e->changes) {
			jerry_history_free(slot, cap);
			free(buf);
			return jr_error(err, JERRY_ENOMEM, "out of memory");
		}
	}
	free(buf);
	size_t k = 0;
	for (size_t v = 1; v < cap; v++)
		if (slot[v].op)
			slot[k++] = slot[v];
	*out = slot;
	*out_n = k;
	return 0;
}

int jerry_history(jerry_history_entry **out, size_t *out_n, jerry_store *st, const char *id,
		  jerry_error *err)
{
	int64_t num;
	jerry_item *item = NULL;
	int rc;
	*out = NULL;
	*out_n = 0;
	if ((rc = jerry_id_parse(&num, id, err)) || (rc = jr_store_read_item(&item, st, num, err)))
		return rc;
	rc = jr_history_load(out, out_n, st, item, err);
	jerry_item_free(item);
	return rc;
}
