/*
 * test_repo.c - git layouts built by hand (no git needed): a linked
 * worktree's path maps to the main worktree, layouts without a main
 * worktree stay as they are, broken gitfiles are JERRY_ECORRUPT; and
 * through the public API, open and init in a linked worktree reach the
 * main worktree's store, and a checkout of a store (its record only) is
 * made whole by its first open.
 */
#include "harness.h"
#include "store/store.h"

static void mkdirs(const char *path)
{
	char buf[PATH_MAX];
	h_path(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			(void)mkdir(buf, 0755);
			*p = '/';
		}
	assert_true(mkdir(buf, 0755) == 0 || errno == EEXIST);
}

static void put(const char *path, const char *text)
{
	h_write_file(path, text, strlen(text));
}

/*
 * root/main/.git/worktrees/wt (commondir TEXT, "" for none) and
 * root/wt/.git holding GITDIR ("" for the absolute one).
 */
static void layout(const char *root, const char *commondir, const char *gitdir)
{
	char p[PATH_MAX], text[PATH_MAX + 16];
	h_path(p, sizeof(p), "%s/main/.git/worktrees/wt", root);
	mkdirs(p);
	h_path(p, sizeof(p), "%s/wt/sub/deep", root);
	mkdirs(p);
	if (*commondir) {
		h_path(p, sizeof(p), "%s/main/.git/worktrees/wt/commondir", root);
		put(p, commondir);
	}
	if (*gitdir)
		h_path(text, sizeof(text), "%s", gitdir);
	else
		h_path(text, sizeof(text), "gitdir: %s/main/.git/worktrees/wt\n", root);
	h_path(p, sizeof(p), "%s/wt/.git", root);
	put(p, text);
}

static void expect_map(const char *from, const char *want)
{
	char path[PATH_MAX];
	jerry_error err;
	jerry_error_clear(&err);
	h_path(path, sizeof(path), "%s", from);
	int rc = jr_repo_map(path, sizeof(path), &err);
	if (rc)
		fail_msg("%s: %s", from, err.message);
	assert_string_equal(path, want);
}

static void expect_broken(const char *from, const char *message_part)
{
	char path[PATH_MAX];
	jerry_error err;
	jerry_error_clear(&err);
	h_path(path, sizeof(path), "%s", from);
	assert_int_equal(jr_repo_map(path, sizeof(path), &err), JERRY_ECORRUPT);
	if (!strstr(err.message, message_part))
		fail_msg("'%s' does not say '%s'", err.message, message_part);
	assert_string_equal(path, from);
}

static char *real_tmpdir(void)
{
	char *dir = h_tmpdir(), real[PATH_MAX];
	assert_non_null(realpath(dir, real));
	free(dir);
	dir = strdup(real);
	assert_non_null(dir);
	return dir;
}

static void test_linked_worktree_maps_to_main(void **state)
{
	(void)state;
	char *root = real_tmpdir(), from[PATH_MAX], want[PATH_MAX];
	layout(root, "../..\n", "");
	h_path(from, sizeof(from), "%s/wt/sub/deep", root);
	h_path(want, sizeof(want), "%s/main/sub/deep", root);
	expect_map(from, want);
	h_path(from, sizeof(from), "%s/wt", root);
	h_path(want, sizeof(want), "%s/main", root);
	expect_map(from, want);
	/* The main worktree itself, and a directory in no repository. */
	h_path(from, sizeof(from), "%s/main", root);
	expect_map(from, from);
	expect_map(root, root);
	h_rmrf(root);
	free(root);
}

static void test_relative_and_crlf(void **state)
{
	(void)state;
	char *root = real_tmpdir(), from[PATH_MAX], want[PATH_MAX], abs[PATH_MAX + 16];
	/* gitdir relative to the worktree, commondir absolute, CRLF endings. */
	h_path(abs, sizeof(abs), "%s/main/.git\r\n", root);
	layout(root, abs, "gitdir: ../main/.git/worktrees/wt\r\n");
	h_path(from, sizeof(from), "%s/wt/sub", root);
	h_path(want, sizeof(want), "%s/main/sub", root);
	expect_map(from, want);
	h_rmrf(root);
	free(root);
}

static void test_no_main_worktree(void **state)
{
	(void)state;
	char *root = real_tmpdir(), from[PATH_MAX], p[PATH_MAX];
	/* No commondir: a submodule or --separate-git-dir; its own main. */
	layout(root, "", "");
	h_path(from, sizeof(from), "%s/wt/sub", root);
	expect_map(from, from);
	/* A common directory not named .git: a bare repository's worktree. */
	h_path(p, sizeof(p), "%s/bare.git/worktrees/wt", root);
	mkdirs(p);
	h_path(p, sizeof(p), "%s/bare.git/worktrees/wt/commondir", root);
	put(p, "../..\n");
	h_path(p, sizeof(p), "%s/wt/.git", root);
	put(p, "gitdir: ../bare.git/worktrees/wt\n");
	expect_map(from, from);
	/* A repository nested in a linked worktree is its own. */
	h_path(p, sizeof(p), "%s/main/.git/worktrees/wt/commondir", root);
	put(p, "../..\n");
	h_path(p, sizeof(p), "%s/wt/.git", root);
	put(p, "gitdir: ../main/.git/worktrees/wt\n");
	h_path(p, sizeof(p), "%s/wt/sub/.git", root);
	mkdirs(p);
	expect_map(from, from);
	h_rmrf(root);
	free(root);
}

static void test_broken_gitfiles(void **state)
{
	(void)state;
	char *root = real_tmpdir(), from[PATH_MAX], p[PATH_MAX];
	layout(root, "../..\n", "");
	h_path(from, sizeof(from), "%s/wt/sub", root);
	h_path(p, sizeof(p), "%s/wt/.git", root);
	put(p, "gitdir:\n");
	expect_broken(from, "is not a gitfile");
	put(p, "gitdir: a\nb\n");
	expect_broken(from, "is not a gitfile");
	h_write_file(p, "gitdir: a\0b", 11);
	expect_broken(from, "is not a gitfile");
	put(p, "gitdir: ../nowhere\n");
	expect_broken(from, "points to '../nowhere'");
	put(p, "gitdir: .git\n");
	expect_broken(from, "which is not a directory");
	put(p, "gitdir: ../main/.git/worktrees/wt\n");
	h_path(p, sizeof(p), "%s/main/.git/worktrees/wt/commondir", root);
	put(p, "\n");
	expect_broken(from, "does not hold one path");
	put(p, "../../../nowhere\n");
	expect_broken(from, "points to '../../../nowhere'");
	h_rmrf(root);
	free(root);
}

static void test_mapped_path_too_long(void **state)
{
	(void)state;
	char *root = real_tmpdir(), path[PATH_MAX];
	jerry_error err;
	layout(root, "../..\n", "");
	h_path(path, sizeof(path), "%s/wt/sub/deep", root);
	/* Room for the original, not for the longer mapped path. */
	jerry_error_clear(&err);
	assert_int_equal(jr_repo_map(path, strlen(path) + 1, &err), JERRY_EINVALID);
	h_rmrf(root);
	free(root);
}

static void test_open_and_init_in_a_worktree(void **state)
{
	(void)state;
	char *root = real_tmpdir(), start[PATH_MAX], dir[PATH_MAX + 64], want[PATH_MAX];
	jerry_open_opts o;
	jerry_error err;
	jerry_store *st = NULL;
	int created = 0;
	layout(root, "../..\n", "");
	jerry_open_opts_init(&o);
	o.sync = 0;
	h_path(start, sizeof(start), "%s/wt/sub/deep", root);
	o.start_dir = start;
	jerry_error_clear(&err);
	assert_int_equal(jerry_store_open(&st, &o, &err), JERRY_ENOTFOUND);
	h_path(start, sizeof(start), "%s/wt", root);
	assert_int_equal(jerry_store_init(dir, sizeof(dir), &created, &o, &err), 0);
	h_path(want, sizeof(want), "%s/main/.jerry/data", root);
	assert_string_equal(dir, want);
	assert_true(created);
	h_path(start, sizeof(start), "%s/wt/sub/deep", root);
	assert_int_equal(jerry_store_open(&st, &o, &err), 0);
	assert_string_equal(jerry_store_dir(st), want);
	jerry_store_free(st);
	h_path(start, sizeof(start), "%s/wt/.jerry", root);
	assert_true(access(start, F_OK) != 0);
	h_rmrf(root);
	free(root);
}

/* What a clone brings: items/ and history/ and the ignore rules, nothing else. */
static void test_checkout_made_whole(void **state)
{
	(void)state;
	char *root = real_tmpdir(), dir[PATH_MAX + 64], p[PATH_MAX + 96];
	jerry_open_opts o;
	jerry_error err;
	jerry_store *st = NULL;
	jerry_item *it = NULL;
	jerry_report *r = NULL;
	jerry_create_spec ni;
	int created = 0;
	jerry_open_opts_init(&o);
	o.sync = 0;
	o.start_dir = root;
	jerry_error_clear(&err);
	assert_int_equal(jerry_store_init(dir, sizeof(dir), &created, &o, &err), 0);
	h_path(p, sizeof(p), "%s/.gitignore", dir);
	char *rules = h_read_file(p, NULL);
	assert_non_null(rules);
	assert_non_null(strstr(rules, "\n/locks/\n"));
	assert_non_null(strstr(rules, "\n/index.log\n"));
	assert_null(strstr(rules, "\n/items"));
	assert_null(strstr(rules, "\n/history"));
	free(rules);
	o.data_dir = dir;
	assert_int_equal(jerry_store_open(&st, &o, &err), 0);
	memset(&ni, 0, sizeof(ni));
	for (int i = 0; i < 3; i++) {
		ni.title = "from the other clone";
		assert_int_equal(jerry_create(&it, st, &ni, &err), 0);
		jerry_item_free(it);
	}
	jerry_store_free(st);
	const char *local[] = {"index.json", "index.log", "sequences.json", "locks", "tmp"};
	for (size_t i = 0; i < sizeof(local) / sizeof(*local); i++) {
		h_path(p, sizeof(p), "%s/%s", dir, local[i]);
		h_rmrf(p);
		assert_true(access(p, F_OK) != 0);
	}
	assert_int_equal(jerry_store_open(&st, &o, &err), 0);
	for (size_t i = 0; i < sizeof(local) / sizeof(*local); i++) {
		h_path(p, sizeof(p), "%s/%s", dir, local[i]);
		if (access(p, F_OK) != 0)
			fail_msg("the first open did not make %s", local[i]);
	}
	assert_int_equal(jerry_check(&r, st, 0, &err), 0);
	assert_int_equal(r->nproblems, 0);
	assert_int_equal(r->items, 3);
	jerry_report_free(r);
	assert_int_equal(jerry_create(&it, st, &ni, &err), 0);
	assert_string_equal(it->id, "WORK-004");
	jerry_item_free(it);
	jerry_store_free(st);
	h_rmrf(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linked_worktree_maps_to_main),
		cmocka_unit_test(test_relative_and_crlf),
		cmocka_unit_test(test_no_main_worktree),
		cmocka_unit_test(test_broken_gitfiles),
		cmocka_unit_test(test_mapped_path_too_long),
		cmocka_unit_test(test_open_and_init_in_a_worktree),
		cmocka_unit_test(test_checkout_made_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
