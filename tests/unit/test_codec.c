/*
 * test_codec.c - items to JSON and back (src/store/codec.h): the on-disk
 * schema, its key order, unknown keys kept, and errors that name the file.
 */
#include "harness.h"
#include "store/codec.h"

static jerry_item *full_item(void)
{
	jerry_item *it = jr_item_new();
	assert_non_null(it);
	it->num = 7;
	jerry_id_format(it->id, sizeof(it->id), 7);
	it->uid = 18446744073709551000ULL; /* above INT64_MAX: must survive as a string */
	it->version = 4;
	jr_set_str(&it->title, "Fix the \"login\" page \xe2\x82\xac");
	jr_set_str(&it->description, "line one\nline two\ttabbed");
	it->type = JERRY_TYPE_BUG;
	it->status = JERRY_STATUS_IN_PROGRESS;
	it->priority = JERRY_PRIORITY_HIGH;
	jr_labels_add(it, "frontend");
	jr_labels_add(it, "auth");
	jr_set_str(&it->assignee, "bob");
	it->parent = 3;
	jr_depends_add(it, 5);
	jr_depends_add(it, 2);
	jr_set_str(&it->claim.by, "agent-1@host:42");
	jr_set_str(&it->claim.session, "sid-9");
	it->claim.expires_ms = 1767225900000LL;
	jr_notes_append(it, 1767225601234LL, "alice", "first note");
	jr_notes_append(it, 1767225602000LL, NULL, "second\nnote");
	it->created_at = 1767225600000LL;
	it->updated_at = 1767225605678LL;
	it->completed_at = 0;
	jr_set_str(&it->created_by, "alice");
	jr_set_str(&it->updated_by, "agent-1@host:42");
	return it;
}

static void assert_items_equal(const jerry_item *a, const jerry_item *b)
{
	assert_int_equal(a->num, b->num);
	assert_string_equal(a->id, b->id);
	assert_true(a->uid == b->uid);
	assert_int_equal(a->version, b->version);
	assert_string_equal(a->title, b->title);
	assert_string_equal(a->description, b->description);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->priority, b->priority);
	assert_int_equal(a->nlabels, b->nlabels);
	for (size_t i = 0; i < a->nlabels; i++)
		assert_string_equal(a->labels[i], b->labels[i]);
	assert_string_equal(a->assignee, b->assignee);
	assert_int_equal(a->parent, b->parent);
	assert_int_equal(a->ndepends, b->ndepends);
	for (size_t i = 0; i < a->ndepends; i++)
		assert_int_equal(a->depends_on[i], b->depends_on[i]);
	assert_string_equal(a->claim.by, b->claim.by);
	assert_string_equal(a->claim.session, b->claim.session);
	assert_int_equal(a->claim.expires_ms, b->claim.expires_ms);
	assert_int_equal(a->nnotes, b->nnotes);
	for (size_t i = 0; i < a->nnotes; i++) {
		assert_int_equal(a->notes[i].at_ms, b->notes[i].at_ms);
		if (a->notes[i].by || b->notes[i].by)
			assert_string_equal(a->notes[i].by, b->notes[i].by);
		assert_string_equal(a->notes[i].text, b->notes[i].text);
	}
	assert_int_equal(a->created_at, b->created_at);
	assert_int_equal(a->updated_at, b->updated_at);
	assert_int_equal(a->completed_at, b->completed_at);
	assert_string_equal(a->created_by, b->created_by);
	assert_string_equal(a->updated_by, b->updated_by);
}

static void test_codec__full_item_round_trips(void **state)
{
	jerry_item *it = full_item(), *back = NULL;
	jerry_error err;
	size_t len = 0;
	(void)state;
	char *text = jr_codec_item_text(it, &len);
	assert_non_null(text);
	assert_int_equal(len, strlen(text));
	assert_int_equal(text[len - 1], '\n');
	jerry_error_clear(&err);
	assert_int_equal(jr_codec_parse_item(&back, text, len, "items/WORK-007.json", 7, &err), 0);
	assert_items_equal(it, back);
	assert_false(back->is_summary);
	assert_null(back->ext);
	/* encoding the decoded item gives the same bytes */
	size_t len2 = 0;
	char *text2 = jr_codec_item_text(back, &len2);
	assert_string_equal(text, text2);
	free(text);
	free(text2);
	jerry_item_free(it);
	jerry_item_free(back);
}

static void test_codec__keys_come_in_one_fixed_order(void **state)
{
	static const char *const order[] = {
		"\"id\"", "\"uid\"", "\"version\"", "\"title\"", "\"description\"", "\"type\"",
		"\"status\"", "\"priority\"", "\"labels\"", "\"assignee\"", "\"parent\"",
		"\"depends_on\"", "\"claim\"", "\"notes\"", "\"created_at\"", "\"created_by\"",
		"\"updated_at\"", "\"updated_by\"", "\"completed_at\"",
	};
	jerry_item *it = full_item();
	size_t len;
	(void)state;
	char *text = jr_codec_item_text(it, &len);
	assert_non_null(text);
	assert_true(strncmp(text, "{\n  \"id\": \"WORK-007\",\n  \"uid\": \"18446744073709551000\"", 52) == 0);
	const char *prev = text;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *at = strstr(text, order[i]);
		if (!at || at < prev)
			fail_msg("key %s out of order", order[i]);
		prev = at;
	}
	assert_non_null(strstr(text, "\"parent\": \"WORK-003\""));
	assert_non_null(strstr(text, "\"depends_on\": [\n    \"WORK-002\",\n    \"WORK-005\"\n  ]"));
	assert_non_null(strstr(text, "\"labels\": [\n    \"auth\",\n    \"frontend\"\n  ]"));
	assert_non_null(strstr(text, "\"expires_at\": \"2026-01-01T00:05:00.000Z\""));
	assert_non_null(strstr(text, "\"completed_at\": null"));
	free(text);
	jerry_item_free(it);
}

static void test_codec__summary_omits_description_and_notes(void **state)
{
	jerry_item *it = full_item(), *back = NULL;
	size_t len;
	(void)state;
	char *line = jr_codec_summary_line(it, 1, &len);
	assert_non_null(line);
	assert_null(strchr(line, '\n'));
	assert_null(strstr(line, "description"));
	assert_null(strstr(line, "notes"));
	assert_non_null(strstr(line, "\"unconfirmed\":true"));
	json_t *o = json_loads(line, 0, NULL);
	assert_non_null(o);
	assert_int_equal(jr_codec_decode(&back, o, 1, "index.log line 2", 0, NULL), 0);
	assert_true(back->is_summary);
	assert_null(back->description);
	assert_int_equal(back->nnotes, 0);
	assert_string_equal(back->title, it->title);
	assert_int_equal(back->nlabels, 2);
	json_decref(o);
	free(line);
	jerry_item_free(back);
	jerry_item_free(it);
}

static void test_codec__unknown_keys_survive_a_rewrite(void **state)
{
	jerry_item *it = full_item(), *back = NULL, *again = NULL;
	size_t len;
	(void)state;
	char *text = jr_codec_item_text(it, &len);
	/* a newer jerry's fields, appended before the closing brace */
	char *end = strrchr(text, '}');
	*end = '\0';
	char buf[8192];
	h_path(buf, sizeof(buf), "%s,\n  \"x_estimate\": {\"hours\": 3, \"by\": [\"a\"]},\n"
				 "  \"x_flag\": true\n}\n", text);
	free(text);
	assert_int_equal(jr_codec_parse_item(&back, buf, strlen(buf), "f", 7, NULL), 0);
	assert_non_null(back->ext);
	text = jr_codec_item_text(back, &len);
	assert_non_null(text);
	const char *a = strstr(text, "\"x_estimate\""), *b = strstr(text, "\"x_flag\": true");
	const char *c = strstr(text, "\"completed_at\"");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(c < a); /* after the known keys */
	assert_int_equal(jr_codec_parse_item(&again, text, len, "f", 7, NULL), 0);
	json_t *est = json_object_get((json_t *)again->ext, "x_estimate");
	assert_int_equal(json_integer_value(json_object_get(est, "hours")), 3);
	/* jr_item_dup does not copy ext, and nothing leaks either way */
	jerry_item *dup = jr_item_dup(again);
	assert_null(dup->ext);
	jerry_item_free(dup);
	free(text);
	jerry_item_free(it);
	jerry_item_free(back);
	jerry_item_free(again);
}

static void test_codec__uid_is_written_as_string_and_read_from_either(void **state)
{
	jerry_item *it = full_item(), *back = NULL;
	(void)state;
	json_t *o = jr_codec_encode(it, 0);
	assert_true(json_is_string(json_object_get(o, "uid")));
	assert_string_equal(json_string_value(json_object_get(o, "uid")), "18446744073709551000");
	json_object_set_new(o, "uid", json_integer(12345));
	assert_int_equal(jr_codec_decode(&back, o, 0, "f", 0, NULL), 0);
	assert_true(back->uid == 12345);
	jerry_item_free(back);
	json_object_set_new(o, "uid", json_string("12x"));
	assert_int_equal(jr_codec_decode(&back, o, 0, "f", 0, NULL), JERRY_ECORRUPT);
	assert_null(back);
	json_object_set_new(o, "uid", json_string(""));
	assert_int_equal(jr_codec_decode(&back, o, 0, "f", 0, NULL), JERRY_ECORRUPT);
	json_object_set_new(o, "uid", json_string("-5"));
	assert_int_equal(jr_codec_decode(&back, o, 0, "f", 0, NULL), JERRY_ECORRUPT);
	json_object_set_new(o, "uid", json_string(" 5"));
	assert_int_equal(jr_codec_decode(&back, o, 0, "f", 0, NULL), JERRY_ECORRUPT);
	json_object_set_new(o, "uid", json_string("99999999999999999999999"));
	assert_int_equal(jr_codec_decode(&back, o, 0, "f", 0, NULL), JERRY_ECORRUPT);
	json_object_set_new(o, "uid", json_integer(-1));
	assert_int_equal(jr_codec_decode(&back, o, 0, "f", 0, NULL), JERRY_ECORRUPT);
	json_decref(o);
	jerry_item_free(it);
}

static void test_codec__parse_error_gives_path_line_and_column(void **state)
{
	static const char text[] = "{\n  \"id\": \"WORK-001\",\n  \"title\": oops\n}\n";
	jerry_item *out = (jerry_item *)1;
	jerry_error err;
	(void)state;
	jerry_error_clear(&err);
	assert_int_equal(jr_codec_parse_item(&out, text, strlen(text), "/s/items/WORK-001.json", 1,
					     &err), JERRY_ECORRUPT);
	assert_null(out);
	assert_int_equal(err.code, JERRY_ECORRUPT);
	assert_string_equal(err.path, "/s/items/WORK-001.json");
	assert_int_equal(err.line, 3);
	assert_true(err.column > 0);
	assert_non_null(strstr(err.message, "/s/items/WORK-001.json"));
	assert_non_null(strstr(err.message, "line 3"));
}

static void test_codec__duplicate_keys_are_corrupt(void **state)
{
	jerry_item *it = full_item(), *back = NULL;
	size_t len;
	(void)state;
	char *text = jr_codec_item_text(it, &len);
	char *end = strrchr(text, '}');
	*end = '\0';
	char buf[8192];
	h_path(buf, sizeof(buf), "%s,\n  \"title\": \"second title\"\n}\n", text);
	assert_int_equal(jr_codec_parse_item(&back, buf, strlen(buf), "f", 7, NULL), JERRY_ECORRUPT);
	assert_null(back);
	free(text);
	jerry_item_free(it);
}

/* Decode the full item with one key replaced by `value` (NULL: removed). */
static int decode_with(const char *key, json_t *value, jerry_error *err)
{
	jerry_item *it = full_item(), *back = NULL;
	json_t *o = jr_codec_encode(it, 0);
	assert_non_null(o);
	if (value)
		json_object_set_new(o, key, value);
	else
		json_object_del(o, key);
	jerry_error_clear(err);
	int rc = jr_codec_decode(&back, o, 0, "/s/items/WORK-007.json", 7, err);
	if (rc)
		assert_null(back);
	json_decref(o);
	jerry_item_free(back);
	jerry_item_free(it);
	return rc;
}

static void test_codec__wrong_types_are_corrupt_and_name_file_and_field(void **state)
{
	jerry_error err;
	(void)state;
	struct { const char *key; json_t *value; } bad[] = {
		{"title", json_integer(5)},
		{"title", NULL},
		{"version", json_string("4")},
		{"version", json_integer(0)},
		{"type", json_string("chore")},
		{"status", json_integer(1)},
		{"priority", NULL},
		{"labels", json_string("a,b")},
		{"labels", json_pack("[i]", 1)},
		{"parent", json_string("../x")},
		{"parent", json_integer(3)},
		{"depends_on", json_pack("[s]", "nope")},
		{"claim", json_string("bob")},
		{"claim", json_pack("{s:s}", "by", "bob")},
		{"notes", json_pack("[s]", "text")},
		{"notes", json_pack("[{s:s}]", "at", "2026-01-01T00:00:00Z")},
		{"created_at", json_string("yesterday")},
		{"updated_at", NULL},
		{"description", json_true()},
		{"id", json_string("WORK-abc")},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = decode_with(bad[i].key, bad[i].value, &err);
		if (rc != JERRY_ECORRUPT)
			fail_msg("bad '%s' (case %zu) gave %d", bad[i].key, i, rc);
		assert_non_null(strstr(err.message, "/s/items/WORK-007.json"));
	}
	assert_int_equal(decode_with("title", json_integer(5), &err), JERRY_ECORRUPT);
	assert_non_null(strstr(err.message, "'title'"));
	assert_string_equal(err.path, "/s/items/WORK-007.json");
	/* optional fields may be null */
	assert_int_equal(decode_with("description", json_null(), &err), 0);
	assert_int_equal(decode_with("claim", json_null(), &err), 0);
	assert_int_equal(decode_with("labels", NULL, &err), 0);
}

static void test_codec__file_holding_another_id_is_corrupt(void **state)
{
	jerry_item *it = full_item(), *back = NULL;
	jerry_error err;
	size_t len;
	(void)state;
	char *text = jr_codec_item_text(it, &len);
	jerry_error_clear(&err);
	assert_int_equal(jr_codec_parse_item(&back, text, len, "items/WORK-008.json", 8, &err),
			 JERRY_ECORRUPT);
	assert_non_null(strstr(err.message, "WORK-007"));
	assert_non_null(strstr(err.message, "WORK-008"));
	assert_int_equal(jr_codec_parse_item(&back, "[1,2]", 5, "f", 0, NULL), JERRY_ECORRUPT);
	free(text);
	jerry_item_free(it);
}

static void test_codec__public_json_renders_items_and_arrays(void **state)
{
	jerry_item *it = full_item();
	jerry_item *two[2];
	(void)state;
	char *one = jerry_item_json(it, JERRY_JSON_COMPACT);
	assert_non_null(one);
	assert_null(strchr(one, '\n'));
	assert_true(strncmp(one, "{\"id\":\"WORK-007\"", 16) == 0);
	assert_non_null(strstr(one, "\"notes\":[{\"at\":\"2026-01-01T00:00:01.234Z\",\"by\":\"alice\""));
	free(one);
	it->is_summary = 1;
	two[0] = it;
	two[1] = it;
	char *arr = jerry_items_json(two, 2, 0);
	assert_non_null(arr);
	assert_int_equal(arr[0], '[');
	assert_null(strstr(arr, "\"notes\""));
	json_t *parsed = json_loads(arr, 0, NULL);
	assert_int_equal(json_array_size(parsed), 2);
	json_decref(parsed);
	free(arr);
	char *empty = jerry_items_json(NULL, 0, JERRY_JSON_COMPACT);
	assert_string_equal(empty, "[]");
	free(empty);
	jerry_item_free(it);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codec__full_item_round_trips),
		cmocka_unit_test(test_codec__keys_come_in_one_fixed_order),
		cmocka_unit_test(test_codec__summary_omits_description_and_notes),
		cmocka_unit_test(test_codec__unknown_keys_survive_a_rewrite),
		cmocka_unit_test(test_codec__uid_is_written_as_string_and_read_from_either),
		cmocka_unit_test(test_codec__parse_error_gives_path_line_and_column),
		cmocka_unit_test(test_codec__duplicate_keys_are_corrupt),
		cmocka_unit_test(test_codec__wrong_types_are_corrupt_and_name_file_and_field),
		cmocka_unit_test(test_codec__file_holding_another_id_is_corrupt),
		cmocka_unit_test(test_codec__public_json_renders_items_and_arrays),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
