/*
 * test_array.c - the checked array growth of src/util/array.h.
 */
#include "harness.h"
#include "util/array.h"

#include <stdint.h>

/*
 * The out-of-memory test asks for more than any machine has; under
 * AddressSanitizer malloc must then say NULL, as libc's does, not abort.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static void test_array__grow_keeps_every_element_and_room_for_need(void **state)
{
	(void)state;
	int64_t *v = NULL;
	size_t n = 0, alloc = 0;
	for (int64_t i = 0; i < 10000; i++) {
		assert_int_equal(JR_ARRAY_GROW(v, n + 1, alloc), 0);
		assert_true(alloc >= n + 1);
		v[n++] = i * 3;
	}
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i], (int64_t)i * 3);
	/* geometric: far fewer than 10000 reallocs left room well past n */
	assert_true(alloc < 2 * n);
	/* room already there: nothing moves */
	int64_t *before = v;
	assert_int_equal(JR_ARRAY_GROW(v, n, alloc), 0);
	assert_ptr_equal(v, before);
	free(v);
}

static void test_array__an_overflowing_count_is_refused_and_the_array_kept(void **state)
{
	(void)state;
	int64_t *v = NULL;
	size_t alloc = 0;
	assert_int_equal(JR_ARRAY_GROW(v, 4, alloc), 0);
	v[3] = 42;
	int64_t *before = v;
	size_t alloc_before = alloc;
	/* need * 8 wraps round: a naive realloc would get a small block */
	assert_int_equal(JR_ARRAY_GROW(v, SIZE_MAX / sizeof(*v) + 2, alloc), JERRY_ENOMEM);
	assert_ptr_equal(v, before);
	assert_int_equal(alloc, alloc_before);
	assert_int_equal(jr_array_resize(&v, SIZE_MAX / 2, sizeof(*v)), JERRY_ENOMEM);
	assert_ptr_equal(v, before);
	assert_int_equal(v[3], 42);
	free(v);
}

static void test_array__out_of_memory_leaves_the_array_usable(void **state)
{
	(void)state;
	char **v = NULL;
	size_t alloc = 0;
	assert_int_equal(JR_ARRAY_GROW(v, 1, alloc), 0);
	v[0] = "kept";
	char **before = v;
	/* no overflow, but no machine has PTRDIFF_MAX bytes: realloc fails */
	size_t huge = (size_t)PTRDIFF_MAX / sizeof(*v) - 1;
	assert_int_equal(JR_ARRAY_GROW(v, huge, alloc), JERRY_ENOMEM);
	assert_ptr_equal(v, before);
	assert_int_equal(alloc, 16);
	assert_string_equal(v[0], "kept");
	free(v);
}

static void test_array__resize_is_exact_and_zero_frees(void **state)
{
	(void)state;
	int *v = NULL;
	assert_int_equal(jr_array_resize(&v, 3, sizeof(*v)), 0);
	assert_non_null(v);
	v[0] = 1, v[1] = 2, v[2] = 3;
	assert_int_equal(jr_array_resize(&v, 5, sizeof(*v)), 0);
	assert_int_equal(v[0] + v[1] + v[2], 6);
	assert_int_equal(jr_array_resize(&v, 0, sizeof(*v)), 0);
	assert_null(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_array__grow_keeps_every_element_and_room_for_need),
		cmocka_unit_test(test_array__an_overflowing_count_is_refused_and_the_array_kept),
		cmocka_unit_test(test_array__out_of_memory_leaves_the_array_usable),
		cmocka_unit_test(test_array__resize_is_exact_and_zero_frees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
