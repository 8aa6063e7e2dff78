/*
 * mergefile.c - jerry merge-file: git's merge driver for the record.
 *
 * git hands a driver three files - the common ancestor (%O), ours (%A) and
 * theirs (%B) - and the path in the tree (%P), and takes the result from
 * %A (gitattributes(5), "Defining a custom merge driver").  An item file
 * (items/WORK-NNN.json) is merged by the domain's rules (jr_item_merge,
 * ADR 0020) plus its unknown keys here; a history file
 * (history/WORK-NNN.jsonl) by keeping every entry of both sides once, in
 * the order of (version, at, text).  The result replaces %A by temp file,
 * fsync and rename, so a crash leaves git's file whole, old or new.
 */
#define _GNU_SOURCE
#include "store.h"
#include "codec.h"
#include "io.h"
#include "../domain/domain.h"
#include "../util/array.h"
#include "../util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HISTORY_FILE_MAX (256u * 1024 * 1024)

static int read_file(char **out, size_t *out_len, const char *path, size_t max, jerry_error *err)
{
	int fd = jr_io_open(path, O_RDONLY | O_CLOEXEC, 0);
	*out = NULL;
	*out_len = 0;
	if (fd < 0)
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot open '%s'", path);
	int rc = jr_io_read_all(fd, out, out_len, max);
	int e = errno;
	jr_io_close(fd);
	if (rc < 0)
		return jr_error_sys(err, e == ENOMEM ? JERRY_ENOMEM : JERRY_ESTORAGE, e,
				    "cannot read '%s'", path);
	return 0;
}

/* path's contents replaced by buf: temp file beside it, fsync, rename, dir fsync. */
static int replace_file(const char *path, const char *buf, size_t len, jerry_error *err)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 64];
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	if (dlen >= sizeof(dir))
		return jr_error(err, JERRY_EINVALID, "the path '%s' is too long", path);
	if (slash) {
		memcpy(dir, path, dlen);
		dir[dlen] = '\0';
		if (!dlen)
			snprintf(dir, sizeof(dir), "/");
	} else {
		snprintf(dir, sizeof(dir), ".");
	}
	uint32_t r = 0;
	if (jr_io_getrandom(&r, sizeof(r), 0) < 0)
		r = (uint32_t)getpid();
	snprintf(tmp, sizeof(tmp), "%s.jerry-merge-%ld-%08x", path, (long)getpid(), r);
	int fd = jr_io_open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot create '%s'", tmp);
	if (jr_io_write_all(fd, buf, len) < 0 || jr_io_fsync(fd) < 0) {
		int e = errno;
		jr_io_close(fd);
		jr_io_unlinkat(AT_FDCWD, tmp, 0);
		return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot write '%s'", tmp);
	}
	if (jr_io_close(fd) < 0) {
		int e = errno;
		jr_io_unlinkat(AT_FDCWD, tmp, 0);
		return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot write '%s'", tmp);
	}
	if (jr_io_renameat(AT_FDCWD, tmp, AT_FDCWD, path) < 0) {
		int e = errno;
		jr_io_unlinkat(AT_FDCWD, tmp, 0);
		return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot rename '%s' to '%s'", tmp, path);
	}
	int dfd = jr_io_open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (dfd < 0 || jr_io_fsync(dfd) < 0) {
		int e = errno;
		if (dfd >= 0)
			jr_io_close(dfd);
		return jr_error_sys(err, JERRY_EDURABLE, e, "cannot sync the directory '%s'", dir);
	}
	if (jr_io_close(dfd) < 0)
		return jr_error_sys(err, JERRY_EDURABLE, errno, "cannot sync the directory '%s'", dir);
	return 0;
}

/* ---- items ------------------------------------------------------------------ */

static int ext_equal(const void *a, const void *b)
{
	if (!a || !b)
		return (!a || !json_object_size((json_t *)a)) && (!b || !json_object_size((json_t *)b));
	return json_equal((json_t *)a, (json_t *)b);
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The unknown keys, key by key: one side changed it (or removed it), that
 * side's; both apart, the later side's, and on a tie the larger text.  The
 * keys come out sorted, so the order of the sides does not show.
 */
static int merge_ext(json_t **out, const json_t *b, const json_t *o, const json_t *t, int side)
{
	json_t *m = json_object();
	const char **keys = NULL;
	size_t n = 0;
	const char *key;
	json_t *v;
	int rc = JERRY_ENOMEM;
	*out = NULL;
	if (!m)
		return rc;
	keys = malloc((json_object_size(o) + json_object_size(t) + 1) * sizeof(*keys));
	if (!keys)
		goto out;
	json_object_foreach((json_t *)o, key, v)
		keys[n++] = key;
	json_object_foreach((json_t *)t, key, v)
		if (!json_object_get(o, key))
			keys[n++] = key;
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t i = 0; i < n; i++) {
		json_t *vo = json_object_get(o, keys[i]), *vt = json_object_get(t, keys[i]);
		json_t *vb = b ? json_object_get(b, keys[i]) : NULL;
		json_t *pick;
		int eo = vo && vb ? json_equal(vo, vb) : vo == vb;
		int et = vt && vb ? json_equal(vt, vb) : vt == vb;
		if ((vo && vt && json_equal(vo, vt)) || et)
			pick = vo;
		else if (eo)
			pick = vt;
		else if (side)
			pick = side > 0 ? vo : vt;
		else {
			char *so = vo ? json_dumps(vo, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS) : NULL;
			char *st = vt ? json_dumps(vt, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS) : NULL;
			if ((vo && !so) || (vt && !st)) {
				free(so);
				free(st);
				goto out;
			}
			pick = !so ? vt : !st ? vo : strcmp(so, st) >= 0 ? vo : vt;
			free(so);
			free(st);
		}
		if (pick && json_object_set(m, keys[i], pick) < 0)
			goto out;
	}
	rc = 0;
	*out = m;
	m = NULL;
out:
	free(keys);
	json_decref(m);
	return rc;
}

int64_t jr_merge_path_num(const char *path)
{
	const char *base = strrchr(path, '/');
	char id[32];
	base = base ? base + 1 : path;
	const char *dot = strchr(base, '.');
	size_t len = dot ? (size_t)(dot - base) : strlen(base);
	int64_t num = 0;
	if (len >= sizeof(id))
		return 0;
	memcpy(id, base, len);
	id[len] = '\0';
	if (jerry_id_parse(&num, id, NULL))
		return 0;
	return num;
}

static int parse_side(jerry_item **out, const char *text, size_t len, const char *what,
		      const char *path, jerry_error *err)
{
	char where[PATH_MAX + 32];
	snprintf(where, sizeof(where), "%s (%s)", path, what);
	return jr_codec_parse_item(out, text, len, where, 0, err);
}

static int merge_item(char **result, size_t *result_len, jerry_merge_result *res,
		      const char *const text[3], const size_t len[3], const char *path,
		      int64_t now_ms, jerry_error *err)
{
	static const char *const what[3] = { "base", "ours", "theirs" };
	jerry_item *it[3] = { NULL, NULL, NULL }, *m = NULL;
	json_t *ext = NULL;
	char *out = NULL;
	size_t out_len;
	int rc;
	for (int i = 0; i < 3; i++) {
		/* git gives an empty base when both sides added the file. */
		if (i == 0 && len[0] == 0)
			continue;
		if ((rc = parse_side(&it[i], text[i], len[i], what[i], path, err)))
			goto out;
	}
	snprintf(res->id, sizeof(res->id), "%s", it[1]->id);
	if (it[1]->uid != it[2]->uid) {
		rc = jr_error(err, JERRY_ECONFLICT,
			      "cannot merge '%s': both sides created %s as two different items "
			      "(uids %llu and %llu)", path, it[1]->id,
			      (unsigned long long)it[1]->uid, (unsigned long long)it[2]->uid);
		jr_error_hint(err, "share the store with 'jerry sync', which renumbers one of them");
		goto out;
	}
	if ((rc = jr_item_merge(&m, &res->decided, it[0], it[1], it[2], now_ms, err)))
		goto out;
	if ((rc = merge_ext(&ext, it[0] ? it[0]->ext : NULL, it[1]->ext, it[2]->ext,
			    jr_merge_side(it[1], it[2])))) {
		rc = jr_error(err, rc, "out of memory");
		goto out;
	}
	/* A side taken as it is keeps its unknown keys in their order. */
	if (ext_equal(it[1]->ext, it[2]->ext) || (it[0] && ext_equal(it[2]->ext, it[0]->ext))) {
		json_decref(ext);
		ext = it[1]->ext ? json_copy(it[1]->ext) : NULL;
	} else if (it[0] && ext_equal(it[1]->ext, it[0]->ext)) {
		json_decref(ext);
		ext = it[2]->ext ? json_copy(it[2]->ext) : NULL;
	}
	/* The unknown keys are merge_ext's alone, not those a side's copy came with. */
	if (m->ext && m->ext_free)
		m->ext_free(m->ext);
	m->ext = NULL;
	m->ext_free = NULL;
	m->ext_dup = NULL;
	if (ext && json_object_size(ext)) {
		jr_codec_ext_own(m, ext);
		ext = NULL;
	}
	if (!(out = jr_codec_item_text(m, &out_len))) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	res->version = m->version;
	res->changed = len[1] != out_len || memcmp(text[1], out, out_len) != 0;
	*result = out;
	*result_len = out_len;
	out = NULL;
out:
	json_decref(ext);
	free(out);
	jerry_item_free(m);
	for (int i = 0; i < 3; i++)
		jerry_item_free(it[i]);
	return rc;
}

/* ---- history ------------------------------------------------------------------ */

struct hline {
	const char *text;          /* the line, without its newline */
	size_t len;
	long long version;         /* LLONG_MAX when it is not an entry */
	long long both;            /* a {"both_sides":V} line: V; else 0 */
	size_t pos;                /* in its side's file */
	int drop;                  /* superseded in its side's file */
	char at[40];
};

static void hline_key(struct hline *h)
{
	json_t *v = json_loadb(h->text, h->len, JSON_REJECT_DUPLICATES, NULL);
	json_t *ver = v ? json_object_get(v, "version") : NULL;
	json_t *at = v ? json_object_get(v, "at") : NULL;
	json_t *both = v ? json_object_get(v, "both_sides") : NULL;
	h->version = json_is_integer(ver) ? json_integer_value(ver) : LLONG_MAX;
	h->both = h->version == LLONG_MAX && json_is_integer(both) && json_integer_value(both) > 0
			  ? json_integer_value(both) : 0;
	h->drop = 0;
	snprintf(h->at, sizeof(h->at), "%s", json_is_string(at) ? json_string_value(at) : "");
	json_decref(v);
}

static int hline_cmp(const void *pa, const void *pb)
{
	const struct hline *a = pa, *b = pb;
	if (a->version != b->version)
		return a->version < b->version ? -1 : 1;
	int c = strcmp(a->at, b->at);
	if (c)
		return c;
	size_t n = a->len < b->len ? a->len : b->len;
	c = memcmp(a->text, b->text, n);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

static int split_lines(struct hline **v, size_t *n, size_t *cap, const char *buf, size_t len)
{
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) : len;
		if (end > i) {
			if (*n == *cap) {
				size_t c = *cap ? *cap * 2 : 64;
				struct hline *g = realloc(*v, c * sizeof(*g));
				if (!g)
					return JERRY_ENOMEM;
				*v = g;
				*cap = c;
			}
			struct hline *h = &(*v)[(*n)++];
			h->text = buf + i;
			h->len = end - i;
			h->pos = i;
			hline_key(h);
		}
		i = end + 1;
	}
	return 0;
}

static int cmp_version(const void *pa, const void *pb)
{
	long long a = *(const long long *)pa, b = *(const long long *)pb;
	return (a > b) - (a < b);
}

static int by_version_pos(const void *pa, const void *pb)
{
	const struct hline *a = *(const struct hline *const *)pa, *b = *(const struct hline *const *)pb;
	if (a->version != b->version)
		return a->version < b->version ? -1 : 1;
	return (a->pos > b->pos) - (a->pos < b->pos);
}

static int has_both(const long long *both, size_t n, long long version)
{
	for (size_t i = 0; i < n; i++)
		if (both[i] == version)
			return 1;
	return 0;
}

/*
 * One side's file as its reader sees it (history.c): of the entries of one
 * version the last written, a crash's leftover before it dropped - unless
 * a {"both_sides":V} line of either side says that version's entries are
 * two clones' and all stand.
 */
static int side_view(struct hline *v, size_t n, const long long *both, size_t nboth)
{
	struct hline **by = malloc((n ? n : 1) * sizeof(*by));
	if (!by)
		return JERRY_ENOMEM;
	for (size_t i = 0; i < n; i++)
		by[i] = &v[i];
	qsort(by, n, sizeof(*by), by_version_pos);
	for (size_t i = 0; i + 1 < n; i++)
		if (by[i]->version != LLONG_MAX && by[i]->version == by[i + 1]->version &&
		    !has_both(both, nboth, by[i]->version))
			by[i]->drop = 1;
	free(by);
	return 0;
}

/*
 * Every entry of both sides once.  An entry is a line: two clones that
 * each wrote a version 4 keep both, and base's entries are in both sides.
 * Where the result holds two entries of one version, a line
 * {"both_sides":V} after the entries says so, for the reader: it shows
 * every entry of V, where otherwise the last written stands for a version.
 */
static int merge_history(char **result, size_t *result_len, jerry_merge_result *res,
			 const char *const text[3], const size_t len[3], const char *path,
			 jerry_error *err)
{
	struct hline *v = NULL;
	size_t n = 0, cap = 0, k = 0, n1 = 0, nboth = 0, bcap = 0;
	long long *both = NULL;
	struct jr_sb sb = JR_SB_INIT;
	int rc;
	if ((rc = split_lines(&v, &n, &cap, text[1], len[1])) || ((n1 = n), 0) ||
	    (rc = split_lines(&v, &n, &cap, text[2], len[2]))) {
		rc = jr_error(err, rc, "out of memory");
		goto out;
	}
	/*
	 * One item has one creation: two different version-1 entries are two
	 * items created under one number, which no merge makes one.
	 */
	for (size_t i = 0, first = n; i < n; i++) {
		if (v[i].version != 1)
			continue;
		if (first == n) {
			first = i;
		} else if (v[i].len != v[first].len || memcmp(v[i].text, v[first].text, v[i].len)) {
			char id[24];
			jerry_id_format(id, sizeof(id), jr_merge_path_num(path));
			rc = jr_error(err, JERRY_ECONFLICT,
				      "cannot merge '%s': both sides created %s as two different items",
				      path, id);
			jr_error_hint(err, "share the store with 'jerry sync', which renumbers one of them");
			goto out;
		}
	}
	/* Each side's view, then the union; the versions both sides wrote apart are marked. */
	for (size_t i = 0; i < n; i++)
		if (v[i].both && !has_both(both, nboth, v[i].both)) {
			if (JR_ARRAY_GROW(both, nboth + 1, bcap)) {
				rc = jr_error(err, JERRY_ENOMEM, "out of memory");
				goto out;
			}
			both[nboth++] = v[i].both;
		}
	if ((rc = side_view(v, n1, both, nboth)) || (rc = side_view(v + n1, n - n1, both, nboth))) {
		rc = jr_error(err, rc, "out of memory");
		goto out;
	}
	qsort(v, n, sizeof(*v), hline_cmp);
	const struct hline *prev = NULL;
	for (size_t i = 0; i < n; i++) {
		if (v[i].drop || v[i].both || (prev && !hline_cmp(prev, &v[i])))
			continue;
		if (prev && prev->version == v[i].version && v[i].version != LLONG_MAX &&
		    !has_both(both, nboth, v[i].version)) {
			if (JR_ARRAY_GROW(both, nboth + 1, bcap)) {
				rc = jr_error(err, JERRY_ENOMEM, "out of memory");
				goto out;
			}
			both[nboth++] = v[i].version;
		}
		jr_sb_add(&sb, v[i].text, v[i].len);
		jr_sb_addch(&sb, '\n');
		prev = &v[i];
		k++;
	}
	qsort(both, nboth, sizeof(*both), cmp_version);
	for (size_t i = 0; i < nboth; i++)
		jr_sb_addf(&sb, "{\"both_sides\":%lld}\n", both[i]);
	if (sb.failed) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	res->entries = k;
	res->changed = sb.len != len[1] || (sb.len && memcmp(sb.buf, text[1], sb.len));
	if (!(*result = jr_sb_detach(&sb, result_len)))
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
out:
	jr_sb_release(&sb);
	free(both);
	free(v);
	return rc;
}

int jr_merge_text(char **out, size_t *out_len, jerry_merge_result *res,
		  const char *const text[3], const size_t len[3], const char *path,
		  int64_t now_ms, jerry_error *err)
{
	size_t plen = strlen(path);
	int history = plen > 6 && !strcmp(path + plen - 6, ".jsonl");
	int rc;
	*out = NULL;
	*out_len = 0;
	memset(res, 0, sizeof(*res));
	res->history = history;
	if (!history && !(plen > 5 && !strcmp(path + plen - 5, ".json")))
		return jr_error(err, JERRY_EINVALID, "cannot merge '%s': not an item or history file",
				path);
	if (!jr_merge_path_num(path))
		return jr_error(err, JERRY_EINVALID, "cannot merge '%s': its name is not an item's",
				path);
	if (history)
		rc = merge_history(out, out_len, res, text, len, path, err);
	else
		rc = merge_item(out, out_len, res, text, len, path, now_ms, err);
	if (history)
		jerry_id_format(res->id, sizeof(res->id), jr_merge_path_num(path));
	return rc;
}

int64_t jr_merge_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int jr_merge_file(jerry_merge_result *res, const char *base, const char *ours,
		  const char *theirs, const char *path, jerry_error *err)
{
	const char *files[3] = { base, ours, theirs };
	char *text[3] = { NULL, NULL, NULL }, *out = NULL;
	size_t len[3] = { 0, 0, 0 }, out_len = 0;
	size_t plen = strlen(path);
	int history = plen > 6 && !strcmp(path + plen - 6, ".jsonl");
	int rc = 0;
	memset(res, 0, sizeof(*res));
	for (int i = 0; i < 3 && !rc; i++)
		rc = read_file(&text[i], &len[i], files[i],
			       history ? HISTORY_FILE_MAX : JR_ITEM_FILE_MAX, err);
	if (!rc) {
		const char *const t[3] = { text[0], text[1], text[2] };
		/* Claims are judged live or lapsed at the merge's now. */
		rc = jr_merge_text(&out, &out_len, res, t, len, path, jr_merge_now(), err);
	}
	if (!rc && res->changed)
		rc = replace_file(ours, out, out_len, err);
	free(out);
	for (int i = 0; i < 3; i++)
		free(text[i]);
	return rc;
}
