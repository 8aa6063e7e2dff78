/*
 * test_domain.c - the pure rules: names, IDs, times, validation, the status
 * state machine and the parent table of src/domain/domain.h.
 */
#include "harness.h"

#include <time.h>

/* ---- names --------------------------------------------------------------- */

static void test_names__every_type_status_priority_round_trips(void **state)
{
	(void)state;
	for (int t = 0; t < JERRY_TYPE__COUNT; t++) {
		jerry_type got = JERRY_TYPE__COUNT;
		assert_int_equal(jerry_type_parse(&got, jerry_type_name((jerry_type)t)), 0);
		assert_int_equal(got, t);
	}
	for (int s = 0; s < JERRY_STATUS__COUNT; s++) {
		jerry_status got = JERRY_STATUS__COUNT;
		assert_int_equal(jerry_status_parse(&got, jerry_status_name((jerry_status)s)), 0);
		assert_int_equal(got, s);
	}
	for (int p = 0; p < JERRY_PRIORITY__COUNT; p++) {
		jerry_priority got = JERRY_PRIORITY__COUNT;
		assert_int_equal(jerry_priority_parse(&got, jerry_priority_name((jerry_priority)p)), 0);
		assert_int_equal(got, p);
	}
}

static void test_names__spellings_match_the_format(void **state)
{
	(void)state;
	assert_string_equal(jerry_type_name(JERRY_TYPE_EPIC), "epic");
	assert_string_equal(jerry_type_name(JERRY_TYPE_SUBTASK), "subtask");
	assert_string_equal(jerry_type_name(JERRY_TYPE_SPIKE), "spike");
	assert_string_equal(jerry_status_name(JERRY_STATUS_IN_PROGRESS), "in_progress");
	assert_string_equal(jerry_status_name(JERRY_STATUS_CANCELLED), "cancelled");
	assert_string_equal(jerry_priority_name(JERRY_PRIORITY_CRITICAL), "critical");
	assert_string_equal(jerry_priority_name(JERRY_PRIORITY_LOW), "low");
	assert_string_equal(jerry_type_name(JERRY_TYPE__COUNT), "unknown");
	assert_string_equal(jerry_status_name((jerry_status)-1), "unknown");
}

static void test_names__parse_is_case_insensitive_and_knows_in_dash_progress(void **state)
{
	jerry_status s = JERRY_STATUS_PENDING;
	jerry_type t = JERRY_TYPE_TASK;
	(void)state;
	assert_int_equal(jerry_status_parse(&s, "in-progress"), 0);
	assert_int_equal(s, JERRY_STATUS_IN_PROGRESS);
	assert_int_equal(jerry_status_parse(&s, "DONE"), 0);
	assert_int_equal(s, JERRY_STATUS_DONE);
	assert_int_equal(jerry_type_parse(&t, "Bug"), 0);
	assert_int_equal(t, JERRY_TYPE_BUG);
}

static void test_names__unknown_names_are_invalid_and_leave_out_alone(void **state)
{
	jerry_type t = JERRY_TYPE_SPIKE;
	jerry_status s = JERRY_STATUS_BLOCKED;
	jerry_priority p = JERRY_PRIORITY_LOW;
	(void)state;
	assert_int_equal(jerry_type_parse(&t, "chore"), JERRY_EINVALID);
	assert_int_equal(jerry_type_parse(&t, ""), JERRY_EINVALID);
	assert_int_equal(jerry_type_parse(&t, NULL), JERRY_EINVALID);
	assert_int_equal(jerry_status_parse(&s, "open"), JERRY_EINVALID);
	assert_int_equal(jerry_status_parse(&s, "in progress"), JERRY_EINVALID);
	assert_int_equal(jerry_priority_parse(&p, "urgent"), JERRY_EINVALID);
	assert_int_equal(jerry_priority_parse(&p, "medium "), JERRY_EINVALID);
	assert_int_equal(t, JERRY_TYPE_SPIKE);
	assert_int_equal(s, JERRY_STATUS_BLOCKED);
	assert_int_equal(p, JERRY_PRIORITY_LOW);
}

static void test_deps__open_text_lists_what_fits_then_counts_the_rest(void **state)
{
	(void)state;
	jerry_item *it = jr_item_new();
	char buf[80];
	int status[6];
	assert_non_null(it);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(jr_depends_add(it, 10 + i), 0);
		status[i] = JERRY_STATUS_PENDING;
	}
	status[1] = JERRY_STATUS_DONE;
	status[2] = -1;
	assert_int_equal(jr_deps_open_text(buf, sizeof(buf), it, status), 5);
	assert_string_equal(buf, "WORK-010 (pending), WORK-012 (missing) and 3 more");
	char big[512];
	assert_int_equal(jr_deps_open_text(big, sizeof(big), it, status), 5);
	assert_string_equal(big, "WORK-010 (pending), WORK-012 (missing), WORK-013 (pending), "
				 "WORK-014 (pending) and WORK-015 (pending)");
	/* not even one fits: a count, with the list's noun */
	char tiny[24];
	assert_int_equal(jr_deps_open_text(tiny, sizeof(tiny), it, status), 5);
	assert_string_equal(tiny, "5 dependencies");
	jerry_dep_state below[2] = {{4, JERRY_STATUS_PENDING}, {5, JERRY_STATUS_IN_PROGRESS}};
	assert_int_equal(jr_open_list_text(tiny, sizeof(tiny), below, 2, "items"), 2);
	assert_string_equal(tiny, "2 items");
	assert_int_equal(jr_open_list_text(big, sizeof(big), below, 2, "items"), 2);
	assert_string_equal(big, "WORK-004 (pending) and WORK-005 (in_progress)");
	/* only pending and blocked -> in_progress with dependencies is gated */
	assert_true(jr_deps_gated(it, JERRY_STATUS_IN_PROGRESS));
	assert_false(jr_deps_gated(it, JERRY_STATUS_CANCELLED));
	it->status = JERRY_STATUS_DONE;
	assert_false(jr_deps_gated(it, JERRY_STATUS_IN_PROGRESS));
	it->status = JERRY_STATUS_BLOCKED;
	assert_true(jr_deps_gated(it, JERRY_STATUS_IN_PROGRESS));
	for (int i = 0; i < 6; i++)
		status[i] = JERRY_STATUS_DONE;
	assert_int_equal(jr_deps_gate(it, status, "start", NULL), 0);
	jerry_item_free(it);
}

static void test_codes__exit_status_and_names_are_fixed(void **state)
{
	(void)state;
	assert_int_equal(jerry_code_exit_status(JERRY_OK), 0);
	assert_int_equal(jerry_code_exit_status(JERRY_EINVALID), 2);
	assert_int_equal(jerry_code_exit_status(JERRY_ECONFLICT), 4);
	assert_int_equal(jerry_code_exit_status(JERRY_EREFUSED), 9);
	assert_int_equal(jerry_code_exit_status(JERRY_ENOMEM), 1);
	assert_int_equal(jerry_code_exit_status(JERRY_EOUTPUT), 10);
	assert_string_equal(jerry_code_name(JERRY_EOUTPUT), "output_failed");
	assert_string_equal(jerry_code_name(JERRY_ELOCKED), "lock_timeout");
	assert_string_equal(jerry_code_name(JERRY_EDURABLE), "durability_uncertain");
	assert_string_equal(jerry_code_name(-99), "internal");
}

/* One row per code, every status 0..10 present, in order; the functions agree with it. */
static void test_codes__the_exit_table_covers_every_code_in_order(void **state)
{
	size_t n, seen = 0;
	const jerry_exit_row *rows = jerry_exit_table(&n);
	(void)state;
	assert_int_equal(n, 12);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(jerry_code_exit_status(rows[i].code), rows[i].status);
		assert_string_equal(jerry_code_name(rows[i].code), rows[i].name);
		assert_true(rows[i].meaning && rows[i].meaning[0]);
		if (i)
			assert_true(rows[i - 1].status <= rows[i].status);
		seen |= 1u << rows[i].status;
	}
	assert_int_equal(seen, (1u << 11) - 1);
	for (int code = JERRY_OK; code >= JERRY_EOUTPUT; code--) {
		int found = 0;
		for (size_t i = 0; i < n; i++)
			found += rows[i].code == code;
		assert_int_equal(found, 1);
	}
}

/* ---- IDs ------------------------------------------------------------------- */

static void test_id__accepts_every_documented_spelling(void **state)
{
	static const struct { const char *text; int64_t num; } ok[] = {
		{"7", 7}, {"WORK-7", 7}, {"work-007", 7}, {"WORK-1000", 1000},
		{"Work-42", 42}, {"999999999", 999999999}, {"0001", 1},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int64_t num = -1;
		jerry_error err;
		jerry_error_clear(&err);
		int rc = jerry_id_parse(&num, ok[i].text, &err);
		if (rc)
			fail_msg("'%s' refused: %s", ok[i].text, err.message);
		assert_int_equal(num, ok[i].num);
	}
}

static void test_id__refuses_anything_that_could_name_another_path(void **state)
{
	static const char *const bad[] = {
		"", "0", "WORK-", "-1", "../../etc/passwd", "7/..", " 7", "7 ", "WORK-7x",
		"1234567890", "WORK-0", "WORK--7", "+7", "0x7", "WORK-7.json", "TASK-7", "7\n",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t num = 12345;
		jerry_error err;
		jerry_error_clear(&err);
		int rc = jerry_id_parse(&num, bad[i], &err);
		if (rc != JERRY_EINVALID)
			fail_msg("'%s' accepted as %lld", bad[i], (long long)num);
		assert_int_equal(err.code, JERRY_EINVALID);
		assert_true(err.message[0] != '\0');
		assert_int_equal(num, 12345);
	}
	int64_t num = 1;
	assert_int_equal(jerry_id_parse(&num, NULL, NULL), JERRY_EINVALID);
}

static void test_id__format_pads_to_three_digits_and_grows_past(void **state)
{
	char buf[24];
	(void)state;
	jerry_id_format(buf, sizeof(buf), 7);
	assert_string_equal(buf, "WORK-007");
	jerry_id_format(buf, sizeof(buf), 42);
	assert_string_equal(buf, "WORK-042");
	jerry_id_format(buf, sizeof(buf), 1000);
	assert_string_equal(buf, "WORK-1000");
	jerry_id_format(buf, sizeof(buf), JR_ID_MAX);
	assert_string_equal(buf, "WORK-999999999");
	int64_t back = 0;
	assert_int_equal(jerry_id_parse(&back, buf, NULL), 0);
	assert_int_equal(back, JR_ID_MAX);
}

/* The printf-free spelling is printf's, at every width, and bounded like snprintf. */
static void test_id__spell_matches_printf_and_respects_the_size(void **state)
{
	static const int64_t nums[] = { 1, 9, 10, 99, 100, 999, 1000, 12345, JR_ID_MAX,
					INT64_MAX, 0, -5, INT64_MIN };
	char got[32], want[32];
	(void)state;
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		int n = snprintf(want, sizeof(want), "WORK-%03lld", (long long)nums[i]);
		assert_int_equal(jr_id_spell(got, sizeof(got), nums[i]), (size_t)n);
		assert_string_equal(got, want);
	}
	memset(got, 'x', sizeof(got));
	assert_int_equal(jr_id_spell(got, 6, 7), 8);
	assert_string_equal(got, "WORK-");
	assert_int_equal(got[6], 'x');
	assert_int_equal(jr_id_spell(got, 0, 7), 8);
	assert_int_equal(got[0], 'W');
}

/* ---- the state machine ------------------------------------------------------ */

/*
 * The table of domain.h, written out by hand: row = from, column = to, in
 * the order pending, in_progress, blocked, done, cancelled.
 */
static const int allowed_moves[JERRY_STATUS__COUNT][JERRY_STATUS__COUNT] = {
	/* pending     */ {0, 1, 0, 0, 1},
	/* in_progress */ {0, 0, 1, 1, 1},
	/* blocked     */ {0, 1, 0, 0, 1},
	/* done        */ {0, 1, 0, 0, 0},
	/* cancelled   */ {0, 0, 0, 0, 0},
};

static void test_status__can_move_matches_the_documented_table(void **state)
{
	(void)state;
	for (int f = 0; f < JERRY_STATUS__COUNT; f++)
		for (int t = 0; t < JERRY_STATUS__COUNT; t++)
			if (jerry_status_can_move((jerry_status)f, (jerry_status)t) != allowed_moves[f][t])
				fail_msg("%s -> %s: expected %s", jerry_status_name((jerry_status)f),
					 jerry_status_name((jerry_status)t),
					 allowed_moves[f][t] ? "allowed" : "refused");
	assert_false(jerry_status_can_move(JERRY_STATUS__COUNT, JERRY_STATUS_DONE));
	assert_false(jerry_status_can_move(JERRY_STATUS_PENDING, (jerry_status)-1));
}

static void test_status__transition_applies_exactly_the_allowed_moves(void **state)
{
	(void)state;
	for (int f = 0; f < JERRY_STATUS__COUNT; f++) {
		for (int t = 0; t < JERRY_STATUS__COUNT; t++) {
			jerry_item *it = jr_item_new();
			jerry_error err;
			assert_non_null(it);
			it->num = 3;
			jerry_id_format(it->id, sizeof(it->id), 3);
			it->status = (jerry_status)f;
			it->completed_at = f == JERRY_STATUS_DONE ? 111 : 0;
			jerry_error_clear(&err);
			int rc = jr_status_transition(it, (jerry_status)t, 5000, &err);
			if (allowed_moves[f][t]) {
				assert_int_equal(rc, 0);
				assert_int_equal(it->status, t);
				/* invariant (2): completed_at is set exactly while done */
				assert_int_equal(it->completed_at, t == JERRY_STATUS_DONE ? 5000 : 0);
			} else {
				assert_int_equal(rc, JERRY_EREFUSED);
				assert_int_equal(err.code, JERRY_EREFUSED);
				assert_int_equal(it->status, f);
				assert_int_equal(it->completed_at, f == JERRY_STATUS_DONE ? 111 : 0);
				assert_string_equal(err.item, "WORK-003");
				assert_true(err.allowed[0] != '\0');
			}
			jerry_item_free(it);
		}
	}
}

/* A refusal names the allowed moves as statuses, the same as in words. */
static void test_status__refusal_lists_the_allowed_moves_as_statuses(void **state)
{
	(void)state;
	for (int f = 0; f < JERRY_STATUS__COUNT; f++) {
		jerry_item *it = jr_item_new();
		jerry_status moves[JERRY_STATUS__COUNT];
		jerry_error err;
		char words[160] = "";
		assert_non_null(it);
		it->num = 4;
		jerry_id_format(it->id, sizeof(it->id), 4);
		it->status = (jerry_status)f;
		jerry_error_clear(&err);
		assert_int_equal(jr_status_transition(it, (jerry_status)f, 1, &err), JERRY_EREFUSED);
		size_t n = jerry_error_allowed(moves, &err), want = 0;
		for (int t = 0; t < JERRY_STATUS__COUNT; t++)
			want += (size_t)allowed_moves[f][t];
		assert_int_equal(n, want);
		for (size_t i = 0; i < n; i++) {
			assert_true(allowed_moves[f][moves[i]]);
			assert_true(i == 0 || moves[i - 1] < moves[i]);
			snprintf(words + strlen(words), sizeof(words) - strlen(words), "%s%s",
				 i ? ", " : "", jerry_status_name(moves[i]));
		}
		assert_string_equal(err.allowed, n ? words : "none");
		jerry_item_free(it);
	}
	jerry_error clean;
	jerry_status none[JERRY_STATUS__COUNT];
	jerry_error_clear(&clean);
	assert_int_equal(jerry_error_allowed(none, &clean), 0);
}

static void test_status__done_cannot_go_back_to_pending(void **state)
{
	jerry_item *it = jr_item_new();
	jerry_error err;
	(void)state;
	it->num = 1;
	jerry_id_format(it->id, sizeof(it->id), 1);
	it->status = JERRY_STATUS_DONE;
	it->completed_at = 99;
	jerry_error_clear(&err);
	assert_int_equal(jr_status_transition(it, JERRY_STATUS_PENDING, 1000, &err), JERRY_EREFUSED);
	assert_string_equal(err.allowed, "in_progress");
	assert_non_null(strstr(err.message, "from done to pending"));
	assert_int_equal(it->completed_at, 99);
	jerry_item_free(it);
}

static void test_status__same_status_is_refused_not_ignored(void **state)
{
	jerry_item *it = jr_item_new();
	jerry_error err;
	(void)state;
	it->num = 2;
	jerry_id_format(it->id, sizeof(it->id), 2);
	it->status = JERRY_STATUS_IN_PROGRESS;
	jerry_error_clear(&err);
	assert_int_equal(jr_status_transition(it, JERRY_STATUS_IN_PROGRESS, 1, &err), JERRY_EREFUSED);
	assert_non_null(strstr(err.message, "already in_progress"));
	assert_string_equal(err.allowed, "blocked, done, cancelled");
	jerry_item_free(it);
}

static void test_status__cancelled_is_terminal_and_says_so(void **state)
{
	jerry_item *it = jr_item_new();
	jerry_error err;
	(void)state;
	it->num = 9;
	jerry_id_format(it->id, sizeof(it->id), 9);
	it->status = JERRY_STATUS_CANCELLED;
	jerry_error_clear(&err);
	assert_int_equal(jr_status_transition(it, JERRY_STATUS_IN_PROGRESS, 1, &err), JERRY_EREFUSED);
	assert_string_equal(err.allowed, "none");
	assert_non_null(strstr(err.hint, "final"));
	jerry_item_free(it);
}

static void test_status__reopen_clears_completed_at(void **state)
{
	jerry_item *it = jr_item_new();
	(void)state;
	it->num = 4;
	it->status = JERRY_STATUS_IN_PROGRESS;
	assert_int_equal(jr_status_transition(it, JERRY_STATUS_DONE, 777, NULL), 0);
	assert_int_equal(it->completed_at, 777);
	assert_int_equal(jr_status_transition(it, JERRY_STATUS_IN_PROGRESS, 888, NULL), 0);
	assert_int_equal(it->completed_at, 0);
	/* and a refusal without an error struct does not crash */
	assert_int_equal(jr_status_transition(it, JERRY_STATUS_PENDING, 999, NULL), JERRY_EREFUSED);
	jerry_item_free(it);
}

/* ---- parents ------------------------------------------------------------------ */

/* child row, parent column, in type order: epic feature story task subtask bug spike */
static const int parent_table[JERRY_TYPE__COUNT][JERRY_TYPE__COUNT] = {
	/* epic    */ {0, 0, 0, 0, 0, 0, 0},
	/* feature */ {1, 0, 0, 0, 0, 0, 0},
	/* story   */ {1, 1, 0, 0, 0, 0, 0},
	/* task    */ {1, 1, 1, 0, 0, 0, 0},
	/* subtask */ {0, 0, 0, 1, 0, 1, 0},
	/* bug     */ {1, 1, 1, 0, 0, 0, 0},
	/* spike   */ {1, 1, 1, 0, 0, 0, 0},
};

static void test_parent__allowed_matches_the_documented_table(void **state)
{
	(void)state;
	for (int c = 0; c < JERRY_TYPE__COUNT; c++) {
		for (int p = 0; p < JERRY_TYPE__COUNT; p++)
			if (jr_parent_allowed((jerry_type)c, p) != parent_table[c][p])
				fail_msg("a %s under a %s: expected %s", jerry_type_name((jerry_type)c),
					 jerry_type_name((jerry_type)p),
					 parent_table[c][p] ? "allowed" : "refused");
		/* no parent: fine for everything but a subtask */
		assert_int_equal(jr_parent_allowed((jerry_type)c, -1), c != JERRY_TYPE_SUBTASK);
	}
	assert_false(jr_parent_allowed(JERRY_TYPE_TASK, JERRY_TYPE__COUNT));
}

static void test_parent__every_allowed_parent_ranks_above_its_child(void **state)
{
	/* The no-cycle argument of domain.h: no type may reach itself. */
	(void)state;
	for (int c = 0; c < JERRY_TYPE__COUNT; c++) {
		int seen[JERRY_TYPE__COUNT] = {0};
		int frontier[JERRY_TYPE__COUNT] = {0};
		frontier[c] = 1;
		for (int step = 0; step < JERRY_TYPE__COUNT + 1; step++) {
			int next[JERRY_TYPE__COUNT] = {0};
			for (int x = 0; x < JERRY_TYPE__COUNT; x++)
				for (int p = 0; frontier[x] && p < JERRY_TYPE__COUNT; p++)
					if (jr_parent_allowed((jerry_type)x, p))
						next[p] = seen[p] = 1;
			memcpy(frontier, next, sizeof(next));
		}
		assert_false(seen[c]);
	}
}

static void test_parent__check_explains_refusals(void **state)
{
	jerry_item *epic = jr_item_new(), *task = jr_item_new(), *sub = jr_item_new();
	jerry_error err;
	char buf[96];
	(void)state;
	epic->num = 1;
	epic->type = JERRY_TYPE_EPIC;
	jerry_id_format(epic->id, sizeof(epic->id), 1);
	task->num = 2;
	task->type = JERRY_TYPE_TASK;
	jerry_id_format(task->id, sizeof(task->id), 2);
	sub->num = 3;
	sub->type = JERRY_TYPE_SUBTASK;
	jerry_id_format(sub->id, sizeof(sub->id), 3);

	assert_int_equal(jr_check_parent(NULL, JERRY_TYPE_TASK, epic, NULL), 0);
	assert_int_equal(jr_check_parent(NULL, JERRY_TYPE_SUBTASK, task, NULL), 0);
	assert_int_equal(jr_check_parent(NULL, JERRY_TYPE_TASK, NULL, NULL), 0);

	jerry_error_clear(&err);
	assert_int_equal(jr_check_parent(NULL, JERRY_TYPE_SUBTASK, NULL, &err), JERRY_EREFUSED);
	assert_non_null(strstr(err.message, "needs a parent (task, bug)"));

	jerry_error_clear(&err);
	assert_int_equal(jr_check_parent(NULL, JERRY_TYPE_SUBTASK, epic, &err), JERRY_EREFUSED);
	assert_non_null(strstr(err.message, "'WORK-001'"));
	assert_non_null(strstr(err.hint, "task, bug"));

	jerry_error_clear(&err);
	assert_int_equal(jr_check_parent(task, JERRY_TYPE_TASK, task, &err), JERRY_EREFUSED);
	assert_non_null(strstr(err.message, "its own parent"));

	jr_parent_types(buf, sizeof(buf), JERRY_TYPE_EPIC);
	assert_string_equal(buf, "none");
	jr_parent_types(buf, sizeof(buf), JERRY_TYPE_STORY);
	assert_string_equal(buf, "epic, feature");
	jerry_item_free(epic);
	jerry_item_free(task);
	jerry_item_free(sub);
}

/* ---- titles and text ------------------------------------------------------------ */

static void expect_title(const char *title, int rc, const char *msg_part)
{
	jerry_error err;
	jerry_error_clear(&err);
	int got = jr_validate_title(title, &err);
	if (got != rc)
		fail_msg("title of %zu bytes: got %d, want %d (%s)", title ? strlen(title) : 0, got,
			 rc, err.message);
	if (msg_part)
		assert_non_null(strstr(err.message, msg_part));
}

static void test_title__empty_spaces_and_controls_are_invalid(void **state)
{
	(void)state;
	expect_title(NULL, JERRY_EINVALID, "required");
	expect_title("", JERRY_EINVALID, "required");
	expect_title("   ", JERRY_EINVALID, "only spaces");
	expect_title("a\nb", JERRY_EINVALID, "control character");
	expect_title("tab\there", JERRY_EINVALID, "control character");
	expect_title("esc\x1b[0m", JERRY_EINVALID, "control character");
	expect_title("del\x7f", JERRY_EINVALID, "control character");
	expect_title("c1 \xc2\x85 next-line", JERRY_EINVALID, "control character");
	expect_title("  fine with spaces  ", 0, NULL);
	expect_title("Fix the login page", 0, NULL);
}

static void test_title__invalid_utf8_is_refused(void **state)
{
	(void)state;
	expect_title("bad \xff byte", JERRY_EINVALID, "UTF-8");
	expect_title("lone continuation \x80", JERRY_EINVALID, "UTF-8");
	expect_title("truncated \xe2\x82", JERRY_EINVALID, "UTF-8");
	expect_title("truncated at end \xc3", JERRY_EINVALID, "UTF-8");
	expect_title("overlong slash \xc0\xaf", JERRY_EINVALID, "UTF-8");
	expect_title("overlong 3 \xe0\x80\xaf", JERRY_EINVALID, "UTF-8");
	expect_title("overlong 4 \xf0\x80\x80\xaf", JERRY_EINVALID, "UTF-8");
	expect_title("surrogate \xed\xa0\x80", JERRY_EINVALID, "UTF-8");
	expect_title("low surrogate \xed\xbf\xbf", JERRY_EINVALID, "UTF-8");
	expect_title("beyond U+10FFFF \xf4\x90\x80\x80", JERRY_EINVALID, "UTF-8");
	expect_title("five-byte \xf8\x88\x80\x80\x80", JERRY_EINVALID, "UTF-8");
	expect_title("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 0, NULL);
	expect_title("max \xf4\x8f\xbf\xbf", 0, NULL);
}

static char *repeat(const char *unit, size_t times)
{
	size_t ul = strlen(unit);
	char *s = malloc(ul * times + 1);
	assert_non_null(s);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * ul, unit, ul);
	s[ul * times] = '\0';
	return s;
}

static void test_title__limit_is_256_characters_not_bytes(void **state)
{
	(void)state;
	char *t256 = repeat("a", 256), *t257 = repeat("a", 257);
	char *e256 = repeat("\xc3\xa9", 256), *e257 = repeat("\xc3\xa9", 257);
	char *emoji256 = repeat("\xf0\x9f\x98\x80", 256);
	expect_title(t256, 0, NULL);
	expect_title(t257, JERRY_EINVALID, "257 characters");
	expect_title(e256, 0, NULL);          /* 512 bytes, 256 characters */
	expect_title(e257, JERRY_EINVALID, "257 characters");
	expect_title(emoji256, 0, NULL);      /* 1024 bytes */
	free(t256);
	free(t257);
	free(e256);
	free(e257);
	free(emoji256);
}

static void test_text__allows_newlines_and_tabs_but_not_other_controls(void **state)
{
	jerry_error err;
	(void)state;
	assert_int_equal(jr_validate_text("note", NULL, NULL), 0);
	assert_int_equal(jr_validate_text("note", "line one\n\tline two", NULL), 0);
	jerry_error_clear(&err);
	assert_int_equal(jr_validate_text("note", "bell\a", &err), JERRY_EINVALID);
	assert_non_null(strstr(err.message, "the note"));
	assert_int_equal(jr_validate_text("note", "\xed\xa0\x80", NULL), JERRY_EINVALID);
	char *big = repeat("x", JR_TEXT_MAX_BYTES + 1);
	assert_int_equal(jr_validate_text("description", big, NULL), JERRY_EINVALID);
	big[JR_TEXT_MAX_BYTES] = '\0';
	assert_int_equal(jr_validate_text("description", big, NULL), 0);
	free(big);
}

static void test_names__assignee_and_label_rules(void **state)
{
	(void)state;
	assert_int_equal(jr_validate_name("assignee", "", 1, NULL), 0);
	assert_int_equal(jr_validate_name("assignee", "", 0, NULL), JERRY_EINVALID);
	assert_int_equal(jr_validate_name("assignee", "bob\n", 1, NULL), JERRY_EINVALID);
	assert_int_equal(jr_validate_label("backend", NULL), 0);
	assert_int_equal(jr_validate_label("", NULL), JERRY_EINVALID);
	assert_int_equal(jr_validate_label("two words", NULL), JERRY_EINVALID);
	assert_int_equal(jr_validate_label("a,b", NULL), JERRY_EINVALID);
	char *l64 = repeat("l", 64), *l65 = repeat("l", 65);
	assert_int_equal(jr_validate_label(l64, NULL), 0);
	assert_int_equal(jr_validate_label(l65, NULL), JERRY_EINVALID);
	free(l64);
	free(l65);
}

/* ---- labels, dependencies, notes --------------------------------------------------- */

static void test_labels__stay_sorted_and_unique(void **state)
{
	jerry_item *it = jr_item_new();
	(void)state;
	assert_int_equal(jr_labels_add(it, "zeta"), 0);
	assert_int_equal(jr_labels_add(it, "alpha"), 0);
	assert_int_equal(jr_labels_add(it, "mid"), 0);
	assert_int_equal(jr_labels_add(it, "alpha"), 0);
	assert_int_equal(jr_labels_add(it, "beta"), 0);
	assert_int_equal(it->nlabels, 4);
	assert_string_equal(it->labels[0], "alpha");
	assert_string_equal(it->labels[1], "beta");
	assert_string_equal(it->labels[2], "mid");
	assert_string_equal(it->labels[3], "zeta");
	assert_true(jr_labels_has(it, "mid"));
	assert_false(jr_labels_has(it, "mi"));

	assert_int_equal(jr_labels_remove(it, "beta"), 0);
	assert_int_equal(jr_labels_remove(it, "not-there"), 0);
	assert_int_equal(it->nlabels, 3);
	assert_string_equal(it->labels[0], "alpha");
	assert_string_equal(it->labels[1], "mid");
	assert_string_equal(it->labels[2], "zeta");
	assert_false(jr_labels_has(it, "beta"));
	assert_int_equal(jr_labels_remove(it, "alpha"), 0);
	assert_int_equal(jr_labels_remove(it, "zeta"), 0);
	assert_int_equal(jr_labels_remove(it, "mid"), 0);
	assert_int_equal(it->nlabels, 0);
	jerry_item_free(it);
}

static void test_depends__stay_sorted_and_unique(void **state)
{
	jerry_item *it = jr_item_new();
	(void)state;
	assert_int_equal(jr_depends_add(it, 9), 0);
	assert_int_equal(jr_depends_add(it, 2), 0);
	assert_int_equal(jr_depends_add(it, 5), 0);
	assert_int_equal(jr_depends_add(it, 2), 0);
	assert_int_equal(it->ndepends, 3);
	assert_int_equal(it->depends_on[0], 2);
	assert_int_equal(it->depends_on[1], 5);
	assert_int_equal(it->depends_on[2], 9);
	assert_int_equal(jr_depends_remove(it, 5), 0);
	assert_int_equal(it->ndepends, 2);
	assert_int_equal(it->depends_on[1], 9);
	jerry_item_free(it);
}

static void test_item__reason_is_the_latest_note_of_that_status(void **state)
{
	jerry_item *it = jr_item_new();
	(void)state;
	assert_null(jerry_item_reason(it, JERRY_STATUS_BLOCKED));
	jr_notes_append(it, 10, "me", "blocked: the vendor");
	jr_notes_append(it, 20, "me", "blocked: the vendor, again");
	jr_notes_append(it, 30, "me", "blockedness: not a reason");
	jr_notes_append(it, 40, "me", "done: shipped");
	assert_string_equal(jerry_item_reason(it, JERRY_STATUS_BLOCKED), "the vendor, again");
	assert_string_equal(jerry_item_reason(it, JERRY_STATUS_DONE), "shipped");
	assert_null(jerry_item_reason(it, JERRY_STATUS_CANCELLED));
	jerry_item_free(it);
}

static void test_item__dup_is_deep_and_claims_expire(void **state)
{
	jerry_item *it = jr_item_new();
	(void)state;
	it->num = 5;
	jr_set_str(&it->title, "original");
	jr_labels_add(it, "x");
	jr_notes_append(it, 10, "me", "first");
	jr_notes_append(it, 20, NULL, "second");
	jr_set_str(&it->claim.by, "me");
	it->claim.expires_ms = 1000;
	jerry_item *copy = jr_item_dup(it);
	assert_non_null(copy);
	jr_set_str(&it->title, "changed");
	jr_labels_add(it, "y");
	assert_string_equal(copy->title, "original");
	assert_int_equal(copy->nlabels, 1);
	assert_int_equal(copy->nnotes, 2);
	assert_string_equal(copy->notes[1].text, "second");
	assert_null(copy->notes[1].by);
	assert_true(copy->title != it->title);
	assert_true(jr_claim_live(copy, 999));
	assert_false(jr_claim_live(copy, 1000));
	jr_claim_clear(copy);
	assert_null(copy->claim.by);
	assert_false(jr_claim_live(copy, 0));
	/* "" clears a string field */
	assert_int_equal(jr_set_str(&copy->title, ""), 0);
	assert_null(copy->title);
	jerry_item_free(copy);
	jerry_item_free(it);
	jerry_item_free(NULL);
	jerry_item_array_free(NULL, 3);
}

/* ---- times ---------------------------------------------------------------------- */

static void test_time__format_and_parse_round_trip_with_milliseconds(void **state)
{
	static const struct { int64_t ms; const char *text; } cases[] = {
		{0, "1970-01-01T00:00:00.000Z"},
		{1, "1970-01-01T00:00:00.001Z"},
		{1767225600000LL, "2026-01-01T00:00:00.000Z"},
		{1767225600123LL, "2026-01-01T00:00:00.123Z"},
		{951782400999LL, "2000-02-29T00:00:00.999Z"},
		{-1, "1969-12-31T23:59:59.999Z"},
		{-86400000LL, "1969-12-31T00:00:00.000Z"},
		{-2208988800000LL + 5, "1900-01-01T00:00:00.005Z"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[32];
		int64_t back = 42;
		jerry_time_format(buf, sizeof(buf), cases[i].ms);
		assert_string_equal(buf, cases[i].text);
		if (cases[i].ms <= 0) {
			/* 0 is "not set": the epoch and before cannot be read back as times */
			assert_int_equal(jerry_time_parse(&back, buf), JERRY_EINVALID);
			assert_int_equal(back, 42);
			continue;
		}
		assert_int_equal(jerry_time_parse(&back, buf), 0);
		assert_int_equal(back, cases[i].ms);
	}
}

/*
 * jerry_time_format does its own calendar arithmetic (no gmtime_r, which a
 * "right/" TZ skews by leap seconds): it must give what gmtime_r and
 * printf give in UTC, for every int64, small buffers included.
 */
static void test_time__format_matches_gmtime_in_utc(void **state)
{
	static const int64_t edges[] = {
		0, 1, -1, 999, -999, -1000, -1001, 86399999, 86400000, -86400000, -86400001,
		951782400000LL, 4107542400000LL, 253402300799999LL, 253402300800000LL,
		-62167219200000LL, -62167219200001LL, INT64_MAX, INT64_MIN, INT64_MIN + 1,
	};
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	char *tz = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	for (int i = 0; i < 200000; i++) {
		int64_t ms;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		if (i < (int)(sizeof(edges) / sizeof(edges[0])))
			ms = edges[i];
		else if (i % 3 == 0)
			ms = (int64_t)x;
		else if (i % 3 == 1)
			ms = (int64_t)(x % 253402300800000ULL);
		else
			ms = (int64_t)(x % 400000000000000ULL) - 200000000000000LL;
		time_t secs = (time_t)(ms / 1000);
		int frac = (int)(ms % 1000);
		if (frac < 0) {
			frac += 1000;
			secs -= 1;
		}
		struct tm tm;
		assert_non_null(gmtime_r(&secs, &tm));
		for (size_t size = i % 100 ? 80 : 1; size <= 80; size++) {
			char want[80], got[80];
			memset(want, 'x', sizeof(want));
			memset(got, 'x', sizeof(got));
			snprintf(want, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
				 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
			jerry_time_format(got, size, ms);
			if (memcmp(want, got, sizeof(want)) != 0)
				fail_msg("%lld (size %zu): '%.80s', not '%.80s'", (long long)ms, size,
					 got, want);
		}
	}
	if (tz)
		setenv("TZ", tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(tz);
}

static void test_time__parse_accepts_variants_and_refuses_garbage(void **state)
{
	int64_t ms = 0;
	(void)state;
	assert_int_equal(jerry_time_parse(&ms, "2026-01-01T00:00:01Z"), 0);
	assert_int_equal(ms, 1767225601000LL);
	assert_int_equal(jerry_time_parse(&ms, "2026-01-01T00:00:01.5+00:00"), 0);
	assert_int_equal(ms, 1767225601500LL);
	assert_int_equal(jerry_time_parse(&ms, "2026-01-01T00:00:01.123456Z"), 0);
	assert_int_equal(ms, 1767225601123LL);
	static const char *const bad[] = {
		"", "2026-01-01", "2026-01-01T00:00:00", "2026-13-01T00:00:00Z",
		"2026-01-01T24:00:00Z", "2026-01-01T00:00:00+01:00", "2026-01-01T00:00:00.Z",
		"2026-01-01T00:00:00Zjunk", "yesterday at noon please",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (jerry_time_parse(&ms, bad[i]) != JERRY_EINVALID)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(jerry_time_parse(&ms, NULL), JERRY_EINVALID);
}

/* jerry_time_ago: each unit from where it starts, both ways, then the date. */
static void test_time__ago_for_people_relative_then_a_date(void **state)
{
	static const struct {
		int64_t d;             /* now - then, ms */
		const char *want;
	} cases[] = {
		{0, "just now"},
		{999, "just now"},
		{-999, "just now"},
		{1000, "1s ago"},
		{59999, "59s ago"},
		{60000, "1m ago"},
		{3599999, "59m ago"},
		{3600000, "1h ago"},
		{86399999, "23h ago"},
		{86400000, "1d ago"},
		{14LL * 86400000 - 1, "13d ago"},
		{14LL * 86400000, "2w ago"},
		{60LL * 86400000 - 1, "8w ago"},
		{-1000, "in 1s"},
		{-25 * 60000, "in 25m"},
		{-3 * 86400000LL, "in 3d"},
	};
	int64_t now = 1767225601000LL; /* 2026-01-01T00:00:01Z */
	char buf[40];
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		jerry_time_ago(buf, sizeof(buf), now - cases[i].d, now);
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("%lld ms: '%s', not '%s'", (long long)cases[i].d, buf, cases[i].want);
	}
	/* From 60 days, either way, the date of `then` (UTC). */
	jerry_time_ago(buf, sizeof(buf), now - 60LL * 86400000, now);
	assert_string_equal(buf, "2025-11-02");
	jerry_time_ago(buf, sizeof(buf), now + 400LL * 86400000, now);
	assert_string_equal(buf, "2027-02-05");
	/* Times from a damaged file: far apart, no overflow. */
	jerry_time_ago(buf, sizeof(buf), INT64_MIN, INT64_MAX);
	assert_true(strlen(buf) > 0);
	jerry_time_ago(buf, sizeof(buf), INT64_MAX, INT64_MIN);
	assert_true(strlen(buf) > 0);
	/* A short buffer is cut, never overrun. */
	char tiny[4];
	jerry_time_ago(tiny, sizeof(tiny), now - 3600000, now);
	assert_string_equal(tiny, "1h ");
}

static void test_error__setter_returns_code_and_appends_errno(void **state)
{
	jerry_error err;
	(void)state;
	jerry_error_clear(&err);
	assert_int_equal(jr_error_sys(&err, JERRY_ESTORAGE, ENOSPC, "cannot write '%s'", "f"),
			 JERRY_ESTORAGE);
	assert_int_equal(err.sys_errno, ENOSPC);
	assert_non_null(strstr(err.message, "cannot write 'f': "));
	assert_int_equal(jr_error(NULL, JERRY_EINVALID, "nobody listens"), JERRY_EINVALID);
	jr_error_item(&err, 12);
	assert_string_equal(err.item, "WORK-012");
	jerry_error_clear(&err);
	assert_int_equal(err.code, 0);
	assert_string_equal(err.message, "");
}

/* A failure kept in a scratch error reaches the caller whole; NULL takes nothing. */
static void test_error__pass_hands_on_the_kept_failure(void **state)
{
	jerry_error err, kept;
	(void)state;
	jerry_error_clear(&err);
	jerry_error_clear(&kept);
	jr_error(&kept, JERRY_ECORRUPT, "cannot parse '%s'", "items/WORK-001.json");
	kept.line = 3;
	jr_error_pass(&err, &kept);
	assert_int_equal(err.code, JERRY_ECORRUPT);
	assert_string_equal(err.message, "cannot parse 'items/WORK-001.json'");
	assert_int_equal(err.line, 3);
	jr_error_pass(NULL, &kept);
	jr_error_pass(&err, &err);
	assert_int_equal(err.code, JERRY_ECORRUPT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names__every_type_status_priority_round_trips),
		cmocka_unit_test(test_names__spellings_match_the_format),
		cmocka_unit_test(test_names__parse_is_case_insensitive_and_knows_in_dash_progress),
		cmocka_unit_test(test_names__unknown_names_are_invalid_and_leave_out_alone),
		cmocka_unit_test(test_codes__exit_status_and_names_are_fixed),
		cmocka_unit_test(test_codes__the_exit_table_covers_every_code_in_order),
		cmocka_unit_test(test_deps__open_text_lists_what_fits_then_counts_the_rest),
		cmocka_unit_test(test_id__accepts_every_documented_spelling),
		cmocka_unit_test(test_id__refuses_anything_that_could_name_another_path),
		cmocka_unit_test(test_id__format_pads_to_three_digits_and_grows_past),
		cmocka_unit_test(test_id__spell_matches_printf_and_respects_the_size),
		cmocka_unit_test(test_status__can_move_matches_the_documented_table),
		cmocka_unit_test(test_status__transition_applies_exactly_the_allowed_moves),
		cmocka_unit_test(test_status__refusal_lists_the_allowed_moves_as_statuses),
		cmocka_unit_test(test_status__done_cannot_go_back_to_pending),
		cmocka_unit_test(test_status__same_status_is_refused_not_ignored),
		cmocka_unit_test(test_status__cancelled_is_terminal_and_says_so),
		cmocka_unit_test(test_status__reopen_clears_completed_at),
		cmocka_unit_test(test_parent__allowed_matches_the_documented_table),
		cmocka_unit_test(test_parent__every_allowed_parent_ranks_above_its_child),
		cmocka_unit_test(test_parent__check_explains_refusals),
		cmocka_unit_test(test_title__empty_spaces_and_controls_are_invalid),
		cmocka_unit_test(test_title__invalid_utf8_is_refused),
		cmocka_unit_test(test_title__limit_is_256_characters_not_bytes),
		cmocka_unit_test(test_text__allows_newlines_and_tabs_but_not_other_controls),
		cmocka_unit_test(test_names__assignee_and_label_rules),
		cmocka_unit_test(test_labels__stay_sorted_and_unique),
		cmocka_unit_test(test_depends__stay_sorted_and_unique),
		cmocka_unit_test(test_item__reason_is_the_latest_note_of_that_status),
		cmocka_unit_test(test_item__dup_is_deep_and_claims_expire),
		cmocka_unit_test(test_time__format_and_parse_round_trip_with_milliseconds),
		cmocka_unit_test(test_time__format_matches_gmtime_in_utc),
		cmocka_unit_test(test_time__parse_accepts_variants_and_refuses_garbage),
		cmocka_unit_test(test_time__ago_for_people_relative_then_a_date),
		cmocka_unit_test(test_error__setter_returns_code_and_appends_errno),
		cmocka_unit_test(test_error__pass_hands_on_the_kept_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
