/*
 * seq.c - sequences.json: the last WORK number and the last uid.
 *
 * Numbers are handed out under the sequence lock, and the file is rewritten
 * before the lock is dropped, so while the machine runs no number is
 * handed out twice.  It is not synced: what makes a number durable is its
 * item file, created with no-replace semantics and synced (with its put in
 * index.log) before the create is acknowledged.  A power cut can leave
 * sequences.json older than the highest item, empty or unreadable; the
 * next create then skips every number whose file exists, or starts again
 * from the highest item, so an acknowledged item's number is never handed
 * out again.  A number whose create was never acknowledged may be.
 * Skipping the two syncs makes a create cost what an update costs
 * (doc/adr/0006-performance.md).
 *
 * uids are 41 bits of milliseconds since 2026-01-01 and 22 bits drawn from
 * getrandom(2) for each uid (ADR 0020: clones that create offline must not
 * mint one uid; 10 random bits per process were not enough) - and they are
 * allocated under the same lock and forced above the last one, so two
 * processes in the same millisecond, in different PID namespaces or
 * containers, can never mint the same one in one store.  When the file is
 * lost, the last uid is taken from the highest item.
 */
#define _GNU_SOURCE
#include "store.h"
#include "codec.h"
#include "io.h"
#include "lock.h"
#include "../domain/domain.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define UID_EPOCH_MS 1767225600000LL /* 2026-01-01T00:00:00Z */
#define UID_RANDOM_MASK ((1u << 22) - 1)

int jr_seq_read(jr_seq *out, jerry_store *st, jerry_error *err)
{
	char path[PATH_MAX + 32], *buf = NULL;
	size_t len;
	memset(out, 0, sizeof(*out));
	jr_store_path(path, sizeof(path), st, "sequences.json");
	int fd = jr_io_openat(st->dirfd, "sequences.json", O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
	if (fd < 0) {
		if (errno == ENOENT)
			return JERRY_ENOTFOUND;
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot open '%s'", path);
	}
	if (jr_io_read_all(fd, &buf, &len, 1 << 20) < 0) {
		int e = errno;
		jr_io_close(fd);
		return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot read '%s'", path);
	}
	jr_io_close(fd);
	if (len == 0) {
		/* What a power cut leaves of a rename whose data never reached the disk. */
		free(buf);
		return JERRY_ENOTFOUND;
	}
	json_error_t je;
	json_t *root = json_loadb(buf, len, 0, &je);
	free(buf);
	if (!root)
		return jr_codec_not_json(err, path, &je,
					 "'jerry check --repair' rebuilds it from the items");
	json_t *work = json_object_get(root, "WORK");
	json_t *uid = json_object_get(root, "last_uid");
	/* Past JR_ID_MAX is no number jerry handed out: read as damage. */
	int ok = json_is_integer(work) && json_integer_value(work) >= 0 &&
		 json_integer_value(work) <= JR_ID_MAX && (!uid || json_is_string(uid));
	if (ok) {
		out->work = json_integer_value(work);
		if (uid) {
			char *end;
			out->last_uid = strtoull(json_string_value(uid), &end, 10);
			ok = *end == '\0';
		}
	}
	json_decref(root);
	if (!ok) {
		jr_error(err, JERRY_ECORRUPT, "'%s' does not hold a valid sequence", path);
		if (err) {
			snprintf(err->path, sizeof(err->path), "%s", path);
			jr_error_hint(err, "'jerry check --repair' rebuilds it from the items");
		}
		return JERRY_ECORRUPT;
	}
	return 0;
}

static int format_seq(char *buf, size_t size, const jr_seq *seq)
{
	return snprintf(buf, size, "{\n  \"format\": 1,\n  \"WORK\": %lld,\n  \"last_uid\": \"%llu\"\n}\n",
			(long long)seq->work, (unsigned long long)seq->last_uid);
}

int jr_seq_write(jerry_store *st, const jr_seq *seq, jerry_error *err)
{
	char buf[160];
	int n = format_seq(buf, sizeof(buf), seq);
	return jr_store_replace(st, st->dirfd, "sequences.json", buf, (size_t)n, err);
}

uint64_t jr_seq_uid_candidate(void)
{
	struct timespec ts;
	uint32_t rnd = 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - UID_EPOCH_MS;
	if (ms < 0)
		ms = 0;
	if (jr_io_getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) < 0)
		rnd = (uint32_t)getpid() * 2654435761u ^ (uint32_t)ts.tv_nsec;
	return ((uint64_t)ms & ((1ULL << 41) - 1)) << 22 | (uint64_t)(rnd & UID_RANDOM_MASK);
}

/*
 * The new sequence, unsynced (see the top of the file), written over the
 * old one in place: under the sequence lock no reader can see it half
 * written, and a power cut can at worst leave it stale or unreadable,
 * which the next create repairs like a lost file.  (A temp file renamed
 * over it cost 0.2-0.4 ms on ext4, which starts writing back a replaced
 * file's data at rename time - as much as a sync.)  A missing file is
 * made with temp + rename, so it never appears empty.
 */
static int write_hint(jerry_store *st, const jr_seq *seq, jerry_error *err)
{
	char buf[160], path[PATH_MAX + 32];
	struct stat sb;
	int n = format_seq(buf, sizeof(buf), seq);
	/*
	 * O_NONBLOCK: a FIFO under the name (ENXIO with no reader) must not
	 * hang the create; like anything else that is not a file, it is
	 * replaced as a missing file is.
	 */
	int fd = jr_io_openat(st->dirfd, "sequences.json", O_WRONLY | O_NOFOLLOW | O_NONBLOCK, 0);
	if (fd >= 0 && jr_io_fstat(fd, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		jr_io_close(fd);
		fd = -1;
		errno = ENXIO;
	}
	if (fd < 0 && (errno == ENOENT || errno == ENXIO)) {
		jr_tmpfile tf;
		int rc = jr_tmpfile_write_nosync(&tf, st, st->dirfd, "sequences.json", buf, (size_t)n,
						 err);
		return rc ? rc : jr_tmpfile_commit(&tf, st, 0, err);
	}
	jr_store_path(path, sizeof(path), st, "sequences.json");
	if (fd < 0)
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot open '%s'", path);
	int bad = jr_io_fstat(fd, &sb) < 0 || jr_io_pwrite_all(fd, buf, (size_t)n, 0) < 0 ||
		  (sb.st_size > n && jr_io_ftruncate(fd, n) < 0);
	int e = errno;
	jr_io_close(fd);
	return bad ? jr_error_sys(err, JERRY_ESTORAGE, e, "cannot write '%s'", path) : 0;
}

/* sequences.json is missing, empty or unreadable: start from the highest item file. */
int jr_seq_from_items(jr_seq *seq, jerry_store *st, jerry_error *err)
{
	int64_t *nums = NULL;
	size_t n = 0;
	int rc = jr_store_list_item_files(&nums, &n, st, err);
	if (rc)
		return rc;
	seq->work = n ? nums[n - 1] : 0;
	seq->last_uid = 0;
	free(nums);
	if (seq->work > 0) {
		/* uids grow with numbers: the highest item has the last one. */
		jerry_item *it = NULL;
		jerry_error ignored;
		if (jr_store_read_item(&it, st, seq->work, &ignored) == 0)
			seq->last_uid = it->uid;
		jerry_item_free(it);
	}
	return 0;
}

/*
 * Numbers are never reused and never wrap (doc/FORMAT.md): past
 * WORK-999999999 creates are refused.  One stray file that high (a hand
 * edit, a merge) is the likely cause, and the hint says how to undo it.
 */
static int exhausted(jerry_store *st, jerry_error *err)
{
	char top[64], last[24];
	jr_store_item_rel(top, sizeof(top), JR_ID_MAX);
	jerry_id_format(last, sizeof(last), JR_ID_MAX);
	jr_error(err, JERRY_EREFUSED,
		 "the sequence is exhausted: %s is the largest number jerry can hold", last);
	if (jr_io_faccessat(st->itemsfd, top + 6, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		jr_error_hint(err, "if '%s' does not belong in this store, move it out of items/ and "
				   "remove sequences.json: numbering then goes on from the highest "
				   "item left", top);
	else
		jr_error_hint(err, "if sequences.json was set this high by hand, remove it: "
				   "numbering then goes on from the highest item");
	return JERRY_EREFUSED;
}

int jr_seq_lock(jerry_store *st, jerry_error *err)
{
	char lockpath[PATH_MAX + 32];
	jr_store_path(lockpath, sizeof(lockpath), st, "locks/sequence.lock");
	return jr_lock_take(st->lock_seq, 0, 1, &st->wait, JR_LOCK_SEQ_WHAT, lockpath, err);
}

void jr_seq_unlock(jerry_store *st)
{
	jr_lock_drop(st->lock_seq, 0, 1);
}

/* The sequence as it stands; lost, empty or unreadable: the item files know better. */
static int read_or_rebuild(jr_seq *seq, jerry_store *st, jerry_error *err)
{
	int rc = jr_seq_read(seq, st, err);
	/* (A power cut during an unsynced write, or a hand edit gone wrong - check reports that one.) */
	if (rc == JERRY_ENOTFOUND || rc == JERRY_ECORRUPT)
		rc = jr_seq_from_items(seq, st, err);
	return rc;
}

int jr_seq_next_many_held(int64_t *out_nums, uint64_t *out_uids, size_t n, jerry_store *st,
			  jerry_error *err)
{
	jr_seq seq;
	int rc = read_or_rebuild(&seq, st, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		/*
		 * After a power cut, or a sequence restored from an old backup or
		 * edited by hand: skip numbers that are taken.  (seq.work is at most
		 * JR_ID_MAX: jr_seq_read and jr_seq_from_items see to that.)
		 */
		int64_t num = seq.work + 1;
		for (; num <= JR_ID_MAX; num++) {
			char rel[64];
			jr_store_item_rel(rel, sizeof(rel), num);
			if (jr_io_faccessat(st->itemsfd, rel + 6, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
				continue;
			if (errno == ENOENT)
				break;
			/* Cannot tell whether the number is taken: never guess. */
			return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot read '%s/%s'", st->dir,
					    rel);
		}
		if (num > JR_ID_MAX)
			return exhausted(st, err);
		uint64_t uid = jr_seq_uid_candidate();
		/* Above the last one; by a random step, as another clone may be at it too. */
		if (uid <= seq.last_uid)
			uid = seq.last_uid + 1 + (uid & 0xFFFF);
		seq.work = num;
		seq.last_uid = uid;
		out_nums[i] = num;
		out_uids[i] = uid;
	}
	/* One hint for all of them: the item files are what makes a number taken. */
	return write_hint(st, &seq, err);
}

int jr_seq_next_many(int64_t *out_nums, uint64_t *out_uids, size_t n, jerry_store *st,
		     jerry_error *err)
{
	int rc = jr_seq_lock(st, err);
	if (rc)
		return rc;
	rc = jr_seq_next_many_held(out_nums, out_uids, n, st, err);
	jr_seq_unlock(st);
	return rc;
}

int jr_seq_raise_held(jerry_store *st, int64_t work, jerry_error *err)
{
	jr_seq seq;
	int rc = read_or_rebuild(&seq, st, err);
	if (rc || seq.work >= work)
		return rc;
	seq.work = work;
	return write_hint(st, &seq, err);
}
