/*
 * test_schema.c - the one description of the item's fields (src/store/
 * schema.h) and the three codecs made from it: every key any codec writes
 * is a row of the table, in the table's order, and every row goes through
 * every codec and back into its member.
 */
#include "harness.h"
#include "store/codec.h"
#include "store/schema.h"

#include <jansson.h>

/* Every field of the table set to something other than its zero. */
static jerry_item *populated(void)
{
	jerry_item *it = jr_item_new();
	assert_non_null(it);
	it->num = 12;
	jerry_id_format(it->id, sizeof(it->id), it->num);
	it->uid = 119972646512152577ULL;
	it->version = 3;
	jr_set_str(&it->title, "Every field set"); /* plain: a summary line with an escape is jansson's */
	jr_set_str(&it->description, "with a description\nof two lines");
	it->type = JERRY_TYPE_BUG;
	it->status = JERRY_STATUS_DONE;
	it->priority = JERRY_PRIORITY_LOW;
	jr_labels_add(it, "alpha");
	jr_labels_add(it, "beta");
	jr_set_str(&it->assignee, "bob");
	it->parent = 4;
	jr_depends_add(it, 2);
	jr_depends_add(it, 9);
	jr_set_str(&it->claim.by, "agent-1");
	jr_set_str(&it->claim.session, "sess-1");
	jr_set_str(&it->claim.token, "tok-0123");
	it->claim.expires_ms = 1785000600000LL;
	jr_notes_append(it, 1785000001000LL, "alice", "a note");
	jr_notes_append(it, 1785000002000LL, "bob", "another");
	it->created_at = 1785000000000LL;
	jr_set_str(&it->created_by, "alice");
	it->updated_at = 1785000003000LL;
	jr_set_str(&it->updated_by, "bob");
	it->completed_at = 1785000003000LL;
	jr_set_str(&it->external_ref, "gh-42");
	jr_renumbered_add(it, 4);
	jr_renumbered_add(it, 3);
	return it;
}

static const void *member(const void *base, const struct jr_field *f)
{
	return (const char *)base + f->offset;
}

/* Whether a row's member holds something: the test's item must set every one. */
static int is_set(const void *base, const struct jr_field *f, const jerry_item *it)
{
	const void *m = member(base, f);
	switch (f->kind) {
	case JR_K_id: case JR_K_version: case JR_K_ref: case JR_K_time:
		return *(const int64_t *)m != 0;
	case JR_K_uid:
		return *(const uint64_t *)m != 0;
	case JR_K_text:
		return *(char *const *)m != NULL;
	case JR_K_type:
		return *(const jerry_type *)m != JERRY_TYPE_EPIC;
	case JR_K_status:
		return *(const jerry_status *)m != JERRY_STATUS_PENDING;
	case JR_K_priority:
		return *(const jerry_priority *)m != JERRY_PRIORITY_CRITICAL;
	case JR_K_labels:
		return it->nlabels > 0;
	case JR_K_refs:
		return it->ndepends > 0;
	case JR_K_former:
		return it->nrenumbered_from > 0;
	case JR_K_claim:
		return ((const jerry_claim *)m)->by != NULL;
	case JR_K_notes:
		return it->nnotes > 0;
	}
	fail_msg("kind %d of '%s' has no test here: add it", (int)f->kind, f->key);
	return 0;
}

static void assert_text_equal(const char *a, const char *b, const char *key)
{
	if (!a || !b) {
		if (a != b)
			fail_msg("'%s': %s and %s", key, a ? a : "NULL", b ? b : "NULL");
		return;
	}
	if (strcmp(a, b) != 0)
		fail_msg("'%s': \"%s\" read back as \"%s\"", key, a, b);
}

static void assert_fields_equal(const struct jr_field *fields, size_t n, const void *a,
				const void *b, const jerry_item *ia, const jerry_item *ib,
				int summary);

/* A row's member in a and b holds the same value, by its kind. */
static void assert_field_equal(const struct jr_field *f, const void *a, const void *b,
			       const jerry_item *ia, const jerry_item *ib, int summary)
{
	const void *ma = member(a, f), *mb = member(b, f);
	if (summary && (f->flags & JR_F_DETAIL))
		return;
	switch (f->kind) {
	case JR_K_id: case JR_K_version: case JR_K_ref: case JR_K_time:
		if (*(const int64_t *)ma != *(const int64_t *)mb)
			fail_msg("'%s': %lld read back as %lld", f->key,
				 (long long)*(const int64_t *)ma, (long long)*(const int64_t *)mb);
		return;
	case JR_K_uid:
		assert_true(*(const uint64_t *)ma == *(const uint64_t *)mb);
		return;
	case JR_K_text:
		assert_text_equal(*(char *const *)ma, *(char *const *)mb, f->key);
		return;
	case JR_K_type: case JR_K_status: case JR_K_priority:
		assert_int_equal(*(const int *)ma, *(const int *)mb);
		return;
	case JR_K_labels:
		assert_int_equal(ia->nlabels, ib->nlabels);
		for (size_t i = 0; i < ia->nlabels; i++)
			assert_string_equal(ia->labels[i], ib->labels[i]);
		return;
	case JR_K_refs:
		assert_int_equal(ia->ndepends, ib->ndepends);
		for (size_t i = 0; i < ia->ndepends; i++)
			assert_int_equal(ia->depends_on[i], ib->depends_on[i]);
		return;
	case JR_K_former:
		assert_int_equal(ia->nrenumbered_from, ib->nrenumbered_from);
		for (size_t i = 0; i < ia->nrenumbered_from; i++)
			assert_int_equal(ia->renumbered_from[i], ib->renumbered_from[i]);
		return;
	case JR_K_claim:
		assert_fields_equal(jr_claim_fields, jr_claim_nfields, ma, mb, ia, ib, summary);
		return;
	case JR_K_notes:
		assert_int_equal(ia->nnotes, ib->nnotes);
		for (size_t i = 0; i < ia->nnotes; i++)
			assert_fields_equal(jr_note_fields, jr_note_nfields, &ia->notes[i],
					    &ib->notes[i], ia, ib, summary);
		return;
	}
	fail_msg("kind %d of '%s' has no test here: add it", (int)f->kind, f->key);
}

static void assert_fields_equal(const struct jr_field *fields, size_t n, const void *a,
				const void *b, const jerry_item *ia, const jerry_item *ib,
				int summary)
{
	for (size_t i = 0; i < n; i++)
		assert_field_equal(&fields[i], a, b, ia, ib, summary);
}

static void test_schema__the_test_item_sets_every_field(void **state)
{
	(void)state;
	jerry_item *it = populated();
	for (size_t i = 0; i < jr_item_nfields; i++)
		if (!is_set(it, &jr_item_fields[i], it))
			fail_msg("populated() leaves '%s' unset: set it", jr_item_fields[i].key);
	for (size_t i = 0; i < jr_claim_nfields; i++)
		if (!is_set(&it->claim, &jr_claim_fields[i], it))
			fail_msg("populated() leaves claim '%s' unset", jr_claim_fields[i].key);
	for (size_t i = 0; i < jr_note_nfields; i++)
		if (!is_set(&it->notes[0], &jr_note_fields[i], it))
			fail_msg("populated() leaves note '%s' unset", jr_note_fields[i].key);
	jerry_item_free(it);
}

/* The keys of obj are exactly the rows shown in this mode, in order. */
static void assert_keys_are_rows(json_t *obj, const struct jr_field *fields, size_t n,
				 int mode, const char *what)
{
	const char *key;
	json_t *v;
	size_t i = 0;
	assert_true(json_is_object(obj));
	json_object_foreach(obj, key, v) {
		while (i < n && ((mode == JR_ENCODE_SUMMARY && (fields[i].flags & JR_F_DETAIL)) ||
				 (mode == JR_ENCODE_NO_NOTES && (fields[i].flags & JR_F_FULL))))
			i++;
		if (i == n)
			fail_msg("%s: key '%s' is written but is no row of schema.h, or out of order",
				 what, key);
		if (strcmp(key, fields[i].key) != 0)
			fail_msg("%s: key '%s' where schema.h has '%s'", what, key, fields[i].key);
		if (strcmp(fields[i].key, "claim") == 0 && !json_is_null(v))
			assert_keys_are_rows(v, jr_claim_fields, jr_claim_nfields, mode, "claim");
		if (strcmp(fields[i].key, "notes") == 0) {
			size_t k;
			json_t *note;
			json_array_foreach(v, k, note)
				assert_keys_are_rows(note, jr_note_fields, jr_note_nfields, mode, "note");
		}
		i++;
	}
	for (; i < n; i++)
		if (!(mode == JR_ENCODE_SUMMARY && (fields[i].flags & JR_F_DETAIL)) &&
		    !(mode == JR_ENCODE_NO_NOTES && (fields[i].flags & JR_F_FULL)))
			fail_msg("%s: row '%s' of schema.h is never written", what, fields[i].key);
}

static json_t *parsed(char *text, size_t len)
{
	assert_non_null(text);
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_PRESERVE_ORDER, NULL);
	free(text);
	assert_non_null(o);
	return o;
}

static void test_schema__every_key_written_is_a_row_in_order(void **state)
{
	(void)state;
	jerry_item *it = populated();
	static const int modes[] = {JR_ENCODE_FULL, JR_ENCODE_NO_NOTES, JR_ENCODE_SUMMARY};
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		json_t *o = jr_codec_encode(it, modes[m]);
		assert_non_null(o);
		assert_keys_are_rows(o, jr_item_fields, jr_item_nfields, modes[m], "jansson");
		json_decref(o);
	}
	/* the fast writers: the item file and the summary line */
	size_t len;
	char *text = jr_itemfile_encode(it, &len);
	json_t *o = parsed(text, len);
	assert_keys_are_rows(o, jr_item_fields, jr_item_nfields, JR_ENCODE_FULL, "item file");
	json_decref(o);
	text = jr_summary_encode(it, 0, &len);
	o = parsed(text, len);
	assert_keys_are_rows(o, jr_item_fields, jr_item_nfields, JR_ENCODE_SUMMARY, "summary line");
	json_decref(o);
	jerry_item_free(it);
}

static void test_schema__keys_are_unique_and_found_by_name(void **state)
{
	(void)state;
	for (size_t i = 0; i < jr_item_nfields; i++) {
		assert_ptr_equal(jr_schema_item_field(jr_item_fields[i].key), &jr_item_fields[i]);
		for (size_t j = 0; j < i; j++) {
			assert_string_not_equal(jr_item_fields[i].key, jr_item_fields[j].key);
			assert_true(jr_item_fields[i].offset != jr_item_fields[j].offset);
		}
	}
	assert_false(jr_item_fields[0].flags & JR_F_OPTKEY);
	assert_false(jr_claim_fields[0].flags & JR_F_OPTKEY);
	assert_false(jr_note_fields[0].flags & JR_F_OPTKEY);
	assert_null(jr_schema_item_field(JR_KEY_UNCONFIRMED));
	assert_null(jr_schema_item_field("estimate"));
}

/* Decode text with the fast reader or with jansson. */
static jerry_item *read_back(const char *text, size_t len, int summary, int fast)
{
	jerry_item *back = NULL;
	if (fast) {
		int unc = -1;
		int rc = summary ? jr_summary_decode(&back, text, len, &unc)
				 : jr_itemfile_decode(&back, text, len, 12);
		if (rc != 0)
			fail_msg("the fast reader declined its own %s:\n%s", summary ? "line" : "file", text);
		return back;
	}
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(o);
	assert_int_equal(jr_codec_decode(&back, o, summary, "test", summary ? 0 : 12, NULL), 0);
	json_decref(o);
	return back;
}

static void test_schema__every_field_round_trips_through_every_codec(void **state)
{
	(void)state;
	jerry_item *it = populated();
	for (int summary = 0; summary <= 1; summary++) {
		size_t len_fast = 0, len_slow = 0;
		char *fast = summary ? jr_summary_encode(it, 0, &len_fast) : jr_itemfile_encode(it, &len_fast);
		char *slow = summary ? jr_codec_summary_line(it, 0, &len_slow)
				     : jr_codec_item_text_jansson(it, &len_slow);
		assert_non_null(fast);
		assert_non_null(slow);
		assert_int_equal(len_fast, len_slow);
		assert_memory_equal(fast, slow, len_fast);
		/* written by either, read by either: every row comes back */
		for (int w = 0; w < 2; w++)
			for (int r = 0; r < 2; r++) {
				jerry_item *back = read_back(w ? fast : slow, w ? len_fast : len_slow,
							     summary, r);
				assert_fields_equal(jr_item_fields, jr_item_nfields, it, back, it, back,
						    summary);
				assert_int_equal(back->is_summary, summary);
				jerry_item_free(back);
			}
		free(fast);
		free(slow);
	}
	jerry_item_free(it);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema__the_test_item_sets_every_field),
		cmocka_unit_test(test_schema__every_key_written_is_a_row_in_order),
		cmocka_unit_test(test_schema__keys_are_unique_and_found_by_name),
		cmocka_unit_test(test_schema__every_field_round_trips_through_every_codec),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
