/*
 * test_codec.c - items to JSON and back (src/store/codec.h): the on-disk
 * schema, its key order, unknown keys kept, and errors that name the file.
 */
#include "harness.h"
#include "store/codec.h"
#include "store/export.h"
#include "util/strbuf.h"

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
	if (!b->is_summary && (a->claim.token || b->claim.token))
		assert_string_equal(a->claim.token, b->claim.token);
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

static char *replaced(const char *line, const char *from, const char *to);

/* The claim token is kept in the item file, both ways, and left out of summaries. */
static void test_codec__claim_token_in_file_not_in_summary(void **state)
{
	jerry_item *it = full_item(), *back = NULL;
	jerry_error err;
	size_t len = 0;
	(void)state;
	jr_set_str(&it->claim.token, "ct-0123456789abcdef01234567");
	char *text = jr_codec_item_text(it, &len);
	assert_non_null(strstr(text, "\"token\": \"ct-0123456789abcdef01234567\"\n  }"));
	jerry_error_clear(&err);
	assert_int_equal(jr_codec_parse_item(&back, text, len, "items/WORK-007.json", 7, &err), 0);
	assert_items_equal(it, back);
	jerry_item_free(back);
	back = NULL;
	/* the jansson path (a declined file: one extra space) reads it too */
	char *slow = replaced(text, "\"id\": ", "\"id\":  ");
	assert_int_equal(jr_codec_parse_item(&back, slow, strlen(slow), "items/WORK-007.json", 7, &err), 0);
	assert_string_equal(back->claim.token, "ct-0123456789abcdef01234567");
	char *line = jr_codec_summary_line(it, 0, &len);
	assert_null(strstr(line, "token"));
	free(line);
	free(slow);
	free(text);
	jerry_item_free(back);
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
	/* jr_item_dup copies ext (an export, a merge keep the keys), deeply */
	jerry_item *dup = jr_item_dup(again);
	assert_non_null(dup->ext);
	assert_ptr_not_equal(dup->ext, again->ext);
	assert_true(json_equal((json_t *)dup->ext, (json_t *)again->ext));
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

/* ---- the fast path for summaries (fast_read.c, fast_write.c) ------------ */

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static int one_in(uint64_t *x, unsigned n)
{
	return rnd(x) % n == 0;
}

/* What jansson writes for a summary: the reference for the fast encoder. */
static char *jansson_summary(const jerry_item *it, int unconfirmed)
{
	json_t *o = jr_codec_encode(it, 1);
	if (!o)
		return NULL;
	if (unconfirmed)
		assert_int_equal(json_object_set_new(o, "unconfirmed", json_true()), 0);
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return text;
}

/* The path read_snapshot() takes for a declined line: jansson, then the codec. */
static int jansson_decode(jerry_item **out, const char *line, size_t len, int *unconfirmed)
{
	json_t *o = json_loadb(line, len, 0, NULL);
	*out = NULL;
	if (!o)
		return JERRY_ECORRUPT;
	int rc = jr_codec_decode(out, o, 1, "index.json line 2", 0, NULL);
	*unconfirmed = json_is_true(json_object_get(o, "unconfirmed"));
	json_decref(o);
	return rc;
}

/* Text for a title or a name: plain ASCII, or with what needs escaping. */
static char *random_text(uint64_t *x, int plain)
{
	static const char *const any[] = {
		"\"", "\\", "\n", "\t", "\r", "\b", "\f", "\x01", "\x1f", "\x7f", "/",
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\\u0041", "{\"a\":[]}",
		"\xe2\x80\x94", "\xc2\x80", "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbf",
		"\xf4\x8f\xbf\xbf", "\\ud83d\\ude00", "\\", "\":\n  \"",
	};
	static const char *const broken[] = {
		"\x80", "\xc0\xaf", "\xed\xa0\x80", "\xf5\x80\x80\x80", "\xe2\x82", "\xff",
		"\xe0\x80\xaf", "\xf0\x80\x80\xaf", "\xf4\x90\x80\x80", "\xed\xbf\xbf", "\xc1\xbf",
		"\xf8\x88\x80\x80\x80", "\xc3", "\xf0\x9f\x98",
	};
	static const char ascii[] = "abcXYZ0189 -_.:@#,;!?()[]{}<>='+*%&|~^`$";
	size_t n = (size_t)(rnd(x) % (one_in(x, 8) ? 300 : 24));
	char *s = malloc(n * 16 + 1), *w = s;
	assert_non_null(s);
	for (size_t i = 0; i < n; i++) {
		const char *piece;
		char one[2] = {ascii[rnd(x) % (sizeof(ascii) - 1)], '\0'};
		if (plain || !one_in(x, 6))
			piece = one;
		else if (one_in(x, 40))
			piece = broken[rnd(x) % (sizeof(broken) / sizeof(broken[0]))];
		else
			piece = any[rnd(x) % (sizeof(any) / sizeof(any[0]))];
		w = stpcpy(w, piece);
	}
	*w = '\0';
	return s;
}

static int64_t random_num(uint64_t *x)
{
	if (one_in(x, 50))
		return 1000000000 + (int64_t)(rnd(x) % 1000); /* no ID jansson reads back */
	return one_in(x, 4) ? 1 + (int64_t)(rnd(x) % 999999999) : 1 + (int64_t)(rnd(x) % 5000);
}

/*
 * Mostly 1970..9999; sometimes at or before the epoch (which jerry refuses:
 * 0 means "not set"), or beyond what jerry can read.
 */
static int64_t random_time(uint64_t *x)
{
	if (one_in(x, 60))
		return (int64_t)rnd(x);
	if (one_in(x, 40))
		return -62167219200000LL + (int64_t)(rnd(x) % 62167219200000ULL);
	return 1 + (int64_t)(rnd(x) % 253402300799999ULL);
}

static void set_random(char **field, uint64_t *x, int plain)
{
	char *t = random_text(x, plain);
	free(*field);
	*field = t;
}

/* A summary as the index could hold it, and now and then one it cannot. */
static jerry_item *random_summary(uint64_t *x)
{
	jerry_item *it = jr_item_new();
	int plain = one_in(x, 2);
	assert_non_null(it);
	it->is_summary = 1;
	it->num = random_num(x);
	jerry_id_format(it->id, sizeof(it->id), it->num);
	it->uid = one_in(x, 3) ? rnd(x) : rnd(x) % 1000000;
	it->version = one_in(x, 30) ? 1 + (int64_t)((rnd(x) >> 1) % JR_VERSION_MAX)
				    : 1 + (int64_t)(rnd(x) % 1000);
	if (one_in(x, 60))
		it->version = -(int64_t)(rnd(x) % 3); /* 0, -1, -2: never valid */
	set_random(&it->title, x, plain);
	it->type = (jerry_type)(rnd(x) % (JERRY_TYPE__COUNT + one_in(x, 30)));
	it->status = (jerry_status)(rnd(x) % JERRY_STATUS__COUNT);
	it->priority = (jerry_priority)(rnd(x) % JERRY_PRIORITY__COUNT);
	for (int i = (int)(rnd(x) % 4); i > 0; i--) {
		char *l = random_text(x, plain);
		assert_int_equal(jr_labels_add(it, l), 0);
		free(l);
	}
	if (one_in(x, 2))
		set_random(&it->assignee, x, plain);
	if (one_in(x, 3))
		it->parent = random_num(x);
	for (int i = (int)(rnd(x) % 4); i > 0; i--)
		assert_int_equal(jr_depends_add(it, random_num(x)), 0);
	if (one_in(x, 4)) {
		set_random(&it->claim.by, x, plain);
		if (one_in(x, 2))
			set_random(&it->claim.session, x, plain);
		it->claim.expires_ms = one_in(x, 20) ? 0 : random_time(x);
	}
	it->created_at = one_in(x, 40) ? 0 : random_time(x);
	it->updated_at = random_time(x);
	if (one_in(x, 3))
		it->completed_at = random_time(x);
	if (!one_in(x, 10))
		set_random(&it->created_by, x, plain);
	if (!one_in(x, 10))
		set_random(&it->updated_by, x, plain);
	return it;
}

/*
 * The fast encoder writes jansson's bytes exactly, escapes and all, and
 * fails exactly where jansson does (text that is not UTF-8); so do the
 * public paths that use it.
 */
static void test_summary__fast_encoder_writes_jansson_bytes(void **state)
{
	uint64_t x = 0x853c49e6748fea9bULL;
	int declined = 0, written = 0;
	(void)state;
	for (int i = 0; i < 20000; i++) {
		jerry_item *it = random_summary(&x);
		int unconfirmed = one_in(&x, 5);
		size_t len = 0, len2 = 0;
		char *want = jansson_summary(it, unconfirmed);
		char *got = jr_summary_encode(it, unconfirmed, &len);
		char *line = jr_codec_summary_line(it, unconfirmed, &len2);
		if (!want) {
			if (got)
				fail_msg("jansson fails, the fast path wrote %s", got);
			assert_null(line);
			declined++;
		} else {
			if (!got)
				fail_msg("fast path declined %s", want);
			if (strcmp(got, want) != 0)
				fail_msg("fast path wrote\n%s\njansson\n%s", got, want);
			assert_int_equal(len, strlen(want));
			assert_string_equal(line, want);
			assert_int_equal(len2, len);
			written++;
		}
		char *compact = jerry_item_json(it, JERRY_JSON_COMPACT);
		char *ref = jansson_summary(it, 0);
		if (ref || compact)
			assert_string_equal(compact, ref);
		free(compact);
		free(ref);
		free(line);
		free(got);
		free(want);
		jerry_item_free(it);
	}
	/* both branches really ran */
	assert_true(declined > 50);
	assert_true(written > 15000);
}

/* A line that is jerry's own, with nothing for jansson to unescape. */
static int canonical(const char *line)
{
	for (const unsigned char *p = (const unsigned char *)line; *p; p++)
		if (*p < 0x20 || *p >= 0x7f || *p == '\\')
			return 0;
	return 1;
}

/*
 * Whether the fast decoder and the jansson path agree on the line: the
 * fast one declines, or both accept and build the same summary.  Returns
 * whether the fast one accepted.
 */
static int agrees(const char *line, size_t len)
{
	jerry_item *fast = NULL, *slow = NULL;
	int fast_unc = -1, slow_unc = -1;
	int rc = jr_summary_decode(&fast, line, len, &fast_unc);
	if (rc == JR_SUMMARY_DECLINE) {
		assert_null(fast);
		return 0;
	}
	assert_int_equal(rc, 0);
	if (jansson_decode(&slow, line, len, &slow_unc) != 0)
		fail_msg("the fast path accepts what jansson refuses: %.*s", (int)len, line);
	char *a = jansson_summary(fast, fast_unc), *b = jansson_summary(slow, slow_unc);
	assert_non_null(a);
	assert_non_null(b);
	if (strcmp(a, b) != 0)
		fail_msg("decoded differently from %.*s:\nfast %s\nslow %s", (int)len, line, a, b);
	assert_int_equal(fast->num, slow->num);
	assert_true(fast->is_summary);
	assert_null(fast->description);
	assert_int_equal(fast->nnotes, 0);
	assert_null(fast->ext);
	free(a);
	free(b);
	jerry_item_free(fast);
	jerry_item_free(slow);
	return 1;
}

/*
 * Every line jerry writes decodes to what jansson decodes it to; and the
 * canonical ones - printable ASCII, no escapes - really take the fast path.
 */
static void test_summary__fast_decoder_agrees_and_takes_canonical_lines(void **state)
{
	uint64_t x = 0x2545f4914f6cdd1dULL;
	int fast = 0, canon = 0;
	(void)state;
	for (int i = 0; i < 20000; i++) {
		jerry_item *it = random_summary(&x), *slow = NULL;
		int unconfirmed = one_in(&x, 5), unc;
		char *line = jansson_summary(it, unconfirmed);
		if (line) {
			size_t len = strlen(line);
			int accepted = agrees(line, len);
			fast += accepted;
			if (canonical(line) && jansson_decode(&slow, line, len, &unc) == 0) {
				canon++;
				if (!accepted)
					fail_msg("declined a canonical line: %s", line);
				/* and it reads back what was written */
				char *again = jansson_summary(slow, unc);
				assert_string_equal(again, line);
				free(again);
			}
			jerry_item_free(slow);
		}
		free(line);
		jerry_item_free(it);
	}
	assert_true(canon > 4000);
	assert_true(fast >= canon);
}

static char *replaced(const char *line, const char *from, const char *to)
{
	const char *at = strstr(line, from);
	if (!at)
		fail_msg("'%s' is not in %s", from, line);
	size_t fl = strlen(from), tl = strlen(to), n = strlen(line);
	char *out = malloc(n - fl + tl + 1);
	assert_non_null(out);
	memcpy(out, line, (size_t)(at - line));
	memcpy(out + (at - line), to, tl);
	strcpy(out + (at - line) + tl, at + fl);
	return out;
}

/*
 * Every truncation of text (check must refuse each: fast and slow paths
 * both reject a cut line or file), and every one-byte change, insertion
 * of each of `bytes`, and deletion (check must merely agree).
 */
static void mutate_all(const char *text, size_t n, const char *bytes,
		       int (*check)(const char *, size_t, int64_t), int64_t num)
{
	char *buf = malloc(n + 2);
	assert_non_null(buf);
	for (size_t cut = 0; cut < n; cut++)
		assert_false(check(text, cut, num));
	for (size_t at = 0; at < n; at++) {
		for (const char *b = bytes; *b; b++) {
			memcpy(buf, text, n);
			buf[at] = *b;
			check(buf, n, num);
			memcpy(buf, text, at);
			buf[at] = *b;
			memcpy(buf + at + 1, text + at, n - at);
			check(buf, n + 1, num);
		}
		memcpy(buf, text, at);
		memcpy(buf + at, text + at + 1, n - at - 1);
		check(buf, n - 1, num);
	}
	free(buf);
}

static int line_agrees(const char *line, size_t len, int64_t unused)
{
	(void)unused;
	return agrees(line, len);
}

static const char base_line[] =
	"{\"id\":\"WORK-012\",\"uid\":\"119972646512156672\",\"version\":2,\"title\":\"Fix it\","
	"\"type\":\"task\",\"status\":\"in_progress\",\"priority\":\"high\",\"labels\":[\"a\",\"b\"],"
	"\"assignee\":\"bob\",\"parent\":\"WORK-003\",\"depends_on\":[\"WORK-001\",\"WORK-002\"],"
	"\"claim\":{\"by\":\"agent@h\",\"session\":\"s1\",\"expires_at\":\"2026-07-25T17:50:01.000Z\"},"
	"\"created_at\":\"2026-07-25T17:20:01.000Z\",\"created_by\":\"bench@host:1\","
	"\"updated_at\":\"2026-07-25T17:20:01.500Z\",\"updated_by\":null,"
	"\"completed_at\":null,\"unconfirmed\":true}";

static const char plain_line[] =
	"{\"id\":\"WORK-001\",\"uid\":\"119972646512156672\",\"version\":2,\"title\":\"Benchmark item 1\","
	"\"type\":\"task\",\"status\":\"pending\",\"priority\":\"high\",\"labels\":[\"bench\"],"
	"\"assignee\":null,\"parent\":null,\"depends_on\":[],\"claim\":null,"
	"\"created_at\":\"2026-07-25T17:20:01.000Z\",\"created_by\":\"bench@host:1\","
	"\"updated_at\":\"2026-07-25T17:20:01.500Z\",\"updated_by\":\"bench@host:1\","
	"\"completed_at\":null}";

/*
 * Hostile and odd lines.  Those in `decline` are refused by jansson or not
 * in jerry's shape, and the fast path must leave them to jansson; those in
 * `either` it may take or leave, but agreeing.  Then every truncation, and
 * every one-byte change, deletion and insertion of the two base lines.
 */
static void test_summary__hostile_lines_are_declined_or_agree(void **state)
{
	static const struct { const char *from, *to; } decline[] = {
		{"\"uid\":\"119972646512156672\",", ""},
		{"\"title\":\"Fix it\",", ""},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\",", ""},
		{",\"completed_at\":null", ""},
		{"\"version\":2", "\"version\":0"},
		{"\"version\":2", "\"version\":-1"},
		{"\"version\":2", "\"version\":2.0"},
		{"\"version\":2", "\"version\":2e0"},
		{"\"version\":2", "\"version\":02"},
		{"\"version\":2", "\"version\":\"2\""},
		{"\"version\":2", "\"version\":true"},
		{"\"version\":2", "\"version\":99999999999999999999"},
		{"\"version\":2", "\"version\":9223372036854775808"},
		{"\"uid\":\"119972646512156672\"", "\"uid\":119972646512156672"},
		{"\"uid\":\"119972646512156672\"", "\"uid\":\"18446744073709551616\""},
		{"\"uid\":\"119972646512156672\"", "\"uid\":\"\""},
		{"\"uid\":\"119972646512156672\"", "\"uid\":\"-1\""},
		{"\"uid\":\"119972646512156672\"", "\"uid\":\" 1\""},
		{"\"type\":\"task\"", "\"type\":\"chore\""},
		{"\"type\":\"task\"", "\"type\":\"TASK\""},
		{"\"type\":\"task\"", "\"type\":\"\""},
		{"\"status\":\"in_progress\"", "\"status\":\"in-progress\""},
		{"\"priority\":\"high\"", "\"priority\":null"},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":\"2026-13-25T17:20:01.000Z\""},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":\"2026-07-25T24:20:01.000Z\""},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":\"2026-07-25T17:60:01.000Z\""},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":\"2026-07-25T17:20:61.000Z\""},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":\"2026-07-00T17:20:01.000Z\""},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":\"2026-07-32T17:20:01.000Z\""},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":\"2026-00-25T17:20:01.000Z\""},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":\"2026-07-25T17:20:01.000+01:00\""},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":\"2026-07-25T17:20:01.0x0Z\""},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":\"yesterday\""},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":null"},
		{"\"expires_at\":\"2026-07-25T17:50:01.000Z\"", "\"expires_at\":null"},
		{"\"by\":\"agent@h\"", "\"by\":null"},
		{"\"by\":\"agent@h\"", "\"by\":{\"a\":[1,2,{}]}"},
		{"\"by\":\"agent@h\",", ""},
		{"\"labels\":[\"a\",\"b\"]", "\"labels\":[[\"a\"]]"},
		{"\"labels\":[\"a\",\"b\"]", "\"labels\":[\"a\",]"},
		{"\"labels\":[\"a\",\"b\"]", "\"labels\":[1]"},
		{"\"labels\":[\"a\",\"b\"]", "\"labels\":\"a,b\""},
		{"\"depends_on\":[\"WORK-001\",\"WORK-002\"]", "\"depends_on\":[\"WORK-000\"]"},
		{"\"depends_on\":[\"WORK-001\",\"WORK-002\"]", "\"depends_on\":[\"../x\"]"},
		{"\"depends_on\":[\"WORK-001\",\"WORK-002\"]", "\"depends_on\":[1]"},
		{"\"parent\":\"WORK-003\"", "\"parent\":\"WORK-0000000003\""},
		{"\"parent\":\"WORK-003\"", "\"parent\":3"},
		{"\"id\":\"WORK-012\"", "\"id\":\"WORK-abc\""},
		{"\"id\":\"WORK-012\"", "\"id\":12"},
		{"\"title\":\"Fix it\"", "\"title\":\"Fix\\u0000it\""},
		{"\"title\":\"Fix it\"", "\"title\":\"Fix\\\"it\""},
		{"\"title\":\"Fix it\"", "\"title\":\"Fix\\u0041it\""},
		{"\"title\":\"Fix it\"", "\"title\":\"Fix\tit\""},
		{"\"title\":\"Fix it\"", "\"title\":\"Fix \xc3\xa9\""},
		{"\"title\":\"Fix it\"", "\"title\":\"Fix \xc3\""},
		{"\"title\":\"Fix it\"", "\"title\":\"Fix it"},
		{"\"title\":\"Fix it\"", "\"title\":null"},
		{"\"title\":\"Fix it\"", "\"title\":5"},
		{"\"title\":\"Fix it\",", "\"title\":\"Fix it\",\"title\":\"again\","},
		{"\"unconfirmed\":true", "\"unconfirmed\":true,\"unconfirmed\":true"},
		{"\"unconfirmed\":true", "\"unconfirmed\":false"},
		{"\"unconfirmed\":true", "\"unconfirmed\":1"},
		{"\"unconfirmed\":true", "\"unconfirmed\":true,\"x\":1"},
		{"\"unconfirmed\":true}", "\"unconfirmed\":true}x"},
		{"\"unconfirmed\":true}", "\"unconfirmed\":true} "},
		{"\"unconfirmed\":true}", "\"unconfirmed\":true}}"},
		{"{\"id\"", "{ \"id\""},
		{"{\"id\"", "[{\"id\""},
		{"\"id\":\"WORK-012\"", "\"id\" : \"WORK-012\""},
		{"\"labels\":[\"a\",\"b\"]", "\"labels\":[\"a\", \"b\"]"},
		{"\"labels\":[\"a\",\"b\"]", "\"labels\":null"},
		{"\"depends_on\":[\"WORK-001\",\"WORK-002\"]", "\"depends_on\":[null]"},
		{"\"claim\":{\"by\":\"agent@h\",\"session\":\"s1\",", "\"claim\":{\"session\":\"s1\",\"by\":\"agent@h\","},
		{"\"session\":\"s1\",", ""},
		{"\"status\":\"in_progress\"", "\"description\":\"x\",\"status\":\"in_progress\""},
		{"\"status\":\"in_progress\"", "\"notes\":[],\"status\":\"in_progress\""},
	};
	static const struct { const char *from, *to; } either[] = {
		{"\"id\":\"WORK-012\"", "\"id\":\"12\""},
		{"\"id\":\"WORK-012\"", "\"id\":\"work-0012\""},
		{"\"parent\":\"WORK-003\"", "\"parent\":\"3\""},
		{"\"depends_on\":[\"WORK-001\",\"WORK-002\"]", "\"depends_on\":[\"2\",\"WORK-1\",\"2\"]"},
		{"\"labels\":[\"a\",\"b\"]", "\"labels\":[\"b\",\"a\",\"b\",\"\"]"},
		{"\"labels\":[\"a\",\"b\"]", "\"labels\":[]"},
		{"\"uid\":\"119972646512156672\"", "\"uid\":\"18446744073709551615\""},
		{"\"uid\":\"119972646512156672\"", "\"uid\":\"000000000000000000007\""},
		{"\"uid\":\"119972646512156672\"", "\"uid\":\"0\""},
		{"\"version\":2", "\"version\":999999999999999999"},
		{"\"version\":2", "\"version\":1000000000000000000"},
		{"\"version\":2", "\"version\":9223372036854775807"},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":\"2026-07-25 17:20:01Z\""},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":\"2026-07-25T17:20:01.5+00:00\""},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":\"0000-01-01T00:00:60.999z\""},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":\"9999-12-31T23:59:60.999Z\""},
		{"\"created_at\":\"2026-07-25T17:20:01.000Z\"", "\"created_at\":\"2026-02-31T00:00:00.000Z\""},
		{"\"title\":\"Fix it\"", "\"title\":\"\""},
		{"\"title\":\"Fix it\"", "\"title\":\"\x7f/\""},
		{"\"assignee\":\"bob\"", "\"assignee\":\"\""},
		{"\"claim\":{\"by\":\"agent@h\",\"session\":\"s1\",\"expires_at\":\"2026-07-25T17:50:01.000Z\"}", "\"claim\":null"},
		{",\"unconfirmed\":true", ""},
	};
	static const char bytes[] = "\"\\ 0129x}{[],:-.eTZ\x01\x1f\x7f\x80\xff";
	const char *bases[] = {base_line, plain_line};
	(void)state;
	assert_true(agrees(base_line, strlen(base_line)));
	assert_true(agrees(plain_line, strlen(plain_line)));
	for (size_t i = 0; i < sizeof(decline) / sizeof(decline[0]); i++) {
		char *line = replaced(base_line, decline[i].from, decline[i].to);
		jerry_item *it = NULL;
		int unc;
		if (jr_summary_decode(&it, line, strlen(line), &unc) != JR_SUMMARY_DECLINE)
			fail_msg("not declined: %s", line);
		assert_null(it);
		free(line);
	}
	for (size_t i = 0; i < sizeof(either) / sizeof(either[0]); i++) {
		char *line = replaced(base_line, either[i].from, either[i].to);
		agrees(line, strlen(line));
		free(line);
	}
	/* one label more than JR_LABELS_MAX: jr_codec_decode refuses it */
	for (int extra = 0; extra <= 1; extra++) {
		char *labels = malloc((JR_LABELS_MAX + 1) * 8 + 16), *w = labels, *line;
		jerry_item *it = NULL;
		int unc;
		assert_non_null(labels);
		w += sprintf(w, "\"labels\":[");
		for (int i = 0; i < JR_LABELS_MAX + extra; i++)
			w += sprintf(w, "%s\"l%04d\"", i ? "," : "", i);
		sprintf(w, "]");
		line = replaced(plain_line, "\"labels\":[\"bench\"]", labels);
		if (extra)
			assert_int_equal(jr_summary_decode(&it, line, strlen(line), &unc), JR_SUMMARY_DECLINE);
		else
			assert_true(agrees(line, strlen(line)));
		jerry_item_free(it);
		free(line);
		free(labels);
	}
	for (size_t b = 0; b < 2; b++)
		mutate_all(bases[b], strlen(bases[b]), bytes, line_agrees, 0);
}

/* ---- the fast path for item files (fast_read.c, fast_write.c) ----------- */

static void ext_free(void *ext)
{
	json_decref((json_t *)ext);
}

/*
 * A whole item as an item file could hold it - a description, notes with
 * and without an author, text with escapes, UTF-8 and control bytes - and
 * now and then one that jansson cannot write or read back, or one with
 * unknown keys.
 */
static jerry_item *random_item(uint64_t *x)
{
	jerry_item *it = random_summary(x);
	int plain = one_in(x, 3);
	it->is_summary = 0;
	if (it->claim.by && one_in(x, 2))
		set_random(&it->claim.token, x, plain);
	if (!one_in(x, 4))
		set_random(&it->description, x, plain);
	for (int i = (int)(rnd(x) % (one_in(x, 8) ? 70 : 4)); i > 0; i--) {
		char *by = one_in(x, 4) ? NULL : random_text(x, plain), *text = random_text(x, plain);
		int64_t at = one_in(x, 100) ? 0 : random_time(x);
		assert_int_equal(jr_notes_append(it, at, by, text), 0);
		free(by);
		free(text);
	}
	if (one_in(x, 25)) {
		it->ext = json_pack("{s:i,s:[s]}", "x_estimate", 3, "x_tags", "a");
		it->ext_free = ext_free;
	}
	return it;
}

/* What jansson writes for an item file: the reference for the fast encoder. */
static char *jansson_item(const jerry_item *it, size_t *len)
{
	return jr_codec_item_text_jansson(it, len);
}

/* The path jr_codec_parse_item takes for a declined file: jansson, then the codec. */
static int jansson_parse(jerry_item **out, const char *text, size_t len, int64_t expect)
{
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	*out = NULL;
	if (!o)
		return JERRY_ECORRUPT;
	int rc = jr_codec_decode(out, o, 0, "items/WORK-007.json", expect, NULL);
	json_decref(o);
	return rc;
}

/*
 * The fast encoder writes jansson's bytes exactly, or declines where
 * jansson fails and for an item with unknown keys; jr_codec_item_text and
 * jerry_item_json, which try it first, give jansson's bytes either way.
 */
static void test_itemfile__fast_encoder_writes_jansson_bytes(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	int declined = 0, written = 0, ext = 0;
	(void)state;
	for (int i = 0; i < 6000; i++) {
		jerry_item *it = random_item(&x);
		size_t wlen = 0, len = 0, tlen = 0;
		char *want = jansson_item(it, &wlen);
		char *got = jr_itemfile_encode(it, &len);
		char *text = jr_codec_item_text(it, &tlen);
		if (it->ext) {
			assert_null(got);
			ext++;
		} else if (!want) {
			if (got)
				fail_msg("jansson fails, the fast path wrote %s", got);
			declined++;
		} else {
			if (!got)
				fail_msg("fast path declined %s", want);
			if (strcmp(got, want) != 0)
				fail_msg("fast path wrote\n%s\njansson\n%s", got, want);
			assert_int_equal(len, wlen);
			written++;
		}
		if (want) {
			assert_string_equal(text, want);
			assert_int_equal(tlen, wlen);
			char *shown = jerry_item_json(it, 0);
			assert_non_null(shown);
			assert_int_equal(strlen(shown), wlen - 1);
			assert_memory_equal(shown, want, wlen - 1);
			free(shown);
		} else {
			assert_null(text);
		}
		free(text);
		free(got);
		free(want);
		jerry_item_free(it);
	}
	/* every branch really ran */
	assert_true(declined > 1000);
	assert_true(ext > 100);
	assert_true(written > 3000);
}

/* jansson's export line: the reference for export_file.c's fast path. */
static char *jansson_export_line(const jerry_item *it, const char *history)
{
	json_t *o = jr_codec_encode(it, JR_ENCODE_FULL);
	if (!o)
		return NULL;
	if (history)
		json_object_set_new(o, JR_EXPORT_HISTORY_KEY, json_loads(history, 0, NULL));
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return text;
}

/*
 * An export line is jansson's compact bytes of the whole item, with or
 * without its history, whichever path wrote it: the fast encoder, which
 * declines as jr_itemfile_encode does and then leaves the buffer as it
 * was, or jansson.
 */
static void test_itemfile__export_line_writes_jansson_bytes(void **state)
{
	uint64_t x = 0x2545f4914f6cdd1dULL;
	int declined = 0, written = 0;
	jerry_history_entry h[2] = {
		{.version = 1, .at_ms = 1785000000000, .by = "agent \"a\"", .op = "create",
		 .changes = "{\"title\":\"caf\u00e9\"}"},
		{.version = 2, .at_ms = 1785000000001, .by = NULL, .op = NULL,
		 .changes = "{\"status\":{\"from\":\"pending\",\"to\":\"done\"}}"},
	};
	const char *hist = "[{\"version\":1,\"at\":\"2026-07-25T17:20:00.000Z\",\"by\":\"agent \\\"a\\\"\","
			   "\"op\":\"create\",\"changes\":{\"title\":\"caf\u00e9\"}},"
			   "{\"version\":2,\"at\":\"2026-07-25T17:20:00.001Z\",\"by\":null,"
			   "\"op\":\"update\",\"changes\":{\"status\":{\"from\":\"pending\",\"to\":\"done\"}}}]";
	(void)state;
	for (int i = 0; i < 3000; i++) {
		jerry_item *it = random_item(&x);
		struct jr_sb sb = JR_SB_INIT;
		assert_int_equal(jr_sb_addstr(&sb, "before"), 0);
		int rc = jr_item_compact_put(&sb, it);
		char *want = jansson_export_line(it, NULL);
		if (rc == JR_SUMMARY_DECLINE) {
			assert_string_equal(sb.buf, "before");
			assert_int_equal(sb.len, 6);
			declined++;
		} else {
			assert_int_equal(rc, 0);
			assert_non_null(want);
			assert_string_equal(sb.buf + 6, want);
			written++;
		}
		for (int with = 0; want && with < 2; with++) {
			char *full = with ? jansson_export_line(it, hist) : strdup(want);
			assert_non_null(full);
			sb.len = 0;
			assert_int_equal(jr_export_line(&sb, it, h, 2, with), 0);
			assert_int_equal(sb.len, strlen(full) + 1);
			assert_memory_equal(sb.buf, full, sb.len - 1);
			assert_int_equal(sb.buf[sb.len - 1], '\n');
			free(full);
		}
		free(want);
		jr_sb_release(&sb);
		jerry_item_free(it);
	}
	assert_true(declined > 500);
	assert_true(written > 1500);
}

/*
 * Whether the fast decoder and the jansson path agree on an item file: the
 * fast one declines, or both accept and build the same item.  Returns
 * whether the fast one accepted.
 */
static int file_agrees(const char *text, size_t len, int64_t expect)
{
	jerry_item *fast = NULL, *slow = NULL;
	int rc = jr_itemfile_decode(&fast, text, len, expect);
	if (rc == JR_SUMMARY_DECLINE) {
		assert_null(fast);
		return 0;
	}
	assert_int_equal(rc, 0);
	if (jansson_parse(&slow, text, len, expect) != 0)
		fail_msg("the fast path accepts what jansson refuses (expecting %lld):\n%.*s",
			 (long long)expect, (int)len, text);
	char *a = jansson_item(fast, NULL), *b = jansson_item(slow, NULL);
	assert_non_null(a);
	assert_non_null(b);
	if (strcmp(a, b) != 0)
		fail_msg("decoded differently from\n%.*s\nfast\n%s\nslow\n%s", (int)len, text, a, b);
	assert_int_equal(fast->num, slow->num);
	assert_string_equal(fast->id, slow->id);
	assert_false(fast->is_summary);
	assert_null(fast->ext);
	free(a);
	free(b);
	jerry_item_free(fast);
	jerry_item_free(slow);
	return 1;
}

/*
 * Every file jerry writes decodes to what jansson decodes it to, or is
 * declined; and every one jansson accepts and that has no unknown keys
 * takes the fast path and reads back as the bytes written.  The ID must be
 * the one expected, else jansson's path says so.
 */
static void test_itemfile__fast_decoder_agrees_and_takes_jerrys_files(void **state)
{
	uint64_t x = 0xd1b54a32d192ed03ULL;
	int fast = 0, valid = 0, wrong_id = 0;
	(void)state;
	for (int i = 0; i < 6000; i++) {
		jerry_item *it = random_item(&x), *slow = NULL;
		size_t len;
		char *text = jansson_item(it, &len);
		int64_t expect = one_in(&x, 4) ? 0 : one_in(&x, 8) ? it->num + 1 : it->num;
		if (text) {
			int accepted = file_agrees(text, len, expect);
			fast += accepted;
			if (expect > 0 && expect != it->num) {
				assert_false(accepted);
				wrong_id++;
			} else if (jansson_parse(&slow, text, len, expect) == 0 && !it->ext) {
				valid++;
				if (!accepted)
					fail_msg("declined a file jerry wrote:\n%s", text);
				char *again = jansson_item(slow, NULL);
				assert_string_equal(again, text);
				free(again);
			} else if (it->ext) {
				assert_false(accepted);
			}
			jerry_item_free(slow);
		}
		free(text);
		jerry_item_free(it);
	}
	assert_true(valid > 2200);
	assert_true(wrong_id > 200);
	assert_true(fast == valid);
}

/* jr_codec_parse_item and jr_codec_item_text with the fast paths in: the same items. */
static void test_itemfile__parse_item_takes_the_fast_path_and_keeps_errors(void **state)
{
	jerry_item *it = full_item(), *fast = NULL, *back = NULL;
	jerry_error err;
	size_t len;
	(void)state;
	char *text = jr_codec_item_text(it, &len);
	assert_non_null(text);
	assert_int_equal(jr_itemfile_decode(&fast, text, len, 7), 0);
	assert_items_equal(it, fast);
	assert_int_equal(jr_codec_parse_item(&back, text, len, "f", 7, NULL), 0);
	assert_items_equal(it, back);
	jerry_item_free(back);
	/* another ID than the file name's: declined, and jansson's path words it */
	assert_int_equal(jr_itemfile_decode(&back, text, len, 8), JR_SUMMARY_DECLINE);
	assert_null(back);
	jerry_error_clear(&err);
	assert_int_equal(jr_codec_parse_item(&back, text, len, "items/WORK-008.json", 8, &err),
			 JERRY_ECORRUPT);
	assert_non_null(strstr(err.message, "holds item WORK-007, not WORK-008"));
	free(text);
	jerry_item_free(fast);
	jerry_item_free(it);
}

/* full_item()'s file, as the hostile cases below change it. */
static char *base_file(size_t *len)
{
	jerry_item *it = full_item();
	char *text = jr_codec_item_text(it, len);
	assert_non_null(text);
	jerry_item_free(it);
	return text;
}

static const char min_file[] =
	"{\n  \"id\": \"WORK-001\",\n  \"uid\": \"1\",\n  \"version\": 1,\n  \"title\": \"\",\n"
	"  \"description\": null,\n  \"type\": \"task\",\n  \"status\": \"pending\",\n"
	"  \"priority\": \"medium\",\n  \"labels\": [],\n  \"assignee\": null,\n  \"parent\": null,\n"
	"  \"depends_on\": [],\n  \"claim\": null,\n  \"notes\": [],\n"
	"  \"created_at\": \"2026-07-25T17:20:01.000Z\",\n  \"created_by\": null,\n"
	"  \"updated_at\": \"2026-07-25T17:20:01.500Z\",\n  \"updated_by\": null,\n"
	"  \"completed_at\": null\n}\n";

/*
 * Hostile and odd files.  Those in `decline` are refused by jansson or not
 * in jerry's shape, and the fast path must leave them to jansson; those in
 * `accept`, escapes and other spellings that jansson reads, it must take,
 * agreeing; those in `either` it may take or leave, but agreeing.  Then every truncation, and
 * every one-byte change, deletion and insertion of two base files.
 */
static void test_itemfile__hostile_files_are_declined_or_agree(void **state)
{
	static const struct { const char *from, *to; } decline[] = {
		/* keys: duplicated, reordered, unknown, missing */
		{"\"title\": ", "\"title\": \"again\",\n  \"title\": "},
		{"  \"notes\": [", "  \"notes\": [],\n  \"notes\": ["},
		{"\"status\": \"in_progress\",\n  \"priority\": \"high\"",
		 "\"priority\": \"high\",\n  \"status\": \"in_progress\""},
		{"\"by\": \"alice\",\n      \"text\": \"first note\"",
		 "\"text\": \"first note\",\n      \"by\": \"alice\""},
		{"\n}\n", ",\n  \"x_estimate\": 3\n}\n"},
		{"\n}\n", ",\n  \"unconfirmed\": true\n}\n"},
		{"\n    \"session\": \"sid-9\",", ""},
		{"\n      \"by\": null,", ""},
		{"  \"description\": \"line one\\nline two\\ttabbed\",\n", ""},
		{"  \"notes\": [", "  \"x\": 1,\n  \"notes\": ["},
		/* whitespace and layout */
		{"{\n  \"id\"", "{\n   \"id\""},
		{"{\n  \"id\"", " {\n  \"id\""},
		{"\"id\": ", "\"id\":  "},
		{"\"id\": ", "\"id\" : "},
		{"\"id\": ", "\"id\":"},
		{",\n  \"uid\"", ",\r\n  \"uid\""},
		{",\n  \"uid\"", "\n  ,\"uid\""},
		{"\n}\n", "\n}"},
		{"\n}\n", "\n}\n\n"},
		{"\n}\n", "\n} \n"},
		{"\n}\n", "\n}\n}"},
		{"\"auth\",\n    \"frontend\"", "\"auth\", \"frontend\""},
		{"  \"labels\": [\n    \"auth\",\n    \"frontend\"\n  ]",
		 "  \"labels\": [\"auth\",\"frontend\"]"},
		{"\"WORK-002\",\n    \"WORK-005\"\n  ]", "\"WORK-002\",\n    \"WORK-005\"\n ]"},
		{"\"WORK-002\",\n    \"WORK-005\"\n  ]", "\"WORK-002\",\n    \"WORK-005\",\n  ]"},
		{"\"text\": \"first note\"\n    }", "\"text\": \"first note\"\n   }"},
		{"\"expires_at\": \"2026-01-01T00:05:00.000Z\"\n  }",
		 "\"expires_at\": \"2026-01-01T00:05:00.000Z\"}"},
		/* types and values */
		{"\"version\": 4", "\"version\": \"4\""},
		{"\"version\": 4", "\"version\": 4.0"},
		{"\"version\": 4", "\"version\": 0"},
		{"\"version\": 4", "\"version\": 04"},
		{"\"version\": 4", "\"version\": 9223372036854775808"},
		{"\"version\": 4", "\"version\": 9223372036854775807"},
		{"\"version\": 4", "\"version\": 9007199254740992"},
		{"\"uid\": \"18446744073709551000\"", "\"uid\": 5"},
		{"\"uid\": \"18446744073709551000\"", "\"uid\": \"18446744073709551616\""},
		{"\"title\": \"Fix", "\"title\": 5, \"x\": \"Fix"},
		{"\"description\": \"line one", "\"description\": null, \"x\": \"line one"},
		{"  \"labels\": [\n    \"auth\",\n    \"frontend\"\n  ]", "  \"labels\": null"},
		{"  \"labels\": [\n    \"auth\",\n    \"frontend\"\n  ]", "  \"labels\": \"auth\""},
		{"\n    \"auth\",", "\n    1,"},
		{"  \"depends_on\": [\n    \"WORK-002\",\n    \"WORK-005\"\n  ]", "  \"depends_on\": null"},
		{"\n    \"WORK-002\",", "\n    null,"},
		{"\n    \"WORK-002\",", "\n    \"WORK-000\","},
		{"\n    \"WORK-002\",", "\n    \"../x\","},
		{"\"parent\": \"WORK-003\"", "\"parent\": 3"},
		{"\"type\": \"bug\"", "\"type\": \"chore\""},
		{"\"type\": \"bug\"", "\"type\": \"BUG\""},
		{"\"type\": \"bug\"", "\"type\": \"b\\u0075g\""},
		{"\"id\": \"WORK-007\"", "\"id\": \"WORK-\\u0030\\u00307\""},
		{"\"created_at\": \"2026-01-01T00:00:00.000Z\"", "\"created_at\": null"},
		{"\"created_at\": \"2026-01-01T00:00:00.000Z\"",
		 "\"created_at\": \"2026-01-01T00:00:00.000\\u005a\""},
		{"\"at\": \"2026-01-01T00:00:01.234Z\"", "\"at\": null"},
		{"\"expires_at\": \"2026-01-01T00:05:00.000Z\"", "\"expires_at\": null"},
		{"\"by\": \"agent-1@host:42\"", "\"by\": null"},
		{"\"text\": \"first note\"", "\"text\": null"},
		{"\"text\": \"first note\"", "\"text\": [\"first note\"]"},
		{"  \"notes\": [\n    {", "  \"notes\": {\"a\": [\n    {"},
		{"  \"claim\": {\n", "  \"claim\": [\n"},
		{"\"completed_at\": null", "\"completed_at\": false"},
		{"\"completed_at\": null", "\"completed_at\": nul"},
		{"\"completed_at\": null", "\"completed_at\": nullx"},
		/* strings jansson refuses */
		{"first note", "first\\u0000note"},
		{"first note", "first\\u0000"},
		{"first note", "first\\ud83dnote"},
		{"first note", "first\\ud83d"},
		{"first note", "first\\ude00note"},
		{"first note", "first\\ud83d\\u0041note"},
		{"first note", "first\\ud83d\\ud83dnote"},
		{"first note", "first\\ud83d\\\\ude00note"},
		{"first note", "first\\u12"},
		{"first note", "first\\u12g4"},
		{"first note", "first\\uZZZZ"},
		{"first note", "first\\x41"},
		{"first note", "first\\U0041"},
		{"first note", "first\\'"},
		{"first note", "first\\"},
		{"first note", "first\\\xc3\xa9"},
		{"first note", "first\tnote"},
		{"first note", "first\nnote"},
		{"first note", "first\x01note"},
		{"first note", "first\x1fnote"},
		{"first note", "first\xc0\xafnote"},
		{"first note", "first\xe0\x80\xafnote"},
		{"first note", "first\xf0\x80\x80\xafnote"},
		{"first note", "first\xed\xa0\x80note"},
		{"first note", "first\xf4\x90\x80\x80note"},
		{"first note", "first\xe2\x82note"},
		{"first note", "first\xe2\x82"},
		{"first note", "first\x80note"},
		{"first note", "first\xffnote"},
		{"first note", "first\xc3"},
		{"\"title\": ", "\"title\": \xc3\xa9"},
		/* the file must be the item it is named for */
		{"\"id\": \"WORK-007\"", "\"id\": \"WORK-008\""},
		{"\"id\": \"WORK-007\"", "\"id\": \"7x\""},
		{"\"id\": \"WORK-007\"", "\"id\": 7"},
	};
	static const struct { const char *from, *to; } accept[] = {
		{"first note", "first\\u0041\\u00e9\\u00E9\\u20ac\\/\\b\\f\\r\\t\\n\\\\\\\"note"},
		{"first note", "first\\ud83d\\ude00\\uD83D\\uDE00\\udbff\\udfff\\ud800\\udc00"},
		{"first note", "\\u0001\\u001F\\u007f\\u0080\\u07ff\\u0800\\uffff"},
		{"first note", "\xf4\x8f\xbf\xbf\xc2\x80\xed\x9f\xbf\xee\x80\x80\x7f"},
		{"first note", ""},
		{"first note", "\\\""},
		{"line one", "line \\\"one\\\" \\\\ \\/"},
		{"\"title\": \"Fix the", "\"title\": \"\\u0046ix the"},
		{"\"by\": \"alice\"", "\"by\": \"\\u0061lice\""},
		{"\"id\": \"WORK-007\"", "\"id\": \"WORK-7\""},
		{"\"id\": \"WORK-007\"", "\"id\": \"work-007\""},
		{"\"id\": \"WORK-007\"", "\"id\": \"WORK-0007\""},
		{"\"id\": \"WORK-007\"", "\"id\": \"7\""},
		{"\"parent\": \"WORK-003\"", "\"parent\": \"3\""},
		{"\n    \"WORK-002\",", "\n    \"WORK-005\",\n    \"2\","},
		{"\n    \"auth\",", "\n    \"frontend\",\n    \"auth\",\n    \"\","},
		{"\"uid\": \"18446744073709551000\"", "\"uid\": \"18446744073709551615\""},
		{"\"version\": 4", "\"version\": 9007199254740991"},
		{"\"created_at\": \"2026-01-01T00:00:00.000Z\"", "\"created_at\": \"2026-01-01 00:00:00+00:00\""},
		{"\"created_at\": \"2026-01-01T00:00:00.000Z\"", "\"created_at\": \"2026-01-01T00:00:60.9999z\""},
		{"\"at\": \"2026-01-01T00:00:01.234Z\"", "\"at\": \"1970-01-01T00:00:00.001Z\""},
		{"\"description\": \"line one\\nline two\\ttabbed\"", "\"description\": null"},
		{"\"description\": \"line one\\nline two\\ttabbed\"", "\"description\": \"\""},
		{"\"session\": \"sid-9\"", "\"session\": null"},
		{"\"claim\": {\n    \"by\": \"agent-1@host:42\",\n    \"session\": \"sid-9\",\n"
		 "    \"expires_at\": \"2026-01-01T00:05:00.000Z\"\n  }", "\"claim\": null"},
	};
	static const struct { const char *from, *to; } either[] = {
		{"\"uid\": \"18446744073709551000\"", "\"uid\": \"0018446744073709551000\""},
		{"\"uid\": \"18446744073709551000\"", "\"uid\": \"0\""},
		{"\"expires_at\": \"2026-01-01T00:05:00.000Z\"", "\"expires_at\": \"1970-01-01T00:00:00Z\""},
		{"\"created_at\": \"2026-01-01T00:00:00.000Z\"", "\"created_at\": \"2026-02-31T00:00:00.000Z\""},
		{"\"created_at\": \"2026-01-01T00:00:00.000Z\"", "\"created_at\": \"0000-01-01T00:00:00.000Z\""},
	};
	static const char bytes[] = "\"\\ 0129x}{[],:-.eTZun\n\t\x01\x1f\x7f\x80\xc3\xff";
	size_t blen;
	char *base = base_file(&blen);
	const char *bases[] = {base, min_file};
	const int64_t nums[] = {7, 1};
	(void)state;
	assert_true(file_agrees(base, blen, 7));
	assert_true(file_agrees(min_file, strlen(min_file), 1));
	assert_true(file_agrees(min_file, strlen(min_file), 0));
	for (size_t i = 0; i < sizeof(decline) / sizeof(decline[0]); i++) {
		char *text = replaced(base, decline[i].from, decline[i].to);
		jerry_item *it = NULL;
		if (jr_itemfile_decode(&it, text, strlen(text), 7) != JR_SUMMARY_DECLINE)
			fail_msg("not declined (case %zu):\n%s", i, text);
		assert_null(it);
		free(text);
	}
	for (size_t i = 0; i < sizeof(accept) / sizeof(accept[0]); i++) {
		char *text = replaced(base, accept[i].from, accept[i].to);
		if (!file_agrees(text, strlen(text), 7))
			fail_msg("declined (case %zu):\n%s", i, text);
		free(text);
	}
	for (size_t i = 0; i < sizeof(either) / sizeof(either[0]); i++) {
		char *text = replaced(base, either[i].from, either[i].to);
		file_agrees(text, strlen(text), 7);
		free(text);
	}
	for (size_t b = 0; b < 2; b++)
		mutate_all(bases[b], strlen(bases[b]), bytes, file_agrees, nums[b]);
	free(base);
}

/* The limits jr_codec_decode enforces through the domain hold on the fast path too. */
static void test_itemfile__limits_hold_on_the_fast_path(void **state)
{
	(void)state;
	for (int extra = 0; extra <= 1; extra++) {
		/* labels: JR_LABELS_MAX, and one more, which jr_labels_add refuses */
		size_t size = (JR_LABELS_MAX + 1) * 16 + 64;
		char *list = malloc(size), *w = list, *text;
		jerry_item *it = NULL;
		assert_non_null(list);
		w += sprintf(w, "\"labels\": [");
		for (int i = 0; i < JR_LABELS_MAX + extra; i++)
			w += sprintf(w, "%s\n    \"l%05d\"", i ? "," : "", i);
		sprintf(w, "\n  ]");
		text = replaced(min_file, "\"labels\": []", list);
		if (extra)
			assert_int_equal(jr_itemfile_decode(&it, text, strlen(text), 1), JR_SUMMARY_DECLINE);
		else
			assert_true(file_agrees(text, strlen(text), 1));
		jerry_item_free(it);
		free(text);
		/* depends_on: JR_DEPENDS_MAX, and one more */
		w = list;
		w += sprintf(w, "\"depends_on\": [");
		for (int i = 1; i <= JR_DEPENDS_MAX + extra; i++)
			w += sprintf(w, "%s\n    \"WORK-%03d\"", i > 1 ? "," : "", i);
		sprintf(w, "\n  ]");
		text = replaced(min_file, "\"depends_on\": []", list);
		if (extra)
			assert_int_equal(jr_itemfile_decode(&it, text, strlen(text), 1), JR_SUMMARY_DECLINE);
		else
			assert_true(file_agrees(text, strlen(text), 1));
		jerry_item_free(it);
		free(text);
		free(list);
	}
	for (int extra = 0; extra <= 1; extra++) {
		/* notes: JR_NOTES_MAX, read back byte for byte, and one more */
		static const char one[] = "\n    {\n      \"at\": \"2026-07-25T17:20:01.000Z\",\n"
					  "      \"by\": null,\n      \"text\": \"n\"\n    }";
		size_t size = (JR_NOTES_MAX + 1) * sizeof(one) + 64, len;
		char *list = malloc(size), *w = list, *text, *again;
		jerry_item *it = NULL;
		assert_non_null(list);
		w += sprintf(w, "\"notes\": [");
		for (int i = 0; i < JR_NOTES_MAX + extra; i++)
			w = stpcpy(stpcpy(w, i ? "," : ""), one);
		sprintf(w, "\n  ]");
		text = replaced(min_file, "\"notes\": []", list);
		if (extra) {
			assert_int_equal(jr_itemfile_decode(&it, text, strlen(text), 1), JR_SUMMARY_DECLINE);
		} else {
			assert_int_equal(jr_itemfile_decode(&it, text, strlen(text), 1), 0);
			assert_int_equal(it->nnotes, JR_NOTES_MAX);
			assert_int_equal(jr_notes_append(it, 1, NULL, "x"), JERRY_EINVALID);
			again = jr_itemfile_encode(it, &len);
			assert_non_null(again);
			assert_int_equal(len, strlen(text));
			assert_string_equal(again, text);
			free(again);
		}
		jerry_item_free(it);
		free(text);
		free(list);
	}
}

/* jerry_history_json: what history and log --json print, entry by entry. */
static void test_history__entry_json_names_the_item_first_and_leaves_out_the_unknown(void **state)
{
	(void)state;
	jerry_history_entry e = {0};
	e.version = 3;
	jerry_time_parse(&e.at_ms, "2026-01-02T03:04:05.678Z");
	e.op = "update";
	e.changes = "{\"title\":{\"from\":\"a\",\"to\":\"b\"}}";
	char *text = jerry_history_json(&e, "WORK-007", JERRY_JSON_COMPACT);
	assert_non_null(text);
	/* no "by": an entry whose writer is unknown */
	assert_string_equal(text, "{\"id\":\"WORK-007\",\"version\":3,\"at\":"
				  "\"2026-01-02T03:04:05.678Z\",\"op\":\"update\",\"changes\":"
				  "{\"title\":{\"from\":\"a\",\"to\":\"b\"}}}");
	free(text);
	/* history's own: no id; indented; changes that are not JSON are left out */
	e.by = "alice";
	e.changes = "{not json";
	text = jerry_history_json(&e, NULL, 0);
	assert_non_null(text);
	assert_string_equal(text, "{\n  \"version\": 3,\n  \"at\": \"2026-01-02T03:04:05.678Z\",\n"
				  "  \"by\": \"alice\",\n  \"op\": \"update\"\n}");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codec__full_item_round_trips),
		cmocka_unit_test(test_codec__keys_come_in_one_fixed_order),
		cmocka_unit_test(test_codec__claim_token_in_file_not_in_summary),
		cmocka_unit_test(test_codec__summary_omits_description_and_notes),
		cmocka_unit_test(test_codec__unknown_keys_survive_a_rewrite),
		cmocka_unit_test(test_codec__uid_is_written_as_string_and_read_from_either),
		cmocka_unit_test(test_codec__parse_error_gives_path_line_and_column),
		cmocka_unit_test(test_codec__duplicate_keys_are_corrupt),
		cmocka_unit_test(test_codec__wrong_types_are_corrupt_and_name_file_and_field),
		cmocka_unit_test(test_codec__file_holding_another_id_is_corrupt),
		cmocka_unit_test(test_codec__public_json_renders_items_and_arrays),
		cmocka_unit_test(test_summary__fast_encoder_writes_jansson_bytes),
		cmocka_unit_test(test_summary__fast_decoder_agrees_and_takes_canonical_lines),
		cmocka_unit_test(test_summary__hostile_lines_are_declined_or_agree),
		cmocka_unit_test(test_itemfile__fast_encoder_writes_jansson_bytes),
		cmocka_unit_test(test_itemfile__export_line_writes_jansson_bytes),
		cmocka_unit_test(test_itemfile__fast_decoder_agrees_and_takes_jerrys_files),
		cmocka_unit_test(test_itemfile__parse_item_takes_the_fast_path_and_keeps_errors),
		cmocka_unit_test(test_itemfile__hostile_files_are_declined_or_agree),
		cmocka_unit_test(test_itemfile__limits_hold_on_the_fast_path),
		cmocka_unit_test(test_history__entry_json_names_the_item_first_and_leaves_out_the_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
