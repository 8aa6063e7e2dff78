/*
 * export_file.c - the text of `jerry export` (JSON Lines: a header, then one
 * item a line) and the file it goes to with -o, written whole under a temp
 * name beside it, synced and renamed in, so that a reader never sees half
 * an export and a failed one leaves the old file as it was.
 */
#include "export.h"
#include "codec.h"
#include "io.h"
#include "../domain/domain.h"
#include "../util/path.h"
#include "../util/strbuf.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define OUT_BUF (64 * 1024)

char *jr_export_header(size_t *out_len)
{
	static const char head[] = "{\"jerry_export\":" JR_EXPORT_VERSION_STR ",\"format\":1}\n";
	char *text = strdup(head);
	if (text)
		*out_len = sizeof(head) - 1;
	return text;
}

static json_t *history_json(const jerry_history_entry *h, size_t nh)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < nh; i++) {
		char at[40];
		jerry_time_format(at, sizeof(at), h[i].at_ms);
		json_t *changes = json_loads(h[i].changes ? h[i].changes : "{}", JSON_DECODE_ANY, NULL);
		json_t *e = json_pack("{s:I,s:s,s:s?,s:s,s:o}", "version", (json_int_t)h[i].version,
				      "at", at, "by", h[i].by, "op", h[i].op ? h[i].op : "update",
				      "changes", changes ? changes : json_object());
		if (!e || json_array_append_new(arr, e)) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/*
 * jansson's bytes for the item and its history: the slow path, for an item
 * the fast encoder declines (unknown keys, text that is not UTF-8).
 */
static int line_jansson(struct jr_sb *sb, const jerry_item *item, const jerry_history_entry *h,
			size_t nh, int with_history)
{
	json_t *o = jr_codec_encode(item, JR_ENCODE_FULL);
	char *text = NULL;
	if (o && with_history) {
		json_t *arr = history_json(h, nh);
		if (!arr || json_object_set_new(o, JR_EXPORT_HISTORY_KEY, arr)) {
			json_decref(o);
			return JERRY_ENOMEM;
		}
	}
	if (o)
		text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!text)
		return JERRY_ENOMEM;
	int rc = jr_sb_addstr(sb, text);
	free(text);
	return rc;
}

/*
 * The fast path writes the item's compact text (codec.h: jansson's bytes)
 * and, with history, puts the array where jansson would: the last member,
 * which "history" is, since an item that has unknown keys - "history"
 * among them - is declined to jansson.
 */
int jr_export_line(struct jr_sb *sb, const jerry_item *item, const jerry_history_entry *h,
		   size_t nh, int with_history)
{
	int rc = jr_item_compact_put(sb, item);
	if (rc == JR_SUMMARY_DECLINE)
		rc = line_jansson(sb, item, h, nh, with_history);
	else if (!rc && with_history) {
		json_t *arr = history_json(h, nh);
		char *text = arr ? json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		json_decref(arr);
		if (!text)
			return JERRY_ENOMEM;
		sb->len--; /* the item's closing brace, put back after the history */
		rc = jr_sb_add(sb, ",\"" JR_EXPORT_HISTORY_KEY "\":", sizeof(JR_EXPORT_HISTORY_KEY) + 3);
		if (!rc)
			rc = jr_sb_addstr(sb, text);
		if (!rc)
			rc = jr_sb_addch(sb, '}');
		free(text);
	}
	if (!rc)
		rc = jr_sb_addch(sb, '\n');
	return rc;
}

struct jr_outfile {
	int dirfd, fd;
	int sync;
	char path[PATH_MAX];       /* as given, for messages */
	char name[NAME_MAX + 1];   /* its last component     */
	char tmp[NAME_MAX + 1];    /* .NAME.tmp-PID-RAND beside it */
	size_t used;
	char buf[OUT_BUF];
};

static int outfile_error(jerry_error *err, int e, const char *verb, const char *path)
{
	jr_error_sys(err, JERRY_ESTORAGE, e, "cannot %s '%s'", verb, path);
	if (err) {
		snprintf(err->path, sizeof(err->path), "%s", path);
		jr_error_hint(err, "the export was not written; the old file, if any, is unchanged");
	}
	return JERRY_ESTORAGE;
}

int jr_outfile_open(jr_outfile **out, const char *path, int sync, jerry_error *err)
{
	*out = NULL;
	size_t len = strlen(path);
	if (len == 0 || len >= PATH_MAX || path[len - 1] == '/')
		return jr_error(err, JERRY_EINVALID, "'%.200s' is not a file name", path);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (strlen(base) + 32 > NAME_MAX || !strcmp(base, ".") || !strcmp(base, ".."))
		return jr_error(err, JERRY_EINVALID, "'%.200s' is not a file name", path);
	jr_outfile *of = calloc(1, sizeof(*of));
	if (!of)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	of->fd = -1;
	of->sync = sync;
	snprintf(of->path, sizeof(of->path), "%s", path);
	snprintf(of->name, sizeof(of->name), "%s", base);
	char dir[PATH_MAX];
	jr_path_dir(dir, sizeof(dir), path);
	of->dirfd = jr_io_open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (of->dirfd < 0) {
		int rc = outfile_error(err, errno, "open the directory of", path);
		free(of);
		return rc;
	}
	for (int tries = 0; of->fd < 0 && tries < 8; tries++) {
		uint32_t rnd = 0;
		if (jr_io_getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) < 0)
			rnd = (uint32_t)(uintptr_t)of ^ (uint32_t)tries;
		snprintf(of->tmp, sizeof(of->tmp), ".%s.tmp-%ld-%08x", base, (long)getpid(), rnd);
		of->fd = jr_io_openat(of->dirfd, of->tmp,
				      O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (of->fd < 0 && errno != EEXIST)
			break;
	}
	if (of->fd < 0) {
		int rc = outfile_error(err, errno, "create a temp file beside", path);
		jr_io_close(of->dirfd);
		free(of);
		return rc;
	}
	*out = of;
	return 0;
}

static int flush_buf(jr_outfile *of, jerry_error *err)
{
	if (of->used && jr_io_write_all(of->fd, of->buf, of->used) < 0)
		return outfile_error(err, errno, "write", of->path);
	of->used = 0;
	return 0;
}

int jr_outfile_write(jr_outfile *of, const char *text, size_t len, jerry_error *err)
{
	int rc;
	if (len > OUT_BUF - of->used && (rc = flush_buf(of, err)))
		return rc;
	if (len >= OUT_BUF) {
		if (jr_io_write_all(of->fd, text, len) < 0)
			return outfile_error(err, errno, "write", of->path);
		return 0;
	}
	memcpy(of->buf + of->used, text, len);
	of->used += len;
	return 0;
}

void jr_outfile_abort(jr_outfile *of)
{
	if (!of)
		return;
	if (of->fd >= 0) {
		(void)jr_io_unlinkat(of->dirfd, of->tmp, 0); /* cleanup: the caller reports the cause */
		jr_io_close(of->fd);
	}
	jr_io_close(of->dirfd);
	free(of);
}

int jr_outfile_commit(jr_outfile *of, jerry_error *err)
{
	int rc = flush_buf(of, err);
	if (!rc && of->sync && jr_io_fsync(of->fd) < 0)
		rc = outfile_error(err, errno, "sync", of->path);
	if (rc) {
		jr_outfile_abort(of);
		return rc;
	}
	int fd = of->fd;
	of->fd = -1;
	if (jr_io_close(fd) < 0 || jr_io_renameat(of->dirfd, of->tmp, of->dirfd, of->name) < 0) {
		int e = errno;
		(void)jr_io_unlinkat(of->dirfd, of->tmp, 0); /* cleanup: the caller reports the cause */
		jr_outfile_abort(of);
		return outfile_error(err, e, "write", of->path);
	}
	if (of->sync && jr_io_fsync(of->dirfd) < 0) {
		int e = errno;
		jr_error_sys(err, JERRY_EDURABLE, e, "'%s' was written but may not survive a power cut",
			     of->path);
		jr_outfile_abort(of);
		return JERRY_EDURABLE;
	}
	jr_outfile_abort(of); /* fd is -1: only the directory is closed and the memory freed */
	return 0;
}
