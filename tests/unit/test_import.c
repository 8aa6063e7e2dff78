/*
 * test_import.c - the import use case (src/app/import.c) over the
 * in-memory port, with records made by hand as a reader makes them, and
 * the mapping tables of src/domain/import_map.c.
 */
#include "harness.h"
#include "domain/import_map.h"

/* A record: source ID ref, title, type, with a parent and dependencies by ref. */
static jr_import_rec *rec(jr_import_set *set, const char *ref, const char *title, jerry_type type,
			  const char *parent, const char *dep)
{
	jr_import_rec *r = jr_import_add(set);
	assert_non_null(r);
	r->line = (int)set->n;
	r->item->type = type;
	assert_int_equal(jr_set_str(&r->item->external_ref, ref), 0);
	if (title)
		assert_int_equal(jr_set_str(&r->item->title, title), 0);
	if (parent)
		assert_non_null(r->parent_ref = strdup(parent));
	if (dep) {
		assert_non_null(r->dep_refs = calloc(1, sizeof(char *)));
		assert_non_null(r->dep_refs[0] = strdup(dep));
		r->ndeps = 1;
	}
	return r;
}

static void three(jr_import_set *set)
{
	memset(set, 0, sizeof(*set));
	snprintf(set->format, sizeof(set->format), "beads");
	rec(set, "bd-2", "child", JERRY_TYPE_TASK, "bd-1", "bd-3");
	rec(set, "bd-1", "parent", JERRY_TYPE_EPIC, NULL, NULL);
	rec(set, "bd-3", "first", JERRY_TYPE_BUG, NULL, NULL);
}

static void test_import__creates_then_links_on_the_new_numbers_and_again_changes_nothing(void **state)
{
	h_mem *m = *state;
	jr_import_set set;
	jerry_import_result *res = NULL;
	jerry_error err;
	three(&set);
	assert_int_equal(jr_app_import(&res, &m->port, &set, 0, &err), 0);
	assert_int_equal(res->created, 3);
	assert_string_equal(res->rows[0].id, "WORK-001");
	/* bd-2 came first: its parent and dependency were written once they had numbers */
	assert_int_equal(m->items[1]->parent, 2);
	assert_int_equal(m->items[1]->ndepends, 1);
	assert_int_equal(m->items[1]->depends_on[0], 3);
	assert_string_equal(m->items[1]->external_ref, "bd-2");
	assert_null(res->rows[0].lost);
	jerry_import_result_free(res);
	jr_import_set_release(&set);
	/* the same again: found by external_ref, nothing written */
	int writes = m->mutates + m->creates;
	three(&set);
	assert_int_equal(jr_app_import(&res, &m->port, &set, 0, &err), 0);
	assert_int_equal(res->created, 0);
	assert_int_equal(res->unchanged, 3);
	assert_int_equal(m->mutates + m->creates, writes);
	jerry_import_result_free(res);
	jr_import_set_release(&set);
	/* a changed title updates the item it made */
	three(&set);
	assert_int_equal(jr_set_str(&set.recs[2].item->title, "first, renamed"), 0);
	assert_int_equal(jr_app_import(&res, &m->port, &set, 0, &err), 0);
	assert_int_equal(res->updated, 1);
	assert_string_equal(m->items[3]->title, "first, renamed");
	assert_int_equal(m->last_num, 3);
	jerry_import_result_free(res);
	jr_import_set_release(&set);
}

static void test_import__bad_links_are_reported_and_left_out(void **state)
{
	h_mem *m = *state;
	jr_import_set set;
	jerry_import_result *res = NULL;
	jerry_error err;
	memset(&set, 0, sizeof(set));
	snprintf(set.format, sizeof(set.format), "beads");
	rec(&set, "a", "a", JERRY_TYPE_TASK, NULL, "b");
	rec(&set, "b", "b", JERRY_TYPE_TASK, NULL, "a");         /* closes a cycle */
	rec(&set, "c", "c", JERRY_TYPE_EPIC, "a", "nowhere");    /* epic under a task; unknown */
	assert_int_equal(jr_app_import(&res, &m->port, &set, 0, &err), 0);
	assert_int_equal(res->created, 3);
	assert_null(res->rows[0].lost);
	assert_non_null(strstr(res->rows[1].lost, "would close a cycle"));
	assert_non_null(strstr(res->rows[2].lost, "a epic cannot be under a task"));
	assert_non_null(strstr(res->rows[2].lost, "'nowhere': no such item"));
	assert_int_equal(m->items[1]->ndepends, 1);
	assert_int_equal(m->items[2]->ndepends, 0);
	assert_int_equal(m->items[3]->parent, 0);
	jerry_import_result_free(res);
	jr_import_set_release(&set);
}

static void test_import__refusals_come_before_any_write_and_dry_run_writes_nothing(void **state)
{
	h_mem *m = *state;
	jr_import_set set;
	jerry_import_result *res = NULL;
	jerry_error err;
	three(&set);
	rec(&set, "bd-1", "twice", JERRY_TYPE_TASK, NULL, NULL);
	jerry_error_clear(&err);
	assert_int_equal(jr_app_import(&res, &m->port, &set, 0, &err), JERRY_EINVALID);
	assert_null(res);
	assert_non_null(strstr(err.message, "line 4: the ID 'bd-1' is there twice (line 2 too)"));
	assert_int_equal(m->creates, 0);
	jr_import_set_release(&set);
	three(&set);
	rec(&set, "bd-9", NULL, JERRY_TYPE_TASK, NULL, NULL);
	assert_int_equal(jr_app_import(&res, &m->port, &set, 0, &err), JERRY_EINVALID);
	assert_non_null(strstr(err.message, "line 4: 'bd-9' has no title"));
	assert_int_equal(m->creates, 0);
	jr_import_set_release(&set);
	three(&set);
	assert_int_equal(jr_app_import(&res, &m->port, &set, 1, &err), 0);
	assert_int_equal(res->created, 3);
	assert_string_equal(res->rows[0].id, "");
	assert_int_equal(m->creates + m->mutates, 0);
	jerry_import_result_free(res);
	jr_import_set_release(&set);
}

/* The three records imported for real: the store a second import meets. */
static void import_three(h_mem *m)
{
	jr_import_set set;
	jerry_import_result *res = NULL;
	jerry_error err;
	three(&set);
	assert_int_equal(jr_app_import(&res, &m->port, &set, 0, &err), 0);
	jerry_import_result_free(res);
	jr_import_set_release(&set);
}

static void test_import__dry_run_tells_unchanged_from_update(void **state)
{
	h_mem *m = *state;
	jr_import_set set;
	jerry_import_result *res = NULL;
	jerry_error err;
	import_three(m);
	int writes = m->mutates + m->creates;
	/* the same file: every item would stay as it is */
	three(&set);
	assert_int_equal(jr_app_import(&res, &m->port, &set, 1, &err), 0);
	assert_int_equal(res->created + res->updated, 0);
	assert_int_equal(res->unchanged, 3);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(res->rows[i].action, "unchanged");
	jerry_import_result_free(res);
	jr_import_set_release(&set);
	/* one title changed, one new item that bd-1 now depends on (a link only) */
	three(&set);
	assert_int_equal(jr_set_str(&set.recs[2].item->title, "first, renamed"), 0);
	rec(&set, "bd-4", "new", JERRY_TYPE_TASK, NULL, NULL);
	assert_non_null(set.recs[1].dep_refs = calloc(1, sizeof(char *)));
	assert_non_null(set.recs[1].dep_refs[0] = strdup("bd-4"));
	set.recs[1].ndeps = 1;
	assert_int_equal(jr_app_import(&res, &m->port, &set, 1, &err), 0);
	assert_string_equal(res->rows[0].action, "unchanged");
	assert_string_equal(res->rows[1].action, "update");
	assert_string_equal(res->rows[2].action, "update");
	assert_string_equal(res->rows[3].action, "create");
	assert_int_equal(res->created, 1);
	assert_int_equal(res->updated, 2);
	assert_int_equal(res->unchanged, 1);
	assert_int_equal(m->mutates + m->creates, writes);
	jerry_import_result_free(res);
	jr_import_set_release(&set);
}

/* The same three records, each with the status given. */
static void three_as(jr_import_set *set, jerry_status s2, jerry_status s1, jerry_status s3)
{
	three(set);
	set->recs[0].item->status = s2;
	set->recs[1].item->status = s1;
	set->recs[2].item->status = s3;
}

static void test_import__a_status_moves_by_the_state_machine_and_never_behind_a_claim(void **state)
{
	h_mem *m = *state;
	jr_import_set set;
	jerry_import_result *res = NULL;
	jerry_error err;
	import_three(m);
	/* WORK-003 (bd-3) is held by another */
	jerry_item *held = m->items[3];
	held->status = JERRY_STATUS_IN_PROGRESS;
	assert_non_null(held->claim.by = strdup("bob"));
	held->claim.expires_ms = m->now + 3600 * 1000;
	assert_int_equal(jr_set_str(&held->assignee, "bob"), 0);
	three_as(&set, JERRY_STATUS_DONE, JERRY_STATUS_CANCELLED, JERRY_STATUS_DONE);
	assert_int_equal(jr_app_import(&res, &m->port, &set, 0, &err), 0);
	/* pending -> done through in_progress; pending -> cancelled */
	assert_int_equal(m->items[1]->status, JERRY_STATUS_DONE);
	assert_true(m->items[1]->completed_at > 0);
	assert_null(res->rows[0].lost);
	assert_int_equal(m->items[2]->status, JERRY_STATUS_CANCELLED);
	/* the claim's holder keeps its item: status, claim and assignee */
	assert_int_equal(held->status, JERRY_STATUS_IN_PROGRESS);
	assert_string_equal(held->claim.by, "bob");
	assert_string_equal(held->assignee, "bob");
	assert_non_null(strstr(res->rows[2].lost, "the status done: WORK-003 is claimed by bob"));
	jerry_import_result_free(res);
	jr_import_set_release(&set);
	/* done -> pending and cancelled -> pending: refused, named, not made */
	three_as(&set, JERRY_STATUS_PENDING, JERRY_STATUS_PENDING, JERRY_STATUS_DONE);
	assert_int_equal(jr_app_import(&res, &m->port, &set, 1, &err), 0);
	assert_non_null(strstr(res->rows[0].lost, "cannot move from done to pending, so it stays done"));
	assert_non_null(strstr(res->rows[1].lost, "cannot move from cancelled to pending"));
	assert_string_equal(res->rows[0].action, "unchanged");
	jerry_import_result_free(res);
	jr_import_set_release(&set);
	three_as(&set, JERRY_STATUS_PENDING, JERRY_STATUS_PENDING, JERRY_STATUS_DONE);
	assert_int_equal(jr_app_import(&res, &m->port, &set, 0, &err), 0);
	assert_int_equal(m->items[1]->status, JERRY_STATUS_DONE);
	assert_int_equal(m->items[2]->status, JERRY_STATUS_CANCELLED);
	/* the claim gone stale: the move is made and done clears it */
	m->now += 7200 * 1000;
	jerry_import_result_free(res);
	jr_import_set_release(&set);
	three_as(&set, JERRY_STATUS_DONE, JERRY_STATUS_CANCELLED, JERRY_STATUS_DONE);
	assert_int_equal(jr_app_import(&res, &m->port, &set, 0, &err), 0);
	assert_int_equal(m->items[3]->status, JERRY_STATUS_DONE);
	assert_null(m->items[3]->claim.by);
	jerry_import_result_free(res);
	jr_import_set_release(&set);
}

static void test_import_map__sources_in_jerrys_terms(void **state)
{
	jerry_status s;
	jerry_type t;
	jerry_priority p;
	const char *label;
	int64_t ms;
	int changed;
	(void)state;
	assert_int_equal(jr_import_map_status(&s, &label, "beads", "deferred"), 1);
	assert_int_equal(s, JERRY_STATUS_PENDING);
	assert_string_equal(label, "deferred");
	assert_int_equal(jr_import_map_status(&s, &label, "github", "NOT_PLANNED"), 0);
	assert_int_equal(s, JERRY_STATUS_CANCELLED);
	assert_int_equal(jr_import_map_status(&s, &label, "taskwarrior", "deleted"), 0);
	assert_int_equal(s, JERRY_STATUS_CANCELLED);
	assert_int_equal(jr_import_map_status(&s, &label, "beads", "weird"), -1);
	assert_int_equal(jr_import_map_type(&t, &label, "beads", "chore"), 1);
	assert_int_equal(t, JERRY_TYPE_TASK);
	assert_int_equal(jr_import_map_priority(&p, "beads", "0"), 0);
	assert_int_equal(p, JERRY_PRIORITY_CRITICAL);
	assert_int_equal(jr_import_map_priority(&p, "taskwarrior", "L"), 0);
	assert_int_equal(p, JERRY_PRIORITY_LOW);
	/* times: offsets, Taskwarrior's, Backlog.md's */
	assert_int_equal(jr_import_time(&ms, "2026-01-02T10:00:00.5-07:00"), 0);
	assert_int_equal(ms, 1767373200500LL);
	assert_int_equal(jr_import_time(&ms, "20260102T170000Z"), 0);
	assert_int_equal(ms, 1767373200000LL);
	assert_int_equal(jr_import_time(&ms, "2026-01-02 17:00"), 0);
	assert_int_equal(ms, 1767373200000LL);
	assert_int_equal(jr_import_time(&ms, "yesterday"), JERRY_EINVALID);
	char *l = jr_import_label("good first issue", &changed);
	assert_string_equal(l, "good-first-issue");
	assert_int_equal(changed, 1);
	free(l);
	assert_null(jr_import_label("", &changed));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, h_mem_setup, h_mem_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_import__creates_then_links_on_the_new_numbers_and_again_changes_nothing),
		T(test_import__bad_links_are_reported_and_left_out),
		T(test_import__refusals_come_before_any_write_and_dry_run_writes_nothing),
		T(test_import__dry_run_tells_unchanged_from_update),
		T(test_import__a_status_moves_by_the_state_machine_and_never_behind_a_claim),
		cmocka_unit_test(test_import_map__sources_in_jerrys_terms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
