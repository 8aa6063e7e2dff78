/*
 * test_merge.c - the three-way merge of one item (src/domain/merge.c):
 * each rule of domain.h, and symmetry (base, A, B merges to what base, B,
 * A does) over many generated pairs of changes.
 */
#include "harness.h"

#define NOW 1800000000000LL

static jerry_item *base_item(void)
{
	jerry_item *it = jr_item_new();
	assert_non_null(it);
	it->num = 42;
	snprintf(it->id, sizeof(it->id), "WORK-042");
	it->uid = 777;
	it->version = 3;
	assert_int_equal(jr_set_str(&it->title, "the title"), 0);
	assert_int_equal(jr_set_str(&it->description, "the description"), 0);
	assert_int_equal(jr_labels_add(it, "a"), 0);
	assert_int_equal(jr_labels_add(it, "b"), 0);
	assert_int_equal(jr_depends_add(it, 7), 0);
	assert_int_equal(jr_notes_append(it, 1000, "ann", "first"), 0);
	it->created_at = 500;
	it->updated_at = 1000;
	assert_int_equal(jr_set_str(&it->created_by, "ann"), 0);
	assert_int_equal(jr_set_str(&it->updated_by, "ann"), 0);
	return it;
}

/* A side: base's next version, written at `at` by `by`. */
static jerry_item *side(const jerry_item *base, int64_t at, const char *by)
{
	jerry_item *it = jr_item_dup(base);
	assert_non_null(it);
	it->version = base->version + 1;
	it->updated_at = at;
	assert_int_equal(jr_set_str(&it->updated_by, by), 0);
	return it;
}

static jerry_item *merge(const jerry_item *b, const jerry_item *o, const jerry_item *t,
			 unsigned *decided)
{
	jerry_item *m = NULL;
	jerry_error err;
	jerry_error_clear(&err);
	assert_int_equal(jr_item_merge(&m, decided, b, o, t, NOW, &err), 0);
	assert_non_null(m);
	return m;
}

/* Merges both ways, checks they agree, and returns one. */
static jerry_item *merge2(const jerry_item *b, const jerry_item *o, const jerry_item *t,
			  unsigned *decided)
{
	unsigned d1 = 0, d2 = 0;
	jerry_item *m1 = merge(b, o, t, &d1), *m2 = merge(b, t, o, &d2);
	assert_true(jr_item_same(m1, m2));
	assert_int_equal(d1, d2);
	jerry_item_free(m2);
	if (decided)
		*decided = d1;
	return m1;
}

static int has_note(const jerry_item *it, const char *text)
{
	int n = 0;
	for (size_t i = 0; i < it->nnotes; i++)
		n += !strcmp(it->notes[i].text, text);
	return n;
}

static int depends_has_num(const jerry_item *it, int64_t num)
{
	for (size_t i = 0; i < it->ndepends; i++)
		if (it->depends_on[i] == num)
			return 1;
	return 0;
}

static void test_merge__different_fields_on_each_side_both_kept(void **state)
{
	(void)state;
	jerry_item *b = base_item(), *o = side(b, 2000, "ann"), *t = side(b, 3000, "bob");
	assert_int_equal(jr_set_str(&o->title, "ours"), 0);
	t->priority = JERRY_PRIORITY_HIGH;
	unsigned d = 99;
	jerry_item *m = merge2(b, o, t, &d);
	assert_string_equal(m->title, "ours");
	assert_int_equal(m->priority, JERRY_PRIORITY_HIGH);
	assert_int_equal(d, 0);
	assert_int_equal(m->version, 5);
	assert_int_equal(m->updated_at, 3000);
	assert_string_equal(m->updated_by, "bob");
	jerry_item_free(m);
	jerry_item_free(b);
	jerry_item_free(o);
	jerry_item_free(t);
}

static void test_merge__title_on_both_sides_later_wins_other_is_a_note(void **state)
{
	(void)state;
	jerry_item *b = base_item(), *o = side(b, 2000, "ann"), *t = side(b, 3000, "bob");
	assert_int_equal(jr_set_str(&o->title, "early"), 0);
	assert_int_equal(jr_set_str(&t->title, "late"), 0);
	assert_int_equal(jr_set_str(&o->description, "early text"), 0);
	assert_int_equal(jr_set_str(&t->description, NULL), 0);
	unsigned d = 0;
	jerry_item *m = merge2(b, o, t, &d);
	assert_string_equal(m->title, "late");
	assert_null(m->description);
	assert_int_equal(d, JR_MERGE_TITLE | JR_MERGE_DESCRIPTION);
	assert_int_equal(has_note(m, "title (the other side of a merge): early"), 1);
	assert_int_equal(has_note(m, "description (the other side of a merge): early text"), 1);
	for (size_t i = 0; i < m->nnotes; i++)
		if (strstr(m->notes[i].text, "other side")) {
			assert_int_equal(m->notes[i].at_ms, 2000);
			assert_string_equal(m->notes[i].by, "ann");
		}
	/* Merging the result again with either side changes nothing more. */
	jerry_item *again = merge2(o, m, o, NULL);
	assert_true(jr_item_same(again, m));
	jerry_item_free(again);
	jerry_item_free(m);
	jerry_item_free(b);
	jerry_item_free(o);
	jerry_item_free(t);
}

static void test_merge__same_stamps_decided_by_value_in_either_order(void **state)
{
	(void)state;
	jerry_item *b = base_item(), *o = side(b, 2000, "ann"), *t = side(b, 2000, "ann");
	assert_int_equal(jr_set_str(&o->title, "x"), 0);
	assert_int_equal(jr_set_str(&t->title, "y"), 0);
	jerry_item *m = merge2(b, o, t, NULL);
	assert_string_equal(m->title, "y");
	assert_int_equal(has_note(m, "title (the other side of a merge): x"), 1);
	jerry_item_free(m);
	jerry_item_free(b);
	jerry_item_free(o);
	jerry_item_free(t);
}

static void test_merge__label_removed_on_one_side_stays_removed(void **state)
{
	(void)state;
	jerry_item *b = base_item(), *o = side(b, 2000, "ann"), *t = side(b, 3000, "bob");
	assert_int_equal(jr_labels_remove(o, "a"), 0);
	assert_int_equal(jr_labels_add(t, "c"), 0);
	assert_int_equal(jr_depends_remove(t, 7), 0);
	assert_int_equal(jr_depends_add(o, 9), 0);
	jerry_item *m = merge2(b, o, t, NULL);
	assert_int_equal(m->nlabels, 2);
	assert_string_equal(m->labels[0], "b");
	assert_string_equal(m->labels[1], "c");
	assert_int_equal(m->ndepends, 1);
	assert_int_equal(m->depends_on[0], 9);
	jerry_item_free(m);
	jerry_item_free(b);
	jerry_item_free(o);
	jerry_item_free(t);
}

static void test_merge__notes_from_both_sides_once_each_in_order(void **state)
{
	(void)state;
	jerry_item *b = base_item(), *o = side(b, 2000, "ann"), *t = side(b, 3000, "bob");
	assert_int_equal(jr_notes_append(o, 2000, "ann", "from ann"), 0);
	assert_int_equal(jr_notes_append(t, 1500, "bob", "from bob"), 0);
	assert_int_equal(jr_notes_append(t, 3000, "bob", "again bob"), 0);
	jerry_item *m = merge2(b, o, t, NULL);
	assert_int_equal(m->nnotes, 4);
	assert_string_equal(m->notes[0].text, "first");
	assert_string_equal(m->notes[1].text, "from bob");
	assert_string_equal(m->notes[2].text, "from ann");
	assert_string_equal(m->notes[3].text, "again bob");
	/* A second merge of the result with a side adds nothing. */
	jerry_item *m2 = merge2(t, m, t, NULL);
	assert_int_equal(m2->nnotes, 4);
	jerry_item_free(m2);
	jerry_item_free(m);
	jerry_item_free(b);
	jerry_item_free(o);
	jerry_item_free(t);
}

static void test_merge__done_against_an_edit_keeps_both(void **state)
{
	(void)state;
	jerry_item *b = base_item(), *o = side(b, 2000, "ann"), *t = side(b, 3000, "bob");
	b->status = JERRY_STATUS_IN_PROGRESS;
	o->status = JERRY_STATUS_DONE;
	o->completed_at = 2000;
	t->status = JERRY_STATUS_IN_PROGRESS;
	assert_int_equal(jr_set_str(&t->title, "edited"), 0);
	jerry_item *m = merge2(b, o, t, NULL);
	assert_int_equal(m->status, JERRY_STATUS_DONE);
	assert_int_equal(m->completed_at, 2000);
	assert_string_equal(m->title, "edited");
	jerry_item_free(m);
	jerry_item_free(b);
	jerry_item_free(o);
	jerry_item_free(t);
}

static void test_merge__status_further_along_wins_and_completed_at_follows(void **state)
{
	(void)state;
	jerry_item *b = base_item(), *o = side(b, 2000, "ann"), *t = side(b, 3000, "bob");
	o->status = JERRY_STATUS_CANCELLED;
	t->status = JERRY_STATUS_DONE;
	t->completed_at = 3000;
	unsigned d = 0;
	jerry_item *m = merge2(b, o, t, &d);
	assert_int_equal(m->status, JERRY_STATUS_CANCELLED);
	assert_int_equal(m->completed_at, 0);
	assert_int_equal(d, JR_MERGE_STATUS);
	jerry_item_free(m);
	o->status = JERRY_STATUS_BLOCKED;
	m = merge2(b, o, t, NULL);
	assert_int_equal(m->status, JERRY_STATUS_DONE);
	assert_int_equal(m->completed_at, 3000);
	jerry_item_free(m);
	jerry_item_free(b);
	jerry_item_free(o);
	jerry_item_free(t);
}

static void set_claim(jerry_item *it, const char *by, int64_t expires)
{
	it->status = JERRY_STATUS_IN_PROGRESS;
	assert_int_equal(jr_set_str(&it->claim.by, by), 0);
	assert_int_equal(jr_set_str(&it->claim.token, by), 0);
	assert_int_equal(jr_set_str(&it->assignee, by), 0);
	it->claim.expires_ms = expires;
}

static void test_merge__of_two_live_claims_the_earlier_wins(void **state)
{
	(void)state;
	jerry_item *b = base_item(), *o = side(b, 2000, "ann"), *t = side(b, 3000, "bob");
	set_claim(o, "ann", NOW + 5000);
	set_claim(t, "bob", NOW + 9000);
	unsigned d = 0;
	jerry_item *m = merge2(b, o, t, &d);
	assert_string_equal(m->claim.by, "ann");
	assert_string_equal(m->assignee, "ann");
	assert_true(d & JR_MERGE_CLAIM);
	jerry_item_free(m);
	/* A live claim over a lapsed one, however late the lapsed side wrote. */
	o->claim.expires_ms = NOW - 1;
	m = merge2(b, o, t, NULL);
	assert_string_equal(m->claim.by, "bob");
	assert_string_equal(m->assignee, "bob");
	jerry_item_free(m);
	/* A result that is done carries no claim. */
	t->status = JERRY_STATUS_DONE;
	t->completed_at = 3000;
	m = merge2(b, o, t, NULL);
	assert_null(m->claim.by);
	jerry_item_free(m);
	jerry_item_free(b);
	jerry_item_free(o);
	jerry_item_free(t);
}

static void test_merge__one_side_unchanged_is_the_other_as_it_is(void **state)
{
	(void)state;
	jerry_item *b = base_item(), *o = jr_item_dup(b), *t = side(b, 3000, "bob");
	assert_int_equal(jr_labels_remove(t, "a"), 0);
	jerry_item *m = merge2(b, o, t, NULL);
	assert_true(jr_item_same(m, t));
	jerry_item_free(m);
	jerry_item_free(b);
	jerry_item_free(o);
	jerry_item_free(t);
}

static void test_merge__two_uids_are_two_items(void **state)
{
	(void)state;
	jerry_item *b = base_item(), *o = side(b, 2000, "ann"), *t = side(b, 3000, "bob");
	t->uid = 778;
	jerry_item *m = NULL;
	jerry_error err;
	jerry_error_clear(&err);
	assert_int_equal(jr_item_merge(&m, NULL, b, o, t, NOW, &err), JERRY_ECONFLICT);
	assert_null(m);
	assert_non_null(strstr(err.message, "two items"));
	jerry_item_free(b);
	jerry_item_free(o);
	jerry_item_free(t);
}

/* Each side under the labels limit, their union past it: a conflict naming the limit. */
static void test_merge__union_past_a_limit_is_a_conflict_naming_it(void **state)
{
	(void)state;
	jerry_item *b = base_item(), *o = side(b, 2000, "ann"), *t = side(b, 3000, "bob");
	char label[16];
	for (int i = 0; i < JR_LABELS_MAX / 2 + 1; i++) {
		snprintf(label, sizeof(label), "o%d", i);
		assert_int_equal(jr_labels_add(o, label), 0);
		snprintf(label, sizeof(label), "t%d", i);
		assert_int_equal(jr_labels_add(t, label), 0);
	}
	jerry_item *m = NULL;
	jerry_error err;
	jerry_error_clear(&err);
	assert_int_equal(jr_item_merge(&m, NULL, b, o, t, NOW, &err), JERRY_ECONFLICT);
	assert_null(m);
	assert_non_null(strstr(err.message, "more than 4096 labels"));
	assert_non_null(strstr(err.hint, "--remove-label"));
	jerry_item_free(b);
	jerry_item_free(o);
	jerry_item_free(t);
}

static void test_merge__both_added_without_base_is_a_union(void **state)
{
	(void)state;
	jerry_item *b = base_item(), *o = side(b, 2000, "ann"), *t = side(b, 3000, "bob");
	assert_int_equal(jr_labels_add(o, "x"), 0);
	assert_int_equal(jr_labels_remove(t, "a"), 0);
	jerry_item *m = merge2(NULL, o, t, NULL);
	/* No base: nothing was removed, everything either side has is in. */
	assert_true(jr_labels_has(m, "a"));
	assert_true(jr_labels_has(m, "x"));
	jerry_item_free(m);
	jerry_item_free(b);
	jerry_item_free(o);
	jerry_item_free(t);
}

/* ---- generated pairs ------------------------------------------------------ */

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

static const char *words_by(unsigned *s)
{
	static const char *const by[] = { "ann", "bob", "cy" };
	return by[rnd(s) % 3];
}

static void mutate(jerry_item *it, unsigned *s)
{
	static const char *const words[] = { "a", "b", "c", "d" };
	unsigned n = rnd(s) % 6;
	for (unsigned k = 0; k < n; k++) {
		const char *w = words[rnd(s) % 4];
		switch (rnd(s) % 11) {
		case 0: assert_int_equal(jr_set_str(&it->title, w), 0); break;
		case 1: assert_int_equal(jr_set_str(&it->description, rnd(s) % 2 ? w : NULL), 0); break;
		case 2: it->priority = (jerry_priority)(rnd(s) % JERRY_PRIORITY__COUNT); break;
		case 3: it->status = (jerry_status)(rnd(s) % JERRY_STATUS__COUNT);
			it->completed_at = it->status == JERRY_STATUS_DONE ? it->updated_at : 0;
			break;
		case 4: assert_int_equal(jr_labels_add(it, w), 0); break;
		case 5: assert_int_equal(jr_labels_remove(it, w), 0); break;
		case 6: assert_int_equal(jr_depends_add(it, rnd(s) % 5 + 1), 0); break;
		case 7: assert_int_equal(jr_depends_remove(it, rnd(s) % 5 + 1), 0); break;
		case 8: assert_int_equal(jr_notes_append(it, rnd(s) % 3000, w, w), 0); break;
		case 9: set_claim(it, w, NOW + (int64_t)(rnd(s) % 3) * 1000 - 1000); break;
		default: it->parent = rnd(s) % 3; break;
		}
	}
}

static void test_merge__symmetric_over_generated_changes(void **state)
{
	(void)state;
	unsigned s = 20261205;
	int decided_some = 0;
	for (int round = 0; round < 3000; round++) {
		jerry_item *b = base_item();
		mutate(b, &s);
		jerry_item *o = side(b, 1000 + rnd(&s) % 3, words_by(&s));
		jerry_item *t = side(b, 1000 + rnd(&s) % 3, words_by(&s));
		mutate(o, &s);
		mutate(t, &s);
		unsigned d = 0;
		jerry_item *m = merge2(rnd(&s) % 8 ? b : NULL, o, t, &d);
		decided_some |= d != 0;
		/* Every result keeps the invariants the merge promises. */
		assert_int_equal(m->completed_at != 0, m->status == JERRY_STATUS_DONE);
		if (m->status != JERRY_STATUS_IN_PROGRESS && m->status != JERRY_STATUS_BLOCKED)
			assert_null(m->claim.by);
		assert_true(m->version >= o->version && m->version >= t->version);
		for (size_t i = 1; i < m->nlabels; i++)
			assert_true(strcmp(m->labels[i - 1], m->labels[i]) < 0);
		jerry_item_free(m);
		jerry_item_free(b);
		jerry_item_free(o);
		jerry_item_free(t);
	}
	assert_true(decided_some);
}

/*
 * A sync renumbered this copy's WORK-050 to WORK-057: what this copy wrote
 * since the last sync follows it; what the last sync already had (the
 * remote's WORK-050, published) stays.
 */
static void test_merge__renumbering_moves_what_this_copy_wrote(void **state)
{
	(void)state;
	jerry_item *base = base_item();
	jerry_item *it = side(base, 2000, "bob");
	int changed = -1;
	it->parent = 50;
	assert_int_equal(jr_depends_add(it, 50), 0);
	assert_int_equal(jr_notes_append(it, 2000, "bob", "see WORK-050, not WORK-0501; WORK-050."), 0);
	assert_int_equal(jr_item_follow_renumber(&changed, it, base, 50, 57), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(it->parent, 57);
	assert_int_equal(it->ndepends, 2);
	assert_int_equal(it->depends_on[0], 7);
	assert_int_equal(it->depends_on[1], 57);
	assert_int_equal(has_note(it, "see WORK-050 (now WORK-057), not WORK-0501; WORK-050 (now WORK-057)."), 1);
	assert_int_equal(has_note(it, "first"), 1);
	/* Again: nothing left to follow. */
	assert_int_equal(jr_item_follow_renumber(&changed, it, base, 50, 57), 0);
	assert_int_equal(changed, 0);
	jerry_item_free(it);
	jerry_item_free(base);
}

static void test_merge__renumbering_leaves_what_the_last_sync_had(void **state)
{
	(void)state;
	jerry_item *base = base_item();
	int changed = -1;
	base->parent = 50;
	assert_int_equal(jr_depends_add(base, 50), 0);
	assert_int_equal(jr_notes_append(base, 1500, "ann", "blocked by WORK-050"), 0);
	jerry_item *it = side(base, 2000, "bob");
	assert_int_equal(jr_set_str(&it->title, "changed here"), 0);
	assert_int_equal(jr_item_follow_renumber(&changed, it, base, 50, 57), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(it->parent, 50);
	assert_true(depends_has_num(it, 50));
	assert_false(depends_has_num(it, 57));
	assert_int_equal(has_note(it, "blocked by WORK-050"), 1);
	jerry_item_free(it);
	jerry_item_free(base);
}

static void test_merge__former_numbers_are_a_union(void **state)
{
	(void)state;
	jerry_item *base = base_item();
	jerry_item *o = side(base, 2000, "ann"), *t = side(base, 3000, "bob");
	assert_int_equal(jr_renumbered_add(o, 12), 0);
	assert_int_equal(jr_set_str(&t->title, "changed there"), 0);
	jerry_item *m = merge2(base, o, t, NULL);
	assert_int_equal(m->nrenumbered_from, 1);
	assert_int_equal(m->renumbered_from[0], 12);
	assert_false(jr_item_same(o, t));
	jerry_item_free(m);
	jerry_item_free(o);
	jerry_item_free(t);
	jerry_item_free(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge__different_fields_on_each_side_both_kept),
		cmocka_unit_test(test_merge__title_on_both_sides_later_wins_other_is_a_note),
		cmocka_unit_test(test_merge__same_stamps_decided_by_value_in_either_order),
		cmocka_unit_test(test_merge__label_removed_on_one_side_stays_removed),
		cmocka_unit_test(test_merge__notes_from_both_sides_once_each_in_order),
		cmocka_unit_test(test_merge__done_against_an_edit_keeps_both),
		cmocka_unit_test(test_merge__status_further_along_wins_and_completed_at_follows),
		cmocka_unit_test(test_merge__of_two_live_claims_the_earlier_wins),
		cmocka_unit_test(test_merge__one_side_unchanged_is_the_other_as_it_is),
		cmocka_unit_test(test_merge__two_uids_are_two_items),
		cmocka_unit_test(test_merge__union_past_a_limit_is_a_conflict_naming_it),
		cmocka_unit_test(test_merge__both_added_without_base_is_a_union),
		cmocka_unit_test(test_merge__symmetric_over_generated_changes),
		cmocka_unit_test(test_merge__renumbering_moves_what_this_copy_wrote),
		cmocka_unit_test(test_merge__renumbering_leaves_what_the_last_sync_had),
		cmocka_unit_test(test_merge__former_numbers_are_a_union),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
