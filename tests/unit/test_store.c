/*
 * test_store.c - the filesystem store through the public API, in a temp
 * directory: finding and creating stores, IDs, versions, the index and its
 * compaction, recovery of unconfirmed writes, damage found by check and
 * what --repair may fix, and the item locks.
 */
#include "harness.h"
#include "store/codec.h"
#include "store/export.h"
#include "store/io.h"
#include "store/store.h"
#include "util/strbuf.h"

#include <sys/file.h>
#include <time.h>

static h_store *S(void **state) { return *state; }

static void item_path(char *buf, size_t size, const h_store *s, int64_t num)
{
	h_path(buf, size, "%s/items/WORK-%03lld.json", s->dir, (long long)num);
}

/* jerry_update, discarding the result (the API wants a non-NULL out). */
static int update(jerry_store *st, const char *id, const jerry_change *c, jerry_error *err)
{
	jerry_item *it = NULL;
	int rc = jerry_update(&it, st, id, c, err);
	jerry_item_free(it);
	return rc;
}

static void add_note(jerry_store *st, const char *id, const char *text)
{
	jerry_change c;
	jerry_error err;
	memset(&c, 0, sizeof(c));
	c.note = text;
	jerry_error_clear(&err);
	int rc = update(st, id, &c, &err);
	if (rc)
		fail_msg("note on %s: %s", id, err.message);
}

static size_t count_kind(const jerry_report *r, const char *kind, int *repaired)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nproblems; i++) {
		if (strcmp(r->problems[i].kind, kind) == 0) {
			n++;
			if (repaired)
				*repaired = r->problems[i].repaired;
		}
	}
	return n;
}

static size_t count_notice(const jerry_report *r, const char *kind, int *repaired)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nnotices; i++) {
		if (strcmp(r->notices[i].kind, kind) == 0) {
			n++;
			if (repaired)
				*repaired = r->notices[i].repaired;
		}
	}
	return n;
}

static jerry_report *check(jerry_store *st, int repair)
{
	jerry_report *r = NULL;
	jerry_error err;
	jerry_error_clear(&err);
	int rc = jerry_check(&r, st, repair, &err);
	if (rc)
		fail_msg("check: %s", err.message);
	return r;
}

static void assert_check_clean(jerry_store *st)
{
	jerry_report *r = check(st, 0);
	for (size_t i = 0; i < r->nproblems; i++)
		print_error("unexpected problem %s: %s\n", r->problems[i].kind, r->problems[i].message);
	assert_int_equal(r->nproblems, 0);
	jerry_report_free(r);
}

static size_t list_all(jerry_store *st, jerry_item ***out)
{
	jerry_filter f;
	size_t n = 0;
	jerry_error err;
	memset(&f, 0, sizeof(f));
	f.all = 1;
	jerry_error_clear(&err);
	int rc = jerry_list(out, &n, st, &f, &err);
	if (rc)
		fail_msg("list: %s", err.message);
	return n;
}

/* ---- init and open ---------------------------------------------------------------- */

static void test_init__is_idempotent_and_reports_created(void **state)
{
	h_store *s = S(state);
	jerry_open_opts o;
	jerry_error err;
	char dir[PATH_MAX];
	int created = -1;
	jerry_open_opts_init(&o);
	o.data_dir = s->dir;
	o.sync = 0;
	h_create(s->st, "survives a second init", NULL, NULL);
	assert_int_equal(jerry_store_init(dir, sizeof(dir), &created, &o, &err), 0);
	assert_int_equal(created, 0);
	assert_non_null(strstr(dir, "/data"));
	jerry_item **items = NULL;
	assert_int_equal(list_all(s->st, &items), 1);
	jerry_item_array_free(items, 1);

	/* a store in start_dir/.jerry/data */
	char root[PATH_MAX];
	h_path(root, sizeof(root), "%s/elsewhere", s->root);
	assert_int_equal(mkdir(root, 0755), 0);
	jerry_open_opts_init(&o);
	o.start_dir = root;
	o.sync = 0;
	assert_int_equal(jerry_store_init(dir, sizeof(dir), &created, &o, &err), 0);
	assert_int_equal(created, 1);
	char want[PATH_MAX];
	h_path(want, sizeof(want), "%s/.jerry/data/index.json", root);
	assert_int_equal(access(want, F_OK), 0);
	h_path(want, sizeof(want), "%s/.jerry/data/sequences.json", root);
	assert_int_equal(access(want, F_OK), 0);
	assert_int_equal(jerry_store_init(NULL, 0, &created, &o, &err), 0);
	assert_int_equal(created, 0);
}

static void test_open__walks_up_from_a_subdirectory(void **state)
{
	h_store *s = S(state);
	jerry_open_opts o;
	jerry_error err;
	jerry_store *st = NULL;
	char sub[PATH_MAX], real[PATH_MAX], want[PATH_MAX * 2];
	jerry_open_opts_init(&o);
	o.start_dir = s->root;
	o.sync = 0;
	assert_int_equal(jerry_store_init(NULL, 0, NULL, &o, &err), 0);
	h_path(sub, sizeof(sub), "%s/a", s->root);
	assert_int_equal(mkdir(sub, 0755), 0);
	h_path(sub, sizeof(sub), "%s/a/b", s->root);
	assert_int_equal(mkdir(sub, 0755), 0);
	o.start_dir = sub;
	jerry_error_clear(&err);
	assert_int_equal(jerry_store_open(&st, &o, &err), 0);
	assert_non_null(realpath(s->root, real));
	h_path(want, sizeof(want), "%s/.jerry/data", real);
	assert_string_equal(jerry_store_dir(st), want);
	jerry_store_free(st);
}

static void test_open__finds_a_project_store(void **state)
{
	h_store *s = S(state);
	jerry_open_opts o;
	jerry_error err;
	jerry_store *st = NULL;
	char sub[PATH_MAX], real[PATH_MAX], want[PATH_MAX * 2];
	jerry_open_opts_init(&o);
	o.start_dir = s->root;
	o.project = "P";
	o.sync = 0;
	assert_int_equal(jerry_store_init(NULL, 0, NULL, &o, &err), 0);
	h_path(sub, sizeof(sub), "%s/work", s->root);
	assert_int_equal(mkdir(sub, 0755), 0);
	o.start_dir = sub;
	assert_int_equal(jerry_store_open(&st, &o, &err), 0);
	assert_non_null(realpath(s->root, real));
	h_path(want, sizeof(want), "%s/projects/P/.jerry/data", real);
	assert_string_equal(jerry_store_dir(st), want);
	jerry_store_free(st);
	st = NULL;
	o.project = "Q";
	jerry_error_clear(&err);
	assert_int_equal(jerry_store_open(&st, &o, &err), JERRY_ENOTFOUND);
	assert_null(st);
	assert_non_null(strstr(err.message, "project 'Q'"));
	o.project = "../escape";
	assert_int_equal(jerry_store_open(&st, &o, &err), JERRY_EINVALID);
	o.project = "..";
	assert_int_equal(jerry_store_open(&st, &o, &err), JERRY_EINVALID);
}

static void test_open__no_store_is_not_found(void **state)
{
	h_store *s = S(state);
	jerry_open_opts o;
	jerry_error err;
	jerry_store *st = (jerry_store *)1;
	char path[PATH_MAX];
	jerry_open_opts_init(&o);
	h_path(path, sizeof(path), "%s/missing", s->root);
	o.data_dir = path;
	jerry_error_clear(&err);
	assert_int_equal(jerry_store_open(&st, &o, &err), JERRY_ENOTFOUND);
	assert_null(st);
	assert_true(err.hint[0] != '\0');
	/* a directory that is not a store */
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(jerry_store_open(&st, &o, &err), JERRY_ENOTFOUND);
	assert_non_null(strstr(err.message, "not a jerry store"));
	/* searching upward from a directory with no store above it */
	jerry_open_opts_init(&o);
	o.start_dir = path;
	jerry_error_clear(&err);
	int rc = jerry_store_open(&st, &o, &err);
	if (rc == 0) {
		/* somebody keeps a store at / or /tmp: nothing to assert here */
		jerry_store_free(st);
	} else {
		assert_int_equal(rc, JERRY_ENOTFOUND);
	}
	/* an invalid instance name is refused before anything is opened */
	jerry_open_opts_init(&o);
	o.data_dir = s->dir;
	o.instance = "bad\nname";
	assert_int_equal(jerry_store_open(&st, &o, &err), JERRY_EINVALID);
}

/* ---- create, show, update ------------------------------------------------------------ */

/*
 * Clones create offline, each above the same last uid: what keeps their
 * uids apart is the random part, drawn for every uid - all 22 low bits
 * vary (10 random bits above 12 of a counter left the low 12 at zero).
 */
static void test_create__uids_carry_22_random_bits_each(void **state)
{
	(void)state;
	uint64_t any = 0, all = ~0ULL;
	uint64_t first = jr_seq_uid_candidate();
	int differ = 0;
	for (int i = 0; i < 256; i++) {
		uint64_t u = jr_seq_uid_candidate();
		any |= u & ((1u << 22) - 1);
		all &= u | ~((1ULL << 22) - 1);
		differ |= (u & ((1u << 22) - 1)) != (first & ((1u << 22) - 1));
	}
	assert_int_equal(any, (1u << 22) - 1);
	assert_true((all & ((1u << 22) - 1)) == 0);
	assert_true(differ);
}

static void test_create__assigns_sequential_ids_and_unique_uids(void **state)
{
	h_store *s = S(state);
	uint64_t uids[5];
	char path[PATH_MAX];
	for (int i = 0; i < 5; i++) {
		jerry_create_spec spec;
		jerry_item *it = NULL;
		memset(&spec, 0, sizeof(spec));
		spec.title = "item";
		assert_int_equal(jerry_create(&it, s->st, &spec, NULL), 0);
		assert_int_equal(it->num, i + 1);
		char want[24];
		jerry_id_format(want, sizeof(want), i + 1);
		assert_string_equal(it->id, want);
		assert_int_equal(it->version, 1);
		assert_string_equal(it->created_by, "tester@unit");
		uids[i] = it->uid;
		for (int j = 0; j < i; j++)
			assert_true(uids[j] < uids[i]);
		jerry_item_free(it);
		item_path(path, sizeof(path), s, i + 1);
		assert_int_equal(access(path, F_OK), 0);
	}
	char *seq = h_read_file(strcat(strcpy(path, s->dir), "/sequences.json"), NULL);
	assert_non_null(strstr(seq, "\"WORK\": 5"));
	free(seq);
	assert_check_clean(s->st);
}

/*
 * The store's clock is the one its stamps and leases are made by: a front
 * end that judges a claim by it agrees with the store.
 */
static void test_claim__judged_by_the_stores_clock(void **state)
{
	h_store *s = S(state);
	jerry_item *it = NULL;
	jerry_error err;
	int64_t before = jerry_store_now(s->st);
	h_create(s->st, "Lease", NULL, NULL);
	assert_int_equal(jerry_claim_take(&it, s->st, "1", 60000, 0, &err), 0);
	int64_t after = jerry_store_now(s->st);
	assert_true(before <= it->updated_at && it->updated_at <= after);
	assert_true(jerry_claim_live(it, after));
	assert_false(jerry_claim_stale(it, after));
	assert_true(jerry_claim_stale(it, it->claim.expires_ms));
	assert_false(jerry_claim_live(it, it->claim.expires_ms));
	jerry_item_free(it);
	assert_int_equal(jerry_claim_release(&it, s->st, "1", 0, 0, &err), 0);
	assert_false(jerry_claim_stale(it, it->claim.expires_ms + 1));
	jerry_item_free(it);
}

static void test_update__bumps_version_and_show_reads_the_file(void **state)
{
	h_store *s = S(state);
	jerry_change c;
	jerry_item *it = NULL;
	jerry_error err;
	h_create(s->st, "Before", NULL, NULL);
	memset(&c, 0, sizeof(c));
	c.title = "After";
	c.note = "renamed";
	assert_int_equal(jerry_update(&it, s->st, "work-1", &c, &err), 0);
	assert_int_equal(it->version, 2);
	assert_true(it->updated_at >= it->created_at);
	jerry_item_free(it);
	assert_int_equal(jerry_show(&it, s->st, "WORK-001", &err), 0);
	assert_string_equal(it->title, "After");
	assert_int_equal(it->version, 2);
	assert_int_equal(it->nnotes, 1);
	assert_string_equal(it->notes[0].by, "tester@unit");
	jerry_item_free(it);
	jerry_error_clear(&err);
	assert_int_equal(jerry_show(&it, s->st, "WORK-002", &err), JERRY_ENOTFOUND);
	assert_string_equal(err.item, "WORK-002");
	assert_int_equal(jerry_update(&it, s->st, "9", &c, &err), JERRY_ENOTFOUND);
	assert_null(it);
}

static const jerry_field_change *field_of(const jerry_history_entry *e, const char *field)
{
	for (size_t i = 0; i < e->nfields; i++)
		if (strcmp(e->fields[i].field, field) == 0)
			return &e->fields[i];
	fail_msg("v%lld has no change to %s", (long long)e->version, field);
	return NULL;
}

/* A face shows history from the entries' fields, never parsing `changes`. */
static void test_history__entries_carry_their_changes_field_by_field(void **state)
{
	h_store *s = S(state);
	jerry_change c;
	jerry_item *it = NULL;
	jerry_history_entry *h = NULL;
	jerry_log_entry *l = NULL;
	jerry_log_query q;
	size_t n = 0, nl = 0;
	jerry_error err;
	h_create(s->st, "Before", NULL, NULL);
	memset(&c, 0, sizeof(c));
	c.title = "After";
	c.note = "renamed";
	assert_int_equal(jerry_update(&it, s->st, "1", &c, &err), 0);
	jerry_item_free(it);
	assert_int_equal(jerry_claim_take(&it, s->st, "1", 60000, 0, &err), 0);
	jerry_item_free(it);
	assert_int_equal(jerry_history(&h, &n, s->st, "1", &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(field_of(&h[0], "title")->to, "\"Before\"");
	assert_null(field_of(&h[0], "title")->from);
	assert_string_equal(field_of(&h[0], "type")->to, "\"task\"");
	assert_string_equal(field_of(&h[1], "title")->from, "\"Before\"");
	assert_string_equal(field_of(&h[1], "title")->to, "\"After\"");
	assert_int_equal(field_of(&h[1], "notes")->nadded, 1);
	assert_string_equal(field_of(&h[1], "notes")->to, "\"renamed\"");
	const jerry_field_change *claim = field_of(&h[2], "claim");
	assert_string_equal(claim->from, "null");
	assert_non_null(claim->to);
	assert_non_null(strstr(claim->to, " until "));
	assert_int_equal(claim->nadded, 0);
	/* The log hands out the same entries, newest first. */
	memset(&q, 0, sizeof(q));
	assert_int_equal(jerry_log(&l, &nl, s->st, &q, &err), 0);
	assert_int_equal(nl, 3);
	assert_int_equal(l[0].change.nfields, h[2].nfields);
	assert_string_equal(field_of(&l[0].change, "claim")->to, claim->to);
	jerry_log_free(l, nl);
	jerry_history_free(h, n);
}

/* A face adds members to an item's JSON text without parsing it back. */
static void test_item_json__with_appends_the_faces_members_after_the_items(void **state)
{
	h_store *s = S(state);
	static const char *const keys[] = {"children", "stale_claim"};
	static const char *const vals[] = {"[]", "{\"by\": \"a\", \"n\": 1}"};
	static const char *const bad[] = {"[]", "{not json"};
	jerry_item *it = NULL;
	jerry_error err;
	h_create(s->st, "Parent", NULL, NULL);
	assert_int_equal(jerry_show(&it, s->st, "1", &err), 0);
	char *plain = jerry_item_json(it, JERRY_JSON_COMPACT);
	char *with = jerry_item_json_with(it, JERRY_JSON_COMPACT, keys, vals, 2);
	assert_non_null(plain);
	assert_non_null(with);
	size_t n = strlen(plain);
	assert_memory_equal(with, plain, n - 1); /* the item's members, unchanged */
	assert_string_equal(with + n - 1, ",\"children\":[],\"stale_claim\":{\"by\":\"a\",\"n\":1}}");
	free(with);
	with = jerry_item_json_with(it, 0, keys, vals, 0);
	char *pretty = jerry_item_json(it, 0);
	assert_string_equal(with, pretty); /* nothing added: jerry_item_json's text */
	free(with);
	free(pretty);
	assert_null(jerry_item_json_with(it, JERRY_JSON_COMPACT, keys, bad, 2));
	free(plain);
	jerry_item_free(it);
}

/* ---- what a live face asks: the stamp; the error object ---------------------------------- */

static void stamp(jerry_store *st, char *out)
{
	jerry_error err;
	int rc = jerry_store_stamp(out, JERRY_STAMP_MAX, st, &err);
	if (rc)
		fail_msg("stamp: %s", err.message);
}

static int fstatat_fails(int dirfd, const char *path, struct stat *st, int flags)
{
	(void)dirfd;
	(void)path;
	(void)st;
	(void)flags;
	errno = EIO;
	return -1;
}

static void test_stamp__changes_with_every_committed_write_only(void **state)
{
	h_store *s = S(state);
	char a[JERRY_STAMP_MAX], b[JERRY_STAMP_MAX];
	jerry_change c;
	jerry_error err;
	size_t count;

	stamp(s->st, a);
	stamp(s->st, b);
	assert_string_equal(a, b);                 /* nothing written: the same */
	h_create(s->st, "one", NULL, NULL);
	stamp(s->st, b);
	assert_string_not_equal(a, b);             /* a create */
	memcpy(a, b, sizeof(a));
	add_note(s->st, "1", "a note");
	stamp(s->st, b);
	assert_string_not_equal(a, b);             /* an update */
	memcpy(a, b, sizeof(a));
	memset(&c, 0, sizeof(c));
	c.title = "stale";
	c.has_if_version = 1;
	c.if_version = 1;
	assert_int_equal(update(s->st, "1", &c, &err), JERRY_ECONFLICT);
	stamp(s->st, b);
	assert_string_equal(a, b);                 /* a refused change writes nothing */
	assert_int_equal(jerry_reindex(&count, s->st, &err), 0);
	stamp(s->st, b);
	assert_string_not_equal(a, b);             /* the index replaced by rename */
	/* A stat goes through io.c's table: a failure is a storage error. */
	jr_io_syscalls()->fstatat = fstatat_fails;
	assert_int_equal(jerry_store_stamp(a, sizeof(a), s->st, &err), JERRY_ESTORAGE);
	jr_io_reset();
	assert_non_null(strstr(err.message, "index.log"));
	assert_int_equal(err.sys_errno, EIO);
}

static void test_error_json__the_object_every_face_gives(void **state)
{
	jerry_error err;
	char *text = NULL;
	(void)state;
	jerry_error_clear(&err);
	err.code = JERRY_ECONFLICT;
	snprintf(err.message, sizeof(err.message), "cannot update 'WORK-001': version 1 is stale (now 2)");
	snprintf(err.hint, sizeof(err.hint), "retry");
	snprintf(err.item, sizeof(err.item), "WORK-001");
	err.expected_version = 1;
	err.current_version = 2;
	assert_non_null(text = jerry_error_json(err.code, &err, JERRY_JSON_COMPACT));
	assert_string_equal(text, "{\"code\":\"conflict\",\"exit\":4,\"message\":\"cannot update "
			    "'WORK-001': version 1 is stale (now 2)\",\"hint\":\"retry\",\"item\":"
			    "\"WORK-001\",\"expected_version\":1,\"current_version\":2}");
	free(text);
	/* No message: the code's name; a refused move lists what is allowed. */
	jerry_error_clear(&err);
	err.code = JERRY_EREFUSED;
	err.allowed_moves = 1u << JERRY_STATUS_IN_PROGRESS | 1u << JERRY_STATUS_CANCELLED;
	err.nopen_deps = 1;
	err.open_deps[0].num = 7;
	err.open_deps[0].status = -1;
	assert_non_null(text = jerry_error_json(err.code, &err, JERRY_JSON_COMPACT));
	assert_string_equal(text, "{\"code\":\"refused\",\"exit\":9,\"message\":\"refused\","
			    "\"open_dependencies\":[{\"id\":\"WORK-007\",\"status\":\"missing\"}],"
			    "\"open_dependency_count\":1,\"allowed\":[\"in_progress\",\"cancelled\"]}");
	free(text);
	/* Text that is not UTF-8 keeps its ASCII. */
	jerry_error_clear(&err);
	err.code = JERRY_EINVALID;
	snprintf(err.message, sizeof(err.message), "bad \xff id");
	assert_non_null(text = jerry_error_json(err.code, &err, JERRY_JSON_COMPACT));
	assert_non_null(strstr(text, "\"message\":\"bad ? id\""));
	free(text);
}

static void test_index__list_agrees_with_the_files(void **state)
{
	h_store *s = S(state);
	jerry_change c;
	h_create(s->st, "one", "epic", NULL);
	h_create(s->st, "two", "story", "1");
	h_create(s->st, "three", NULL, NULL);
	memset(&c, 0, sizeof(c));
	c.status = "in_progress";
	assert_int_equal(update(s->st, "3", &c, NULL), 0);
	c.status = "done";
	assert_int_equal(update(s->st, "3", &c, NULL), 0);
	add_note(s->st, "2", "hello");
	jerry_item **items = NULL;
	size_t n = list_all(s->st, &items);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		jerry_item *file = NULL;
		assert_true(items[i]->is_summary);
		assert_int_equal(jerry_show(&file, s->st, items[i]->id, NULL), 0);
		assert_int_equal(items[i]->version, file->version);
		assert_string_equal(items[i]->title, file->title);
		assert_int_equal(items[i]->status, file->status);
		assert_int_equal(items[i]->parent, file->parent);
		assert_true(items[i]->uid == file->uid);
		assert_int_equal(items[i]->completed_at, file->completed_at);
		jerry_item_free(file);
	}
	assert_int_equal(items[2]->status, JERRY_STATUS_DONE);
	assert_int_equal(items[1]->version, 2);
	jerry_item_array_free(items, n);
	assert_check_clean(s->st);
}

/* ---- the export cache (export_cache.c, ADR 0024) ---- */

static int sb_write(void *arg, const char *text, size_t len)
{
	return jr_sb_add(arg, text, len) ? -1 : 0;
}

/* A plain export's bytes, into a fresh string the caller frees. */
static char *export_all(jerry_store *st)
{
	struct jr_sb sb = JR_SB_INIT;
	jerry_filter f;
	jerry_error err;
	size_t n = 0;
	memset(&f, 0, sizeof(f));
	f.all = 1;
	jerry_error_clear(&err);
	int rc = jerry_export(&n, st, &f, 0, sb_write, &sb, &err);
	if (rc)
		fail_msg("export: %s", err.message);
	char *text = jr_sb_detach(&sb, NULL);
	assert_non_null(text);
	return text;
}

/* items/ dated an hour back: a cache built now has a stamp no later change can match. */
static void age_items(const h_store *s)
{
	char path[PATH_MAX];
	struct timespec t[2];
	assert_int_equal(clock_gettime(CLOCK_REALTIME, &t[0]), 0);
	t[0].tv_sec -= 3600;
	t[1] = t[0];
	h_path(path, sizeof(path), "%s/items", s->dir);
	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
	/*
	 * And the item files' last change a clock tick (the coarse clock the
	 * kernel dates files with) behind, so that a cache built now gives
	 * them their stamps: a file changed in the tick its build began gets
	 * none.
	 */
	struct timespec res, pause;
	assert_int_equal(clock_getres(CLOCK_REALTIME_COARSE, &res), 0);
	pause.tv_sec = 0;
	pause.tv_nsec = 2 * (res.tv_sec ? 500000000L : res.tv_nsec) + 1000000L;
	assert_int_equal(nanosleep(&pause, NULL), 0);
}

/*
 * Rewrite the cache with its first record's line changed (its title's first
 * letter made upper case) and, when fix, the record's check recomputed.
 */
static void tamper_first_record(const h_store *s, int fix)
{
	char path[PATH_MAX];
	size_t len;
	h_path(path, sizeof(path), "%s/tmp/export.cache", s->dir);
	char *text = h_read_file(path, &len);
	assert_non_null(text);
	char *rec = strchr(text, '\n') + 1;          /* past the header */
	char *line = strchr(rec, '\n') + 1;          /* past "NUM LEN CHECK STAMP" */
	char *end = strchr(line, '\n') + 1;
	char *title = strstr(line, "\"title\":\"") + 9;
	assert_true(title < end);
	if (*title >= 'a' && *title <= 'z')
		*title = (char)(*title - 'a' + 'A');
	if (fix) {
		char head[64];
		long long num = strtoll(rec, NULL, 10);
		int n = snprintf(head, sizeof(head), "%lld %zu %016llx", num, (size_t)(end - line),
				 (unsigned long long)jr_export_cache_check(num, line, (size_t)(end - line)));
		/* "NUM LEN CHECK": up to the third space (the file's stamp follows). */
		char *third = strchr(strchr(strchr(rec, ' ') + 1, ' ') + 1, ' ');
		assert_int_equal(n, third - rec);
		memcpy(rec, head, (size_t)n);
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(text);
}

static void test_export_cache__read_while_items_unchanged_never_past_a_bad_record(void **state)
{
	h_store *s = S(state);
	char path[PATH_MAX];
	struct stat sb;
	h_create(s->st, "one", NULL, NULL);
	h_create(s->st, "two", NULL, NULL);
	h_create(s->st, "three", NULL, NULL);
	add_note(s->st, "2", "a note");
	age_items(s);
	char *files = export_all(s->st);
	h_path(path, sizeof(path), "%s/tmp/export.cache", s->dir);
	assert_int_equal(stat(path, &sb), 0);
	char *again = export_all(s->st);
	assert_string_equal(again, files);
	free(again);

	/* A record whose check fails: it and the records after it come from the files. */
	tamper_first_record(s, 0);
	again = export_all(s->st);
	assert_string_equal(again, files);
	free(again);

	/* A valid record is read as it stands: the cache is what was read. */
	tamper_first_record(s, 1);
	again = export_all(s->st);
	assert_non_null(strstr(again, "\"title\":\"One\""));
	assert_null(strstr(files, "\"title\":\"One\""));
	free(again);

	/* items/ changed: a line is taken when its file is the one it was made from. */
	add_note(s->st, "3", "later");
	again = export_all(s->st);
	assert_non_null(strstr(again, "\"title\":\"One\""));
	assert_non_null(strstr(again, "\"text\":\"later\""));
	free(again);
	/* Its own file written: the line is the file's. */
	add_note(s->st, "1", "now");
	again = export_all(s->st);
	assert_null(strstr(again, "\"title\":\"One\""));
	assert_non_null(strstr(again, "\"text\":\"now\""));
	free(again);
	free(files);
}

static void test_store__works_with_sync_on(void **state)
{
	h_store *s = S(state);
	jerry_open_opts o;
	jerry_store *st = NULL;
	jerry_item *it = NULL;
	jerry_error err;
	jerry_open_opts_init(&o); /* sync = 1 */
	assert_int_equal(o.sync, 1);
	o.data_dir = s->dir;
	o.instance = "durable";
	assert_int_equal(jerry_store_open(&st, &o, &err), 0);
	assert_string_equal(jerry_store_instance(st), "durable");
	assert_int_equal(h_create(st, "synced", NULL, NULL), 1);
	add_note(st, "1", "synced note");
	assert_int_equal(jerry_show(&it, s->st, "1", NULL), 0);
	assert_int_equal(it->version, 2);
	assert_string_equal(it->updated_by, "durable");
	jerry_item_free(it);
	jerry_store_free(st);
	assert_check_clean(s->st);
}

/* ---- damage -------------------------------------------------------------------------- */

static void test_corrupt__broken_item_names_path_line_column_others_still_list(void **state)
{
	h_store *s = S(state);
	char path[PATH_MAX];
	jerry_item *it = NULL;
	jerry_error err;
	h_create(s->st, "good one", NULL, NULL);
	h_create(s->st, "to be broken", NULL, NULL);
	h_create(s->st, "good three", NULL, NULL);
	item_path(path, sizeof(path), s, 2);
	h_write_file(path, "{\n  \"id\": \"WORK-002\",\n  \"title\": \n}\n", 36);
	jerry_error_clear(&err);
	assert_int_equal(jerry_show(&it, s->st, "2", &err), JERRY_ECORRUPT);
	assert_null(it);
	assert_string_equal(err.path, path);
	assert_int_equal(err.line, 4);
	assert_true(err.column > 0);
	assert_string_equal(err.item, "WORK-002");
	jerry_change c;
	memset(&c, 0, sizeof(c));
	c.note = "x";
	assert_int_equal(update(s->st, "2", &c, &err), JERRY_ECORRUPT);
	/* the others are unaffected */
	jerry_item **items = NULL;
	size_t n = list_all(s->st, &items);
	assert_true(n >= 2);
	assert_string_equal(items[0]->title, "good one");
	assert_string_equal(items[n - 1]->title, "good three");
	jerry_item_array_free(items, n);
	assert_int_equal(jerry_show(&it, s->st, "3", NULL), 0);
	jerry_item_free(it);
	add_note(s->st, "3", "still writable");
}

static void test_corrupt__symlinked_item_file_is_refused(void **state)
{
	h_store *s = S(state);
	char path[PATH_MAX], target[PATH_MAX];
	jerry_item *it = NULL;
	jerry_error err;
	h_create(s->st, "real", NULL, NULL);
	item_path(target, sizeof(target), s, 1);
	item_path(path, sizeof(path), s, 2);
	assert_int_equal(symlink(target, path), 0);
	jerry_error_clear(&err);
	assert_int_equal(jerry_show(&it, s->st, "2", &err), JERRY_ECORRUPT);
	assert_non_null(strstr(err.message, "symbolic link"));
	assert_string_equal(err.path, path);
	jerry_change c;
	memset(&c, 0, sizeof(c));
	c.title = "through the link";
	assert_int_equal(update(s->st, "2", &c, &err), JERRY_ECORRUPT);
	assert_int_equal(jerry_show(&it, s->st, "1", NULL), 0);
	assert_string_equal(it->title, "real");
	jerry_item_free(it);
	/* the next create skips the taken number */
	assert_int_equal(h_create(s->st, "next", NULL, NULL), 3);
	jerry_report *r = check(s->st, 0);
	assert_int_equal(count_kind(r, "corrupt_item", NULL), 1);
	jerry_report_free(r);
}

static void test_check__finds_every_kind_and_repair_fixes_derived_state(void **state)
{
	h_store *s = S(state);
	char path[PATH_MAX], broken[PATH_MAX], temp[PATH_MAX], stray[PATH_MAX];
	int repaired;
	for (int i = 0; i < 4; i++)
		h_create(s->st, "One", NULL, NULL);
	assert_check_clean(s->st);

	item_path(broken, sizeof(broken), s, 4);
	static const char bad[] = "{\"id\": \"WORK-004\", ";
	h_write_file(broken, bad, sizeof(bad) - 1);
	item_path(path, sizeof(path), s, 1);
	h_replace_in_file(path, "\"title\": \"One\"", "\"title\": \"Edited by hand\"");
	h_path(path, sizeof(path), "%s/sequences.json", s->dir);
	static const char seq[] = "{\"format\": 1, \"WORK\": 1, \"last_uid\": \"1\"}\n";
	h_write_file(path, seq, sizeof(seq) - 1);
	h_path(temp, sizeof(temp), "%s/items/.WORK-001.json.tmp-1-0", s->dir);
	h_write_file(temp, "{", 1);
	h_path(stray, sizeof(stray), "%s/items/notes.txt", s->dir);
	h_write_file(stray, "hi\n", 3);

	jerry_report *r = check(s->st, 0);
	assert_int_equal(r->items, 4);
	assert_int_equal(count_kind(r, "corrupt_item", &repaired), 1);
	assert_int_equal(count_kind(r, "index_drift", &repaired), 1);
	assert_false(repaired);
	/* a lagging sequence is an unsynced hint's normal state after a crash */
	assert_int_equal(count_kind(r, "sequence_behind", NULL), 0);
	/* a dead writer's temp file is information, not a problem */
	assert_int_equal(count_kind(r, "temp_file", NULL), 0);
	assert_int_equal(count_notice(r, "temp_file", NULL), 1);
	assert_int_equal(count_kind(r, "stray_file", NULL), 1);
	assert_int_equal(count_kind(r, "duplicate_uid", NULL), 0);
	for (size_t i = 0; i < r->nproblems; i++)
		if (strcmp(r->problems[i].kind, "corrupt_item") == 0)
			assert_string_equal(r->problems[i].path, broken);
	jerry_report_free(r);
	/* a plain check changed nothing */
	assert_int_equal(access(temp, F_OK), 0);

	r = check(s->st, 1);
	assert_int_equal(count_kind(r, "index_drift", &repaired), 1);
	assert_true(repaired);
	assert_int_equal(count_notice(r, "temp_file", &repaired), 1);
	assert_true(repaired);
	assert_int_equal(count_kind(r, "corrupt_item", &repaired), 1);
	assert_false(repaired);
	jerry_report_free(r);

	/* the corrupt item is byte for byte what it was */
	size_t len;
	char *after = h_read_file(broken, &len);
	assert_int_equal(len, sizeof(bad) - 1);
	assert_memory_equal(after, bad, len);
	free(after);
	assert_int_equal(access(temp, F_OK), -1);
	assert_int_equal(access(stray, F_OK), 0); /* not ours to delete */

	r = check(s->st, 0);
	assert_int_equal(r->nproblems, 2);
	assert_int_equal(count_kind(r, "corrupt_item", NULL), 1);
	assert_int_equal(count_kind(r, "stray_file", NULL), 1);
	jerry_report_free(r);
	/* the sequence moved past the items, and the index has the hand edit */
	assert_int_equal(h_create(s->st, "five", NULL, NULL), 5);
	jerry_item **items = NULL;
	size_t n = list_all(s->st, &items);
	assert_string_equal(items[0]->title, "Edited by hand");
	jerry_item_array_free(items, n);
}

static void test_check__reports_duplicate_uid(void **state)
{
	h_store *s = S(state);
	char one[PATH_MAX], copy[PATH_MAX];
	h_create(s->st, "original", NULL, NULL);
	h_create(s->st, "second", NULL, NULL);
	item_path(one, sizeof(one), s, 1);
	item_path(copy, sizeof(copy), s, 3);
	size_t len;
	char *text = h_read_file(one, &len);
	h_write_file(copy, text, len);
	free(text);
	h_replace_in_file(copy, "\"WORK-001\"", "\"WORK-003\"");
	jerry_report *r = check(s->st, 0);
	assert_int_equal(count_kind(r, "duplicate_uid", NULL), 1);
	/* the copy is skipped by the next create, not overwritten */
	assert_int_equal(h_create(s->st, "third", NULL, NULL), 4);
	jerry_report_free(r);
}

static void test_reindex__rebuilds_a_lost_index(void **state)
{
	h_store *s = S(state);
	char path[PATH_MAX];
	size_t count = 0;
	jerry_error err;
	h_create(s->st, "a", NULL, NULL);
	h_create(s->st, "b", NULL, NULL);
	h_create(s->st, "c", NULL, NULL);
	h_path(path, sizeof(path), "%s/index.json", s->dir);
	assert_int_equal(unlink(path), 0);
	/* list falls back to the files */
	jerry_item **items = NULL;
	size_t n = list_all(s->st, &items);
	assert_int_equal(n, 3);
	jerry_item_array_free(items, n);
	jerry_report *r = check(s->st, 0);
	assert_int_equal(count_kind(r, "corrupt_index", NULL), 1);
	jerry_report_free(r);
	assert_int_equal(jerry_reindex(&count, s->st, &err), 0);
	assert_int_equal(count, 3);
	assert_int_equal(access(path, F_OK), 0);
	assert_check_clean(s->st);
	/* a write also rebuilds a missing snapshot before it goes on */
	assert_int_equal(unlink(path), 0);
	add_note(s->st, "2", "rebuilds");
	assert_int_equal(access(path, F_OK), 0);
	assert_check_clean(s->st);
}

/*
 * A program that holds the store open (a library user) while a sync dies
 * past its commit point: the sync dropped the index and left its stage.
 * The program's next write rebuilds the index, and the rebuild rolls the
 * stage forward first - so the write lands on the merged item, and no
 * later roll-forward replaces it (ADR 0020).  Before, the write went to
 * the old file and the next process to open the store replaced it.
 */
static void test_rebuild__rolls_a_dead_syncs_stage_forward_before_a_write(void **state)
{
	h_store *s = S(state);
	char item[PATH_MAX], stage[PATH_MAX], staged[PATH_MAX], path[PATH_MAX];
	jerry_change c;
	jerry_item *it = NULL;
	jerry_error err;
	h_create(s->st, "before", NULL, NULL);
	/* The dead sync's stage: WORK-001 as the merge made it, committed. */
	item_path(item, sizeof(item), s, 1);
	h_path(stage, sizeof(stage), "%s/tmp/sync-stage-999999-0badc0de", s->dir);
	assert_int_equal(mkdir(stage, 0755), 0);
	h_path(staged, sizeof(staged), "%s/items.WORK-001.json", stage);
	size_t len;
	char *text = h_read_file(item, &len);
	assert_non_null(text);
	h_write_file(staged, text, len);
	free(text);
	h_replace_in_file(staged, "\"version\": 1,", "\"version\": 2,");
	h_replace_in_file(staged, "\"title\": \"before\"", "\"title\": \"merged\"");
	h_path(path, sizeof(path), "%s/commit", stage);
	h_write_file(path, "", 0);
	h_path(path, sizeof(path), "%s/index.json", s->dir);
	assert_int_equal(unlink(path), 0);
	/* The long-lived store writes. */
	memset(&c, 0, sizeof(c));
	c.note = "mine";
	jerry_error_clear(&err);
	assert_int_equal(jerry_update(&it, s->st, "1", &c, &err), 0);
	assert_int_equal(it->version, 3);
	assert_string_equal(it->title, "merged");
	jerry_item_free(it);
	/* Another process opens the store: nothing is left to roll forward. */
	jerry_store *st2 = h_open_dir(s->dir, 2000, NULL);
	assert_int_equal(jerry_show(&it, st2, "WORK-001", &err), 0);
	assert_int_equal(it->version, 3);
	assert_string_equal(it->title, "merged");
	assert_int_equal(it->nnotes, 1);
	jerry_item_free(it);
	jerry_store_free(st2);
	assert_int_equal(access(stage, F_OK), -1);
	assert_check_clean(s->st);
}

/* ---- the index log --------------------------------------------------------------------- */

static long long generation(const h_store *s)
{
	char path[PATH_MAX];
	h_path(path, sizeof(path), "%s/index.json", s->dir);
	char *text = h_read_file(path, NULL);
	assert_non_null(text);
	char *g = strstr(text, "\"generation\":");
	assert_non_null(g);
	long long gen = strtoll(g + 13, NULL, 10);
	free(text);
	return gen;
}

static void test_index__log_compacts_past_512_kib(void **state)
{
	h_store *s = S(state);
	char logpath[PATH_MAX];
	const char *labels[200];
	char names[200][64];
	jerry_create_spec spec;
	jerry_error err;
	memset(&spec, 0, sizeof(spec));
	for (int i = 0; i < 200; i++) {
		snprintf(names[i], sizeof(names[i]), "label-%03d-%.50s", i,
			 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		labels[i] = names[i];
	}
	spec.title = "big";
	spec.labels = labels;
	spec.nlabels = 200;
	jerry_item *it = NULL;
	assert_int_equal(jerry_create(&it, s->st, &spec, &err), 0);
	jerry_item_free(it);
	h_create(s->st, "small", NULL, NULL);
	h_path(logpath, sizeof(logpath), "%s/index.log", s->dir);
	long long gen0 = generation(s);
	int updates = 0;
	while (generation(s) == gen0 && updates < 200) {
		char title[64];
		jerry_change c;
		memset(&c, 0, sizeof(c));
		snprintf(title, sizeof(title), "big %d", ++updates);
		c.title = title;
		assert_int_equal(update(s->st, "1", &c, &err), 0);
		if (generation(s) == gen0)
			assert_true(h_file_size(logpath) > 0);
	}
	assert_true(generation(s) > gen0);
	assert_true(updates > 10); /* it did not compact on every write */
	assert_true(h_file_size(logpath) < 1024);
	jerry_item **items = NULL;
	size_t n = list_all(s->st, &items);
	assert_int_equal(n, 2);
	char want[64];
	snprintf(want, sizeof(want), "big %d", updates);
	assert_string_equal(items[0]->title, want);
	assert_int_equal(items[0]->version, updates + 1);
	assert_int_equal(items[0]->nlabels, 200);
	assert_string_equal(items[1]->title, "small");
	jerry_item_array_free(items, n);
	/* and writes go on into the new log */
	add_note(s->st, "2", "after compaction");
	n = list_all(s->st, &items);
	assert_int_equal(items[1]->version, 2);
	jerry_item_array_free(items, n);
	assert_check_clean(s->st);
}

static void append_put(const h_store *s, const jerry_item *it)
{
	char logpath[PATH_MAX];
	size_t len;
	char *line = jr_codec_summary_line(it, 0, &len);
	assert_non_null(line);
	char *rec = malloc(len + 16);
	assert_non_null(rec);
	snprintf(rec, len + 16, "{\"put\":%s}\n", line);
	h_path(logpath, sizeof(logpath), "%s/index.log", s->dir);
	h_append_file(logpath, rec);
	free(rec);
	free(line);
}

static void test_index__unconfirmed_put_is_settled_from_the_item_file(void **state)
{
	h_store *s = S(state);
	jerry_item *it = NULL;
	h_create(s->st, "the truth", NULL, NULL);
	h_create(s->st, "other", NULL, NULL);
	assert_int_equal(jerry_show(&it, s->st, "1", NULL), 0);
	/* a writer logged version 2 and died before renaming its file in */
	it->version = 2;
	jr_set_str(&it->title, "never renamed");
	append_put(s, it);
	/* and a create that died the same way */
	it->num = 7;
	jerry_id_format(it->id, sizeof(it->id), 7);
	jr_set_str(&it->title, "ghost");
	append_put(s, it);
	jerry_item_free(it);

	jerry_item **items = NULL;
	size_t n = list_all(s->st, &items);
	assert_int_equal(n, 2);
	assert_string_equal(items[0]->title, "the truth");
	assert_int_equal(items[0]->version, 1);
	assert_string_equal(items[1]->title, "other");
	jerry_item_array_free(items, n);
	assert_check_clean(s->st);
	/* the next write is version 2 for real */
	add_note(s->st, "1", "real");
	assert_int_equal(jerry_show(&it, s->st, "1", NULL), 0);
	assert_int_equal(it->version, 2);
	assert_string_equal(it->title, "the truth");
	jerry_item_free(it);
	n = list_all(s->st, &items);
	assert_int_equal(items[0]->version, 2);
	jerry_item_array_free(items, n);
}

/*
 * read_log() takes jerry's own spelling of a put or an ok record without
 * jansson (fast_read.c); any other spelling goes through jansson.  Either
 * way a record must mean the same: an ok confirms the put it names.
 */
static void test_index__log_records_mean_the_same_in_any_spelling(void **state)
{
	static const struct { const char *pre, *post, *ok; int listed, rc; } cases[] = {
		{"{\"put\":", "}", "{\"ok\":\"WORK-007\",\"version\":3}", 1, 0},
		{"{\"put\":", "}", "{\"ok\":\"7\",\"version\":3}", 1, 0},
		{"{\"put\":", "}", "{\"ok\":\"work-0007\",\"version\":3}", 1, 0},
		{"{\"put\":", "}", "{\"ok\":\"WORK-007\", \"version\":3}", 1, 0},
		{"{\"put\":", "}", "{\"version\":3,\"ok\":\"WORK-007\"}", 1, 0},
		{"{\"put\":", "}", "{\"ok\":\"WORK-\\u0030\\u0030\\u0037\",\"version\":3}", 1, 0},
		{"{\"put\": ", "}", "{\"ok\":\"WORK-007\",\"version\":3}", 1, 0},
		{"{\"put\":", ",\"x\":1}", "{\"ok\":\"WORK-007\",\"version\":3}", 1, 0},
		{"{\"put\":", "}", "{\"ok\":\"WORK-007\",\"version\":2}", 0, 0},
		{"{\"put\":", "}", "{\"ok\":\"WORK-007\",\"version\":30}", 0, 0},
		{"{\"put\":", "}", "{\"ok\":\"WORK-008\",\"version\":3}", 0, 0},
		{"{\"put\":", "}", "{\"ok\":\"WORK-7x\",\"version\":3}", 0, 0},
		{"{\"put\":", "}", "{\"ok\":\"WORK-007\",\"version\":3.0}", 0, 0},
		{"{\"put\":", "}", "{\"ok\":\"WORK-007\",\"version\":\"3\"}", 0, 0},
		{"{\"put\":", "}", "{\"ok\":\"WORK-007\",\"version\":03}", 0, JERRY_ECORRUPT},
		{"{\"put\":", "}", "{\"ok\":\"WORK-007\",\"version\":3}x", 0, JERRY_ECORRUPT},
		{"{\"put\":", "}", "{\"ok\":\"WORK-007\",\"version\":3", 0, JERRY_ECORRUPT},
		{"{\"put\":", "}", "{\"ok\":\"WORK-\x01\",\"version\":3}", 0, JERRY_ECORRUPT},
		{"{\"put\":", "}x", "{\"ok\":\"WORK-007\",\"version\":3}", 0, JERRY_ECORRUPT},
		{"{\"put\":", "x", "{\"ok\":\"WORK-007\",\"version\":3}", 0, JERRY_ECORRUPT},
		{"{ \"put\":", "}", "{\"ok\":\"WORK-007\",\"version\":3}", 1, 0},
	};
	h_store *s = S(state);
	char logpath[PATH_MAX], rec[4096];
	jerry_item *it = NULL;
	size_t len;
	h_create(s->st, "real", NULL, NULL);
	h_path(logpath, sizeof(logpath), "%s/index.log", s->dir);
	char *base = h_read_file(logpath, NULL);
	assert_non_null(base);
	/* a ghost: logged, never written as a file */
	assert_int_equal(jerry_show(&it, s->st, "1", NULL), 0);
	it->num = 7;
	jerry_id_format(it->id, sizeof(it->id), 7);
	it->version = 3;
	jr_set_str(&it->title, "ghost");
	char *summary = jr_codec_summary_line(it, 0, &len);
	assert_non_null(summary);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		jr_index ix;
		jerry_error err;
		snprintf(rec, sizeof(rec), "%s%s%s\n%s\n", cases[i].pre, summary, cases[i].post,
			 cases[i].ok);
		h_write_file(logpath, base, strlen(base));
		h_append_file(logpath, rec);
		/* The index itself: list would fall back to the files on damage. */
		int rc = jr_index_load(&ix, s->st, &err);
		if (rc != cases[i].rc)
			fail_msg("case %zu: the index load gave %d, not %d", i, rc, cases[i].rc);
		if (!rc) {
			/* unconfirmed, the ghost is settled from its (missing) file */
			int listed = jr_index_get(&ix, 7) != NULL;
			if (listed != cases[i].listed || ix.count != 1 + (size_t)listed)
				fail_msg("case %zu: the ghost is %slisted", i, listed ? "" : "not ");
			if (listed)
				assert_string_equal(jr_index_get(&ix, 7)->title, "ghost");
			jr_index_release(&ix);
		}
	}
	free(summary);
	free(base);
	jerry_item_free(it);
}

/* The snapshot's "unconfirmed": true, read fast or not, sends a load to the file. */
static void test_index__unconfirmed_in_the_snapshot_is_settled(void **state)
{
	h_store *s = S(state);
	char path[PATH_MAX];
	jerry_item *it = NULL;
	h_create(s->st, "real", NULL, NULL);
	h_path(path, sizeof(path), "%s/index.json", s->dir);
	char *snap = h_read_file(path, NULL);
	assert_non_null(snap);
	char *header = strchr(snap, '\n') + 1, *end = strchr(header, '\n');
	*end = '\0';
	if (end[-1] == ',')
		end[-1] = '\0';
	assert_int_equal(jerry_show(&it, s->st, "1", NULL), 0);
	it->num = 7;
	jerry_id_format(it->id, sizeof(it->id), 7);
	jr_set_str(&it->title, "ghost");
	for (int unconfirmed = 0; unconfirmed <= 1; unconfirmed++) {
		size_t len;
		char text[4096];
		jr_index ix;
		char *line = jr_codec_summary_line(it, unconfirmed, &len);
		assert_non_null(line);
		int n = snprintf(text, sizeof(text), "[\n%s,\n%s\n]\n", header, line);
		h_write_file(path, text, (size_t)n);
		assert_int_equal(jr_index_load(&ix, s->st, NULL), 0);
		/* confirmed, the snapshot is believed; unconfirmed, the missing file is */
		assert_int_equal(jr_index_get(&ix, 7) != NULL, !unconfirmed);
		jr_index_release(&ix);
		free(line);
	}
	jerry_item_free(it);
	free(snap);
}

static void test_index__torn_last_log_line_is_ignored(void **state)
{
	h_store *s = S(state);
	char logpath[PATH_MAX];
	h_create(s->st, "one", NULL, NULL);
	h_path(logpath, sizeof(logpath), "%s/index.log", s->dir);
	h_append_file(logpath, "{\"put\":{\"id\":\"WORK-00");
	jerry_item **items = NULL;
	size_t n = list_all(s->st, &items);
	assert_int_equal(n, 1);
	jerry_item_array_free(items, n);
}

/* ---- the index's lookup by number --------------------------------------------------------- */

static jerry_item *summary_of(int64_t num, const char *title)
{
	jerry_item *it = jr_item_new();
	assert_non_null(it);
	it->num = num;
	jerry_id_format(it->id, sizeof(it->id), num);
	it->version = 1;
	jr_set_str(&it->title, title);
	it->is_summary = 1;
	return it;
}

/* WORK-999999999 costs one entry, like any item, and numbers come out sorted. */
static void test_index__lookup_follows_the_items_not_the_largest_number(void **state)
{
	static const int64_t order[] = {7, JR_ID_MAX, 1, 500000000, 2, 8};
	static const int64_t sorted[] = {1, 2, 7, 8, 500000000, JR_ID_MAX};
	static const int64_t absent[] = {0, -1, 3, 6, 9, 499999999, JR_ID_MAX + 1, INT64_MAX,
					 INT64_MIN};
	jr_index ix;
	(void)state;
	memset(&ix, 0, sizeof(ix));
	assert_null(jr_index_get(&ix, 1));
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(jr_ix_set(&ix, summary_of(order[i], "first"), (int)(i % 2)), 0);
	/* a second put of a number replaces its summary and its flag */
	assert_int_equal(jr_ix_set(&ix, summary_of(7, "second"), 0), 0);
	assert_int_equal(ix.count, 6);
	assert_true(ix.cap < 1000);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(ix.e[i].item->num, sorted[i]);
		assert_ptr_equal(jr_index_get(&ix, sorted[i]), ix.e[i].item);
	}
	assert_string_equal(jr_index_get(&ix, 7)->title, "second");
	assert_int_equal(jr_index_find(&ix, 7)->unconfirmed, 0);
	assert_int_equal(jr_index_find(&ix, JR_ID_MAX)->unconfirmed, 1);
	assert_int_equal(jr_index_find(&ix, 1)->unconfirmed, 0);
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		assert_null(jr_index_get(&ix, absent[i]));
	jr_index_release(&ix);
	assert_int_equal(ix.count, 0);
	jr_index_release(&ix);
}

/*
 * jerry writes the snapshot in number order; one edited by hand or merged
 * from two clones may be in any order and name an item twice.  It loads
 * sorted, and of two lines for one item the later wins.
 */
static void test_index__snapshot_in_any_order_loads_sorted_later_line_wins(void **state)
{
	h_store *s = S(state);
	char path[PATH_MAX], text[8192];
	jerry_item *it[3] = {NULL, NULL, NULL};
	char *line[6];
	size_t len, off;
	for (int i = 0; i < 3; i++) {
		char id[16];
		h_create(s->st, "item", NULL, NULL);
		snprintf(id, sizeof(id), "%d", i + 1);
		assert_int_equal(jerry_show(&it[i], s->st, id, NULL), 0);
	}
	h_path(path, sizeof(path), "%s/index.json", s->dir);
	/* A generation of its own: the creates' records in index.log do not apply. */
	const char *header = "{\"jerry_index\":1,\"generation\":99,\"count\":5}";
	/* 999999999, 3, 1 "earlier", 2, 1 "later" */
	jr_set_str(&it[0]->title, "earlier");
	line[1] = jr_codec_summary_line(it[2], 0, &len);
	line[2] = jr_codec_summary_line(it[0], 0, &len);
	line[3] = jr_codec_summary_line(it[1], 0, &len);
	jr_set_str(&it[0]->title, "later");
	line[4] = jr_codec_summary_line(it[0], 0, &len);
	it[2]->num = JR_ID_MAX;
	jerry_id_format(it[2]->id, sizeof(it[2]->id), JR_ID_MAX);
	jr_set_str(&it[2]->title, "far");
	line[0] = jr_codec_summary_line(it[2], 0, &len);
	off = (size_t)snprintf(text, sizeof(text), "[\n%s\n", header);
	for (int i = 0; i < 5; i++) {
		assert_non_null(line[i]);
		off += (size_t)snprintf(text + off, sizeof(text) - off, "%s%s\n", line[i],
					i < 4 ? "," : "");
	}
	off += (size_t)snprintf(text + off, sizeof(text) - off, "]\n");
	assert_true(off < sizeof(text));
	h_write_file(path, text, off);

	jr_index ix;
	assert_int_equal(jr_index_load(&ix, s->st, NULL), 0);
	assert_int_equal(ix.count, 4);
	static const int64_t want[] = {1, 2, 3, JR_ID_MAX};
	static const char *const titles[] = {"later", "item", "item", "far"};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(ix.e[i].item->num, want[i]);
		assert_string_equal(ix.e[i].item->title, titles[i]);
	}
	jr_index_release(&ix);
	for (int i = 0; i < 5; i++)
		free(line[i]);
	for (int i = 0; i < 3; i++)
		jerry_item_free(it[i]);
}

/* ---- temp files ---------------------------------------------------------------------------- */

struct tmp_holder {
	const char *path;
	int ready_fd;      /* the child writes one byte once it holds the flock */
};

/* A writer still at work: its temp file open and flocked, until SIGKILL. */
static int hold_temp_file(void *arg)
{
	struct tmp_holder *h = arg;
	int fd = open(h->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0)
		return 1;
	if (write(h->ready_fd, "L", 1) != 1)
		return 1;
	for (;;)
		pause();
	return 0;
}

static void test_tmp__a_write_sweeps_dead_writers_temp_files_never_a_live_ones(void **state)
{
	h_store *s = S(state);
	char dead[PATH_MAX], live[PATH_MAX], other[PATH_MAX];
	int pfd[2];
	char c;
	h_path(dead, sizeof(dead), "%s/tmp/WORK-001.json.tmp-1-00000000", s->dir);
	h_path(live, sizeof(live), "%s/tmp/WORK-002.json.tmp-2-00000000", s->dir);
	h_path(other, sizeof(other), "%s/tmp/notes.txt", s->dir);
	h_write_file(dead, "{\"partial\": ", 12);
	h_write_file(other, "not jerry's\n", 12);
	assert_int_equal(pipe(pfd), 0);
	struct tmp_holder h = {live, pfd[1]};
	pid_t pid = h_fork(hold_temp_file, &h);
	assert_int_equal(read(pfd[0], &c, 1), 1);
	close(pfd[0]);
	close(pfd[1]);

	/* check names the dead one as a notice, and the store is sound */
	jerry_report *r = check(s->st, 0);
	assert_int_equal(r->nproblems, 0);
	assert_int_equal(r->nnotices, 1);
	assert_string_equal(r->notices[0].path, dead);
	assert_false(r->notices[0].repaired);
	jerry_report_free(r);
	assert_int_equal(access(dead, F_OK), 0); /* a plain check removes nothing */

	/* the first write of a process sweeps tmp/ */
	h_create(s->st, "one", NULL, NULL);
	assert_int_equal(access(dead, F_OK), -1);
	assert_int_equal(access(live, F_OK), 0);
	assert_int_equal(access(other, F_OK), 0);
	assert_check_clean(s->st);
	r = check(s->st, 0);
	assert_int_equal(r->nnotices, 0);
	jerry_report_free(r);

	/* once its writer is dead, the next process's first write removes it */
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(h_wait(pid), 128 + SIGKILL);
	r = check(s->st, 0);
	assert_int_equal(r->nproblems, 0);
	assert_int_equal(count_notice(r, "temp_file", NULL), 1);
	jerry_report_free(r);
	jerry_store *st = h_open_dir(s->dir, 2000, NULL);
	add_note(st, "1", "sweeps");
	jerry_store_free(st);
	assert_int_equal(access(live, F_OK), -1);
	assert_int_equal(access(other, F_OK), 0);
	r = check(s->st, 0);
	assert_int_equal(r->nnotices, 0);
	jerry_report_free(r);
}

static void test_tmp__a_store_without_tmp_gets_it_on_its_first_write(void **state)
{
	h_store *s = S(state);
	char tmpdir[PATH_MAX], legacy[PATH_MAX];
	h_path(tmpdir, sizeof(tmpdir), "%s/tmp", s->dir);
	assert_int_equal(rmdir(tmpdir), 0);
	/* an older jerry's leftover, next to the items */
	h_path(legacy, sizeof(legacy), "%s/items/.WORK-001.json.tmp-1-00000000", s->dir);
	h_write_file(legacy, "{", 1);
	jerry_store *st = h_open_dir(s->dir, 2000, NULL);
	h_create(st, "one", NULL, NULL);
	jerry_store_free(st);
	struct stat sb;
	assert_int_equal(stat(tmpdir, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	/* listed as an item nowhere, a notice for check, removed by --repair */
	jerry_item **items = NULL;
	size_t n = list_all(s->st, &items);
	assert_int_equal(n, 1);
	jerry_item_array_free(items, n);
	jerry_report *r = check(s->st, 0);
	assert_int_equal(r->nproblems, 0);
	assert_int_equal(count_notice(r, "temp_file", NULL), 1);
	jerry_report_free(r);
	int repaired = 0;
	r = check(s->st, 1);
	assert_int_equal(count_notice(r, "temp_file", &repaired), 1);
	assert_true(repaired);
	jerry_report_free(r);
	assert_int_equal(access(legacy, F_OK), -1);
}

/* ---- locks --------------------------------------------------------------------------------- */

struct holder {
	const char *lockpath;
	off_t byte;
	int ready_fd;      /* the child writes one byte once it holds the lock */
};

static int hold_lock(void *arg)
{
	struct holder *h = arg;
	int fd = open(h->lockpath, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 1;
	struct flock fl;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = h->byte;
	fl.l_len = 1;
	if (fcntl(fd, F_OFD_SETLK, &fl) < 0)
		return 1;
	if (write(h->ready_fd, "L", 1) != 1)
		return 1;
	for (;;)
		pause(); /* until SIGKILL */
	return 0;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_lock__held_item_lock_times_out_and_a_killed_holder_frees_it(void **state)
{
	h_store *s = S(state);
	char lockpath[PATH_MAX];
	int pfd[2];
	h_create(s->st, "one", NULL, NULL);
	h_create(s->st, "two", NULL, NULL);
	h_path(lockpath, sizeof(lockpath), "%s/locks/items.lock", s->dir);
	assert_int_equal(pipe(pfd), 0);
	struct holder h = {lockpath, 1, pfd[1]};
	pid_t pid = h_fork(hold_lock, &h);
	char c;
	assert_int_equal(read(pfd[0], &c, 1), 1);
	close(pfd[0]);
	close(pfd[1]);

	jerry_store *st = h_open_dir(s->dir, 200, NULL);
	jerry_change ch;
	jerry_item *it = NULL;
	jerry_error err;
	memset(&ch, 0, sizeof(ch));
	ch.title = "changed";
	jerry_error_clear(&err);
	int64_t t0 = mono_ms();
	assert_int_equal(jerry_update(&it, st, "1", &ch, &err), JERRY_ELOCKED);
	int64_t waited = mono_ms() - t0;
	assert_null(it);
	assert_true(waited >= 190);
	assert_true(waited < 5000);
	assert_non_null(strstr(err.message, "'WORK-001'"));
	assert_non_null(strstr(err.message, "items.lock"));
	assert_string_equal(err.item, "WORK-001");
	/* another item is not blocked */
	assert_int_equal(update(st, "2", &ch, &err), 0);
	assert_int_equal(jerry_show(&it, st, "1", NULL), 0);
	assert_int_equal(it->version, 1);
	assert_string_equal(it->title, "one");
	jerry_item_free(it);

	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(h_wait(pid), 128 + SIGKILL);
	jerry_error_clear(&err);
	int rc = jerry_update(&it, st, "1", &ch, &err);
	if (rc)
		fail_msg("after the holder died: %s", err.message);
	assert_int_equal(it->version, 2);
	assert_string_equal(it->title, "changed");
	jerry_item_free(it);
	jerry_store_free(st);
	assert_check_clean(s->st);
}

/*
 * locks/turns.lock (doc/FORMAT.md "Locks"): item N's record is number
 * N + 2, 16 bytes { u32 next ticket, u32 served, u64 turn }.
 */
static off_t turns_record(int64_t num)
{
	return (off_t)(num + 2) * 16;
}

struct relay {
	const char *lockpath, *turnspath;
	int ready_fd;
	int turns;          /* new turns to write, 10 ms apart, then release */
};

/*
 * Holds item 1's lock while writing a new turn into its record every 10 ms,
 * as a stream of writers handing the lock on would; then lets it go.
 */
static int relay_lock(void *arg)
{
	struct relay *r = arg;
	int fd = open(r->lockpath, O_RDWR | O_CLOEXEC);
	int tfd = open(r->turnspath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || tfd < 0)
		return 1;
	struct flock fl;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 1;
	fl.l_len = 1;
	if (fcntl(fd, F_OFD_SETLK, &fl) < 0)
		return 1;
	if (write(r->ready_fd, "L", 1) != 1)
		return 1;
	for (int i = 0; i < r->turns; i++) {
		uint64_t turn = (uint64_t)i + 1000;
		if (pwrite(tfd, &turn, 8, turns_record(1) + 8) != 8)
			return 1;
		usleep(10000);
	}
	return 0; /* exiting drops the lock */
}

static void test_lock__a_wait_lasts_while_the_lock_changes_hands(void **state)
{
	h_store *s = S(state);
	char lockpath[PATH_MAX], turnspath[PATH_MAX];
	int pfd[2];
	h_create(s->st, "one", NULL, NULL);
	h_path(lockpath, sizeof(lockpath), "%s/locks/items.lock", s->dir);
	h_path(turnspath, sizeof(turnspath), "%s/locks/turns.lock", s->dir);
	assert_int_equal(pipe(pfd), 0);
	/* 250 turns, 10 ms apart: at least 2.5 s of progress, a 1 s timeout. */
	struct relay r = {lockpath, turnspath, pfd[1], 250};
	pid_t pid = h_fork(relay_lock, &r);
	char c;
	close(pfd[1]);
	assert_int_equal(read(pfd[0], &c, 1), 1);
	close(pfd[0]);

	jerry_store *st = h_open_dir(s->dir, 1000, NULL);
	jerry_change ch;
	jerry_item *it = NULL;
	jerry_error err;
	memset(&ch, 0, sizeof(ch));
	ch.title = "after the relay";
	jerry_error_clear(&err);
	int64_t t0 = mono_ms();
	int rc = jerry_update(&it, st, "1", &ch, &err);
	int64_t waited = mono_ms() - t0;
	if (rc)
		fail_msg("gave up after %lld ms although the lock kept changing hands: %s",
			 (long long)waited, err.message);
	/* It outwaited its own timeout: the progress moved the deadline. */
	assert_true(waited >= 2000);
	assert_int_equal(it->version, 2);
	jerry_item_free(it);
	assert_int_equal(h_wait(pid), 0);
	jerry_store_free(st);
	assert_check_clean(s->st);
}

#define QUEUED 8

struct queued {
	const char *dir;
	int index;
	int order_fd;       /* the child writes its index once it holds the lock */
};

static int take_in_turn(void *arg)
{
	struct queued *q = arg;
	jerry_store *st = h_open_dir(q->dir, 60000, NULL);
	char path[PATH_MAX];
	jerry_error err;
	unsigned char b = (unsigned char)q->index;
	int rc = jr_store_writable(st, &err);
	h_path(path, sizeof(path), "%s/locks/items.lock", q->dir);
	if (!rc)
		rc = jr_lock_take(st->lock_items, 1, 1, &st->wait, "'WORK-001'",
				  path, &err);
	if (!rc) {
		if (write(q->order_fd, &b, 1) != 1)
			rc = 1;
		usleep(2000);
		jr_lock_drop(st->lock_items, 1, 1);
	}
	jerry_store_free(st);
	return rc;
}

/* The number of tickets item 1's queue has handed out, 0 without a record. */
static uint32_t tickets_taken(const char *turnspath)
{
	uint32_t next = 0;
	int fd = open(turnspath, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (pread(fd, &next, 4, turns_record(1)) != 4)
			next = 0;
		close(fd);
	}
	return next;
}

static void test_lock__waiters_get_the_lock_in_the_order_they_came(void **state)
{
	h_store *s = S(state);
	char lockpath[PATH_MAX], turnspath[PATH_MAX];
	int pfd[2], ofd[2];
	pid_t pids[QUEUED];
	struct queued q[QUEUED];
	h_create(s->st, "one", NULL, NULL);
	h_path(lockpath, sizeof(lockpath), "%s/locks/items.lock", s->dir);
	h_path(turnspath, sizeof(turnspath), "%s/locks/turns.lock", s->dir);
	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(pipe(ofd), 0);
	struct holder h = {lockpath, 1, pfd[1]};
	pid_t holder = h_fork(hold_lock, &h);
	char c;
	close(pfd[1]);
	assert_int_equal(read(pfd[0], &c, 1), 1);
	close(pfd[0]);
	uint32_t base = tickets_taken(turnspath);
	/* One at a time: each waiter has its ticket before the next starts. */
	for (int i = 0; i < QUEUED; i++) {
		q[i] = (struct queued){s->dir, i, ofd[1]};
		pids[i] = h_fork(take_in_turn, &q[i]);
		for (int64_t t0 = mono_ms(); mono_ms() - t0 < 5000;) {
			if (tickets_taken(turnspath) == base + (uint32_t)i + 1)
				break;
			usleep(1000);
		}
	}
	assert_int_equal(kill(holder, SIGKILL), 0);
	assert_int_equal(h_wait(holder), 128 + SIGKILL);
	for (int i = 0; i < QUEUED; i++)
		assert_int_equal(h_wait(pids[i]), 0);
	close(ofd[1]);
	unsigned char order[QUEUED + 1];
	assert_int_equal(read(ofd[0], order, sizeof(order)), QUEUED);
	close(ofd[0]);
	for (int i = 0; i < QUEUED; i++)
		assert_int_equal(order[i], i);
	assert_int_equal(tickets_taken(turnspath), base + QUEUED);
}

/* ---- the system call table (io.c) ------------------------------------------------------ */

static int io_teardown(void **state)
{
	jr_io_reset();
	return h_store_teardown(state);
}

/* Whether fd is open on a file whose name ends in `name`. */
static int fd_is(int fd, const char *name)
{
	char link[64], target[PATH_MAX];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return 0;
	target[n] = '\0';
	size_t len = strlen(name);
	return (size_t)n >= len && strcmp(target + n - len, name) == 0;
}

static ssize_t pread_fails_on_the_log(int fd, void *buf, size_t len, off_t off)
{
	if (fd_is(fd, "/index.log")) {
		errno = EIO;
		return -1;
	}
	return pread(fd, buf, len, off);
}

static ssize_t read_fails_on_the_log(int fd, void *buf, size_t len)
{
	if (fd_is(fd, "/index.log")) {
		errno = EIO;
		return -1;
	}
	return read(fd, buf, len);
}

static struct dirent *readdir_fails(DIR *d)
{
	(void)d;
	errno = EIO;
	return NULL;
}

/*
 * A write that cannot read index.log's header must not take the log for
 * a stale one and start afresh: the entries it holds are in no snapshot.
 */
static void test_io__an_unreadable_log_is_never_replaced(void **state)
{
	h_store *s = S(state);
	jerry_change c;
	jerry_error err;
	h_create(s->st, "a", NULL, NULL);
	h_create(s->st, "b", NULL, NULL);
	h_create(s->st, "c", NULL, NULL);
	jr_io_syscalls()->pread = pread_fails_on_the_log;
	memset(&c, 0, sizeof(c));
	c.title = "renamed";
	jerry_error_clear(&err);
	int rc = update(s->st, "2", &c, &err);
	jr_io_reset();
	/* The item may be written (exit 8 territory); the index must not lose the others. */
	assert_true(rc == 0 || rc == JERRY_EDURABLE || rc == JERRY_ESTORAGE);
	assert_check_clean(s->st);
	jerry_item **items = NULL;
	size_t n = list_all(s->st, &items);
	assert_int_equal(n, 3);
	jerry_item_array_free(items, n);
}

/* An index.log that cannot be read is an error, never a log to leave out. */
static void test_io__an_unreadable_log_is_an_error_not_an_empty_one(void **state)
{
	h_store *s = S(state);
	jerry_item **items = NULL;
	size_t n = 0;
	jerry_filter f;
	jerry_error err;
	h_create(s->st, "a", NULL, NULL);
	h_create(s->st, "b", NULL, NULL);
	jr_io_syscalls()->read = read_fails_on_the_log;
	memset(&f, 0, sizeof(f));
	f.all = 1;
	jerry_error_clear(&err);
	int rc = jerry_list(&items, &n, s->st, &f, &err);
	jr_io_reset();
	jerry_item_array_free(items, n);
	assert_int_equal(rc, JERRY_ESTORAGE);
	assert_non_null(strstr(err.message, "index.log"));
	assert_int_equal(list_all(s->st, &items), 2);
	jerry_item_array_free(items, 2);
}

/* A directory that cannot be read is an error, never an empty directory. */
static void test_io__an_unreadable_items_directory_is_not_empty(void **state)
{
	h_store *s = S(state);
	size_t count = 99;
	jerry_error err;
	h_create(s->st, "a", NULL, NULL);
	h_create(s->st, "b", NULL, NULL);
	jr_io_syscalls()->readdir = readdir_fails;
	jerry_error_clear(&err);
	int rc = jerry_reindex(&count, s->st, &err);
	jr_io_reset();
	assert_int_equal(rc, JERRY_ESTORAGE);
	assert_non_null(strstr(err.message, "items"));
	assert_check_clean(s->st);
	jerry_item **items = NULL;
	size_t n = list_all(s->st, &items);
	assert_int_equal(n, 2);
	jerry_item_array_free(items, n);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, h_store_setup, h_store_teardown)

/*
 * Two clones' entries of one version both stand after a merge, marked
 * {"both_sides":V} for the reader; a crash's leftover (an earlier entry of
 * a version in one side's file) does not come back; either order, and
 * merging again, give the same file.
 */
static char *merge_history_text(const char *o, const char *t)
{
	const char *text[3] = { "", o, t };
	size_t len[3] = { 0, strlen(o), strlen(t) };
	char *out = NULL;
	size_t n = 0;
	jerry_merge_result res;
	jerry_error err;
	jerry_error_clear(&err);
	memset(&res, 0, sizeof(res));
	assert_int_equal(jr_merge_text(&out, &n, &res, text, len, "history/WORK-001.jsonl", 0, &err),
			 0);
	assert_int_equal(strlen(out), n);
	return out;
}

static void test_merge__history_keeps_both_sides_of_a_version(void **state)
{
	(void)state;
#define E1 "{\"version\":1,\"at\":\"2026-01-01T00:00:00.000Z\",\"by\":\"a\",\"op\":\"create\",\"changes\":{}}\n"
#define DEAD "{\"version\":2,\"at\":\"2026-01-01T00:00:01.000Z\",\"by\":\"a\",\"op\":\"update\",\"changes\":{\"title\":{\"from\":\"x\",\"to\":\"dead\"}}}\n"
#define A2 "{\"version\":2,\"at\":\"2026-01-01T00:00:02.000Z\",\"by\":\"a\",\"op\":\"update\",\"changes\":{\"title\":{\"from\":\"x\",\"to\":\"a\"}}}\n"
#define B2 "{\"version\":2,\"at\":\"2026-01-01T00:00:03.000Z\",\"by\":\"b\",\"op\":\"update\",\"changes\":{\"priority\":{\"from\":\"low\",\"to\":\"high\"}}}\n"
	char *ab = merge_history_text(E1 DEAD A2, E1 B2);
	char *ba = merge_history_text(E1 B2, E1 DEAD A2);
	assert_string_equal(ab, E1 A2 B2 "{\"both_sides\":2}\n");
	assert_string_equal(ba, ab);
	char *again = merge_history_text(ab, E1 B2);
	assert_string_equal(again, ab);
	free(again);
	free(ba);
	free(ab);
#undef E1
#undef DEAD
#undef A2
#undef B2
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init__is_idempotent_and_reports_created),
		T(test_open__walks_up_from_a_subdirectory),
		T(test_open__finds_a_project_store),
		T(test_open__no_store_is_not_found),
		T(test_create__assigns_sequential_ids_and_unique_uids),
		T(test_create__uids_carry_22_random_bits_each),
		T(test_claim__judged_by_the_stores_clock),
		T(test_update__bumps_version_and_show_reads_the_file),
		T(test_history__entries_carry_their_changes_field_by_field),
		T(test_item_json__with_appends_the_faces_members_after_the_items),
		T(test_stamp__changes_with_every_committed_write_only),
		cmocka_unit_test(test_error_json__the_object_every_face_gives),
		cmocka_unit_test(test_merge__history_keeps_both_sides_of_a_version),
		T(test_index__list_agrees_with_the_files),
		T(test_export_cache__read_while_items_unchanged_never_past_a_bad_record),
		T(test_store__works_with_sync_on),
		T(test_corrupt__broken_item_names_path_line_column_others_still_list),
		T(test_corrupt__symlinked_item_file_is_refused),
		T(test_check__finds_every_kind_and_repair_fixes_derived_state),
		T(test_check__reports_duplicate_uid),
		T(test_reindex__rebuilds_a_lost_index),
		T(test_rebuild__rolls_a_dead_syncs_stage_forward_before_a_write),
		T(test_index__log_compacts_past_512_kib),
		T(test_index__unconfirmed_put_is_settled_from_the_item_file),
		T(test_index__log_records_mean_the_same_in_any_spelling),
		T(test_index__unconfirmed_in_the_snapshot_is_settled),
		T(test_index__torn_last_log_line_is_ignored),
		T(test_index__lookup_follows_the_items_not_the_largest_number),
		T(test_index__snapshot_in_any_order_loads_sorted_later_line_wins),
		T(test_lock__held_item_lock_times_out_and_a_killed_holder_frees_it),
		T(test_lock__a_wait_lasts_while_the_lock_changes_hands),
		T(test_lock__waiters_get_the_lock_in_the_order_they_came),
		T(test_tmp__a_write_sweeps_dead_writers_temp_files_never_a_live_ones),
		T(test_tmp__a_store_without_tmp_gets_it_on_its_first_write),
		cmocka_unit_test_setup_teardown(test_io__an_unreadable_log_is_never_replaced,
						h_store_setup, io_teardown),
		cmocka_unit_test_setup_teardown(test_io__an_unreadable_log_is_an_error_not_an_empty_one,
						h_store_setup, io_teardown),
		cmocka_unit_test_setup_teardown(test_io__an_unreadable_items_directory_is_not_empty,
						h_store_setup, io_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
