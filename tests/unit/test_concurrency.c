/*
 * test_concurrency.c - many processes on one store, each with its own
 * jerry_store (so its own lock descriptions): no write may be lost, no
 * number handed out twice.
 */
#include "harness.h"

#define NPROC 16
#define NOTES_EACH 50
#define CREATES_EACH 25

struct worker {
	const char *dir;
	int index;
};

/* Runs in a child: no cmocka asserts here, only an exit status. */
static int append_notes(void *arg)
{
	struct worker *w = arg;
	jerry_open_opts o;
	jerry_store *st = NULL;
	char name[32];
	int rc = 0;
	jerry_open_opts_init(&o);
	o.data_dir = w->dir;
	o.sync = 0;
	o.lock_timeout_ms = 120000;
	snprintf(name, sizeof(name), "worker-%d", w->index);
	o.instance = name;
	if (jerry_store_open(&st, &o, NULL))
		return 1;
	for (int i = 0; i < NOTES_EACH && !rc; i++) {
		char text[64];
		jerry_change c;
		jerry_item *it = NULL;
		jerry_error err;
		memset(&c, 0, sizeof(c));
		snprintf(text, sizeof(text), "note %d.%d", w->index, i);
		c.note = text;
		rc = jerry_update(&it, st, "WORK-001", &c, &err);
		if (rc)
			fprintf(stderr, "worker %d: %s\n", w->index, err.message);
		jerry_item_free(it);
	}
	jerry_store_free(st);
	return rc;
}

static int create_items(void *arg)
{
	struct worker *w = arg;
	jerry_open_opts o;
	jerry_store *st = NULL;
	int rc = 0;
	jerry_open_opts_init(&o);
	o.data_dir = w->dir;
	o.sync = 0;
	o.lock_timeout_ms = 120000;
	if (jerry_store_open(&st, &o, NULL))
		return 1;
	for (int i = 0; i < CREATES_EACH && !rc; i++) {
		char title[64];
		jerry_create_spec spec;
		jerry_item *it = NULL;
		jerry_error err;
		memset(&spec, 0, sizeof(spec));
		snprintf(title, sizeof(title), "item %d.%d", w->index, i);
		spec.title = title;
		rc = jerry_create(&it, st, &spec, &err);
		if (rc)
			fprintf(stderr, "worker %d: %s\n", w->index, err.message);
		jerry_item_free(it);
	}
	jerry_store_free(st);
	return rc;
}

static void run_workers(const char *dir, int (*fn)(void *))
{
	struct worker w[NPROC];
	pid_t pids[NPROC];
	for (int i = 0; i < NPROC; i++) {
		w[i].dir = dir;
		w[i].index = i;
		pids[i] = h_fork(fn, &w[i]);
	}
	int failed = 0;
	for (int i = 0; i < NPROC; i++) {
		int st = h_wait(pids[i]);
		if (st != 0) {
			print_error("worker %d ended with status %d\n", i, st);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void test_concurrency__parallel_note_appends_lose_nothing(void **state)
{
	h_store *s = *state;
	jerry_item *it = NULL;
	assert_int_equal(h_create(s->st, "shared", NULL, NULL), 1);
	run_workers(s->dir, append_notes);
	assert_int_equal(jerry_show(&it, s->st, "1", NULL), 0);
	assert_int_equal(it->nnotes, NPROC * NOTES_EACH);
	assert_int_equal(it->version, NPROC * NOTES_EACH + 1);
	/* every note exactly once, and each worker's in its own order */
	int next[NPROC];
	memset(next, 0, sizeof(next));
	for (size_t i = 0; i < it->nnotes; i++) {
		int wi = -1, k = -1;
		assert_int_equal(sscanf(it->notes[i].text, "note %d.%d", &wi, &k), 2);
		assert_true(wi >= 0 && wi < NPROC);
		assert_int_equal(k, next[wi]);
		next[wi]++;
		char by[32];
		snprintf(by, sizeof(by), "worker-%d", wi);
		assert_string_equal(it->notes[i].by, by);
	}
	for (int i = 0; i < NPROC; i++)
		assert_int_equal(next[i], NOTES_EACH);
	jerry_item_free(it);
	/* the index ends at the same version */
	jerry_item **items = NULL;
	size_t n = 0;
	jerry_filter f;
	memset(&f, 0, sizeof(f));
	assert_int_equal(jerry_list(&items, &n, s->st, &f, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0]->version, NPROC * NOTES_EACH + 1);
	jerry_item_array_free(items, n);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void test_concurrency__parallel_creates_get_distinct_ids(void **state)
{
	h_store *s = *state;
	const size_t total = NPROC * CREATES_EACH;
	run_workers(s->dir, create_items);
	jerry_item **items = NULL;
	size_t n = 0;
	jerry_filter f;
	memset(&f, 0, sizeof(f));
	f.all = 1;
	assert_int_equal(jerry_list(&items, &n, s->st, &f, NULL), 0);
	assert_int_equal(n, total);
	uint64_t *uids = calloc(n, sizeof(*uids));
	assert_non_null(uids);
	int titles[NPROC][CREATES_EACH];
	memset(titles, 0, sizeof(titles));
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(items[i]->num, (int64_t)i + 1); /* 1..400, no gap */
		uids[i] = items[i]->uid;
		int wi, k;
		assert_int_equal(sscanf(items[i]->title, "item %d.%d", &wi, &k), 2);
		titles[wi][k]++;
	}
	for (int wi = 0; wi < NPROC; wi++)
		for (int k = 0; k < CREATES_EACH; k++)
			assert_int_equal(titles[wi][k], 1);
	qsort(uids, n, sizeof(*uids), cmp_u64);
	for (size_t i = 1; i < n; i++)
		assert_true(uids[i] != uids[i - 1]);
	free(uids);
	jerry_item_array_free(items, n);

	jerry_report *r = NULL;
	assert_int_equal(jerry_check(&r, s->st, 0, NULL), 0);
	for (size_t i = 0; i < r->nproblems; i++)
		print_error("problem %s: %s\n", r->problems[i].kind, r->problems[i].message);
	assert_int_equal(r->nproblems, 0);
	assert_int_equal(r->items, total);
	jerry_report_free(r);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, h_store_setup, h_store_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_concurrency__parallel_note_appends_lose_nothing),
		T(test_concurrency__parallel_creates_get_distinct_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
