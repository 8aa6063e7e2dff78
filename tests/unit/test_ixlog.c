/*
 * test_ixlog.c - the records of index.log (src/store/ixlog.h): the bytes
 * jerry writes (a contract, doc/FORMAT.md), each kind read back, a torn
 * last line, hostile content, and lines that are no record.
 */
#include "harness.h"
#include "store/ixlog.h"

#include <jansson.h>

/* recs[0..n) formatted into a malloc'd string; its length in *len. */
static char *format(const jr_ixlog_rec *recs, size_t n, size_t *len)
{
	*len = jr_ixlog_format(NULL, 0, recs, n);
	char *buf = malloc(*len + 1);
	assert_non_null(buf);
	assert_int_equal(jr_ixlog_format(buf, *len + 1, recs, n), *len);
	assert_int_equal(strlen(buf), *len);
	return buf;
}

/* A whole log: header of generation 7 and then body. */
static char *with_header(const char *body, size_t *len)
{
	char head[96];
	size_t hl = jr_ixlog_header(head, sizeof(head), 7);
	size_t bl = strlen(body);
	char *buf = malloc(hl + bl + 1);
	assert_non_null(buf);
	memcpy(buf, head, hl);
	memcpy(buf + hl, body, bl + 1);
	*len = hl + bl;
	return buf;
}

static void assert_json_text(const char *got, size_t len, const char *want)
{
	assert_int_equal(len, strlen(want));
	assert_memory_equal(got, want, len);
}

static void test_ixlog__every_kind_is_written_as_the_format_says(void **state)
{
	(void)state;
	char head[96];
	size_t n = jr_ixlog_header(head, sizeof(head), 7);
	assert_string_equal(head, "{\"jerry_index_log\":1,\"generation\":7}\n");
	assert_int_equal(n, strlen(head));

	const char *entry = "{\"version\":5,\"op\":\"update\"}";
	const char *summary = "{\"id\":\"WORK-007\",\"version\":5}";
	jr_ixlog_rec recs[] = {
		{.kind = JR_IXLOG_HISTORY, .num = 7, .json = entry, .len = strlen(entry)},
		{.kind = JR_IXLOG_PUT, .json = summary, .len = strlen(summary)},
		{.kind = JR_IXLOG_OK, .num = 7, .version = 5},
		{.kind = JR_IXLOG_OK, .num = 12345, .version = 1234567890123LL},
	};
	size_t len;
	char *text = format(recs, 4, &len);
	assert_string_equal(text,
			    "{\"id\":\"WORK-007\",\"history\":{\"version\":5,\"op\":\"update\"}}\n"
			    "{\"put\":{\"id\":\"WORK-007\",\"version\":5}}\n"
			    "{\"ok\":\"WORK-007\",\"version\":5}\n"
			    "{\"ok\":\"WORK-12345\",\"version\":1234567890123}\n");
	/* A buffer too small gets what fits, terminated, and the length it needs. */
	char small[10];
	assert_int_equal(jr_ixlog_format(small, sizeof(small), recs + 2, 1), 30);
	assert_string_equal(small, "{\"ok\":\"WO");
	free(text);
}

static void test_ixlog__every_kind_reads_back(void **state)
{
	(void)state;
	const char *entry = "{\"version\":2,\"at\":\"2026-01-01T00:00:00.000Z\",\"changes\":{}}";
	const char *summary = "{\"id\":\"WORK-042\",\"version\":2,\"title\":\"t\"}";
	jr_ixlog_rec recs[] = {
		{.kind = JR_IXLOG_HISTORY, .num = 42, .json = entry, .len = strlen(entry)},
		{.kind = JR_IXLOG_PUT, .json = summary, .len = strlen(summary)},
		{.kind = JR_IXLOG_OK, .num = 42, .version = 2},
	};
	size_t blen, len;
	char *body = format(recs, 3, &blen);
	char *log = with_header(body, &len);
	jr_ixlog_iter it;
	uint64_t gen = 0;
	assert_int_equal(jr_ixlog_begin(&it, log, len, 1, &gen), 0);
	assert_int_equal(gen, 7);

	assert_int_equal(jr_ixlog_next(&it), JR_IXLOG_HISTORY);
	assert_int_equal(it.lineno, 2);
	assert_int_equal(it.rec.num, 42);
	assert_json_text(it.rec.json, it.rec.len, entry);

	assert_int_equal(jr_ixlog_next(&it), JR_IXLOG_PUT);
	assert_int_equal(it.lineno, 3);
	assert_json_text(it.rec.json, it.rec.len, summary);

	assert_int_equal(jr_ixlog_next(&it), JR_IXLOG_OK);
	assert_int_equal(it.lineno, 4);
	assert_int_equal(it.rec.num, 42);
	assert_int_equal(it.rec.version, 2);

	assert_int_equal(jr_ixlog_next(&it), 0);
	assert_int_equal(jr_ixlog_next(&it), 0);
	jr_ixlog_end(&it);

	/* A walk that wants history records only passes over the others. */
	assert_int_equal(jr_ixlog_begin(&it, log, len, 1, &gen), 0);
	it.want = JR_IXLOG_BIT(JR_IXLOG_HISTORY);
	assert_int_equal(jr_ixlog_next(&it), JR_IXLOG_HISTORY);
	assert_int_equal(jr_ixlog_next(&it), 0);
	assert_int_equal(it.lineno, 4);
	jr_ixlog_end(&it);
	free(log);
	free(body);
}

/* The same records in another spelling (by hand, another tool) mean the same. */
static void test_ixlog__other_spellings_mean_the_same(void **state)
{
	(void)state;
	const char *body = "{\"history\": {\"version\": 3}, \"id\": \"work-9\"}\n"
			   "{ \"put\" : {\"id\":\"WORK-009\",\"version\":3} }\n"
			   "{\"version\":3,\"ok\":\"9\"}\r\n"
			   "\n"
			   "{\"ok\":\"WORK-009\",\"version\":\"3\"}\n"
			   "{\"ok\":\"not an id\",\"version\":3},\n";
	size_t len;
	char *log = with_header(body, &len);
	jr_ixlog_iter it;
	uint64_t gen;
	assert_int_equal(jr_ixlog_begin(&it, log, len, 1, &gen), 0);
	assert_int_equal(jr_ixlog_next(&it), JR_IXLOG_HISTORY);
	assert_int_equal(it.rec.num, 9);
	assert_json_text(it.rec.json, it.rec.len, "{\"version\":3}");
	assert_int_equal(jr_ixlog_next(&it), JR_IXLOG_PUT);
	assert_null(it.rec.json);
	char *put = json_dumps(it.rec.value, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(put, "{\"id\":\"WORK-009\",\"version\":3}");
	free(put);
	assert_int_equal(jr_ixlog_next(&it), JR_IXLOG_OK);
	assert_int_equal(it.rec.num, 9);
	assert_int_equal(it.rec.version, 3);
	/* The blank line is skipped; a version that is no number matches none. */
	assert_int_equal(jr_ixlog_next(&it), JR_IXLOG_OK);
	assert_int_equal(it.lineno, 6);
	assert_int_equal(it.rec.version, -1);
	assert_int_equal(jr_ixlog_next(&it), JR_IXLOG_OK);
	assert_int_equal(it.rec.num, -1);
	assert_int_equal(jr_ixlog_next(&it), 0);
	jr_ixlog_end(&it);
	free(log);
}

static void test_ixlog__a_torn_last_line_is_the_end(void **state)
{
	(void)state;
	const char *body = "{\"ok\":\"WORK-001\",\"version\":1}\n"
			   "{\"put\":{\"id\":\"WORK-002\",\"vers";
	size_t len;
	char *log = with_header(body, &len);
	jr_ixlog_iter it;
	uint64_t gen;
	assert_int_equal(jr_ixlog_begin(&it, log, len, 1, &gen), 0);
	assert_int_equal(jr_ixlog_next(&it), JR_IXLOG_OK);
	assert_int_equal(jr_ixlog_next(&it), 0);
	jr_ixlog_end(&it);

	/* Even a torn line that would be a whole record is not one. */
	const char *whole = "{\"ok\":\"WORK-001\",\"version\":1}";
	assert_int_equal(jr_ixlog_begin(&it, whole, strlen(whole), 0, &gen), -1);
	free(log);
	log = with_header(whole, &len);
	assert_int_equal(jr_ixlog_begin(&it, log, len, 1, &gen), 0);
	assert_int_equal(jr_ixlog_next(&it), 0);
	jr_ixlog_end(&it);

	/* A header without its newline is a log with no records yet. */
	const char *bare = "{\"jerry_index_log\":1,\"generation\":3}";
	assert_int_equal(jr_ixlog_begin(&it, bare, strlen(bare), 1, &gen), 0);
	assert_int_equal(gen, 3);
	assert_int_equal(jr_ixlog_next(&it), 0);
	jr_ixlog_end(&it);
	free(log);
}

static void test_ixlog__hostile_content_round_trips(void **state)
{
	(void)state;
	/* A title built to look like the record around it, and a long one. */
	size_t big = 200000;
	char *longtitle = malloc(big + 1);
	assert_non_null(longtitle);
	memset(longtitle, 'x', big);
	longtitle[big] = '\0';
	json_t *e = json_pack("{s:i,s:s,s:{s:{s:s,s:s}}}", "version", 2, "by",
			      "\"},\"history\":{\"ok\":\"WORK-001\",\"version\":1}\n",
			      "changes", "title", "from", "line\none \"quoted\" \\ \xe2\x82\xac",
			      "to", longtitle);
	assert_non_null(e);
	char *entry = json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_t *s = json_pack("{s:s,s:s}", "id", "WORK-001", "title", "{\"put\":}\n\"ok\"");
	char *summary = json_dumps(s, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_non_null(entry);
	assert_non_null(summary);
	jr_ixlog_rec recs[] = {
		{.kind = JR_IXLOG_HISTORY, .num = 1, .json = entry, .len = strlen(entry)},
		{.kind = JR_IXLOG_PUT, .json = summary, .len = strlen(summary)},
	};
	size_t blen, len;
	char *body = format(recs, 2, &blen);
	/* One line per record, whatever the content: newlines are escaped. */
	assert_int_equal((const char *)memchr(body, '\n', blen) - body, strlen(entry) + 28);
	char *log = with_header(body, &len);
	jr_ixlog_iter it;
	uint64_t gen;
	assert_int_equal(jr_ixlog_begin(&it, log, len, 1, &gen), 0);
	assert_int_equal(jr_ixlog_next(&it), JR_IXLOG_HISTORY);
	assert_int_equal(it.rec.num, 1);
	assert_json_text(it.rec.json, it.rec.len, entry);
	assert_int_equal(jr_ixlog_next(&it), JR_IXLOG_PUT);
	assert_json_text(it.rec.json, it.rec.len, summary);
	assert_int_equal(jr_ixlog_next(&it), 0);
	jr_ixlog_end(&it);

	/* The jansson reading of the same lines agrees with the quick one. */
	jr_ixlog_rec r;
	char why[160];
	const char *nl = memchr(body, '\n', blen);
	assert_int_equal(jr_ixlog_decode(&r, body, (size_t)(nl - body), why, sizeof(why)),
			 JR_IXLOG_HISTORY);
	assert_int_equal(r.unchecked, 1);
	jr_ixlog_rec_release(&r);
	assert_int_equal(jr_ixlog_begin(&it, log, len, 1, &gen), 0);
	assert_int_equal(jr_ixlog_next(&it), JR_IXLOG_HISTORY);
	assert_int_equal(jr_ixlog_reread(&it), JR_IXLOG_HISTORY);
	assert_int_equal(it.rec.unchecked, 0);
	assert_int_equal(it.rec.num, 1);
	assert_json_text(it.rec.json, it.rec.len, entry);
	jr_ixlog_end(&it);

	free(log);
	free(body);
	free(entry);
	free(summary);
	free(longtitle);
	json_decref(e);
	json_decref(s);
}

static void test_ixlog__lines_that_are_no_record_are_reported(void **state)
{
	(void)state;
	const char *body = "{\"delete\":\"WORK-001\"}\n"
			   "[1,2]\n"
			   "{\"put\":{\"id\":\"WORK-001\"}\n"
			   "{\"ok\":5,\"version\":1}\n"
			   "{\"ok\":\"WORK-001\",\"version\":1}\n";
	size_t len;
	char *log = with_header(body, &len);
	jr_ixlog_iter it;
	uint64_t gen;
	assert_int_equal(jr_ixlog_begin(&it, log, len, 1, &gen), 0);
	/* An unknown kind: reported with its line, and the walk goes on. */
	assert_int_equal(jr_ixlog_next(&it), JERRY_ECORRUPT);
	assert_int_equal(it.lineno, 2);
	assert_string_equal(it.why, "neither a put nor an ok record");
	assert_int_equal(jr_ixlog_next(&it), JERRY_ECORRUPT);
	assert_int_equal(it.lineno, 3);
	/* Looks like jerry's put but is not JSON: taken, and rereading says why. */
	assert_int_equal(jr_ixlog_next(&it), JR_IXLOG_PUT);
	assert_int_equal(it.rec.unchecked, 1);
	assert_int_equal(jr_ixlog_reread(&it), JERRY_ECORRUPT);
	assert_true(strlen(it.why) > 0);
	assert_int_equal(jr_ixlog_next(&it), JERRY_ECORRUPT);
	assert_int_equal(it.lineno, 5);
	assert_int_equal(jr_ixlog_next(&it), JR_IXLOG_OK);
	assert_int_equal(jr_ixlog_next(&it), 0);
	jr_ixlog_end(&it);

	/* Not a log at all, or a log header without its magic when it is asked for. */
	const char *snap = "[\n{\"jerry_index\":1,\"generation\":7,\"count\":0}\n]\n";
	assert_int_equal(jr_ixlog_begin(&it, snap, strlen(snap), 0, &gen), -1);
	const char *nomagic = "{\"generation\":4}\n";
	assert_int_equal(jr_ixlog_begin(&it, nomagic, strlen(nomagic), 1, &gen), -1);
	assert_int_equal(jr_ixlog_begin(&it, nomagic, strlen(nomagic), 0, &gen), 0);
	assert_int_equal(gen, 4);
	jr_ixlog_end(&it);
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ixlog__every_kind_is_written_as_the_format_says),
		cmocka_unit_test(test_ixlog__every_kind_reads_back),
		cmocka_unit_test(test_ixlog__other_spellings_mean_the_same),
		cmocka_unit_test(test_ixlog__a_torn_last_line_is_the_end),
		cmocka_unit_test(test_ixlog__hostile_content_round_trips),
		cmocka_unit_test(test_ixlog__lines_that_are_no_record_are_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
