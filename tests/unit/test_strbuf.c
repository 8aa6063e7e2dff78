/*
 * test_strbuf.c - the bounded growable buffer of src/util/strbuf.h.
 */
#include "harness.h"
#include "util/strbuf.h"

static void test_strbuf__appends_grow_the_buffer_and_keep_every_byte(void **state)
{
	(void)state;
	struct jr_sb sb = JR_SB_INIT;
	char want[10000];
	for (size_t i = 0; i < sizeof(want); i++) {
		want[i] = (char)('a' + i % 26);
		assert_int_equal(jr_sb_addch(&sb, want[i]), 0);
		/* room for the NUL, always there */
		assert_true(sb.len < sb.alloc);
		assert_int_equal(sb.buf[sb.len], '\0');
	}
	assert_int_equal(sb.len, sizeof(want));
	assert_memory_equal(sb.buf, want, sizeof(want));
	assert_int_equal(jr_sb_add(&sb, "xyz", 3), 0);
	assert_int_equal(jr_sb_addstr(&sb, "!"), 0);
	size_t len = 0;
	char *s = jr_sb_detach(&sb, &len);
	assert_non_null(s);
	assert_int_equal(len, sizeof(want) + 4);
	assert_string_equal(s + sizeof(want), "xyz!");
	/* detach leaves the buffer empty and usable */
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
	free(s);
}

static void test_strbuf__reserve_gives_room_and_commit_ends_the_text(void **state)
{
	(void)state;
	struct jr_sb sb = JR_SB_INIT;
	assert_int_equal(jr_sb_addstr(&sb, "ab"), 0);
	char *w = jr_sb_reserve(&sb, 500);
	assert_non_null(w);
	assert_true(sb.alloc - sb.len > 500);
	memset(w, 'x', 500);
	jr_sb_commit(&sb, w + 3);
	assert_int_equal(sb.len, 5);
	assert_string_equal(sb.buf, "abxxx");
	jr_sb_release(&sb);
	assert_null(sb.buf);
	assert_int_equal(sb.alloc, 0);
}

static void test_strbuf__printf_appends_short_and_long_text(void **state)
{
	(void)state;
	struct jr_sb sb = JR_SB_INIT;
	char big[300];
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(jr_sb_addf(&sb, "WORK-%03d", 7), 0);
	/* longer than the first guess of room: the second vsnprintf writes it */
	assert_int_equal(jr_sb_addf(&sb, "[%s]", big), 0);
	assert_int_equal(jr_sb_addf(&sb, "%s", ""), 0);
	assert_int_equal(sb.len, 8 + 2 + strlen(big));
	assert_memory_equal(sb.buf, "WORK-007[", 9);
	assert_int_equal(sb.buf[sb.len - 1], ']');
	assert_int_equal(sb.buf[sb.len], '\0');
	jr_sb_release(&sb);
}

static void test_strbuf__a_failed_growth_is_sticky_and_detach_says_so(void **state)
{
	(void)state;
	struct jr_sb sb = JR_SB_INIT;
	assert_int_equal(jr_sb_addstr(&sb, "kept"), 0);
	/* more than any object may hold: refused without asking malloc */
	assert_int_equal(jr_sb_grow(&sb, SIZE_MAX), JERRY_ENOMEM);
	assert_true(sb.failed);
	assert_null(jr_sb_reserve(&sb, (size_t)PTRDIFF_MAX));
	/* once failed, even a small append is refused: no text with a hole */
	assert_int_equal(jr_sb_addstr(&sb, "more"), JERRY_ENOMEM);
	assert_int_equal(jr_sb_addf(&sb, "%d", 1), JERRY_ENOMEM);
	assert_string_equal(sb.buf, "kept");
	size_t len = 99;
	assert_null(jr_sb_detach(&sb, &len));
	assert_int_equal(len, 99);
	/* and the memory is gone, the buffer fresh */
	assert_null(sb.buf);
	assert_false(sb.failed);
}

static void test_strbuf__detach_of_nothing_is_an_empty_string(void **state)
{
	(void)state;
	struct jr_sb sb = JR_SB_INIT;
	size_t len = 99;
	char *s = jr_sb_detach(&sb, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf__appends_grow_the_buffer_and_keep_every_byte),
		cmocka_unit_test(test_strbuf__reserve_gives_room_and_commit_ends_the_text),
		cmocka_unit_test(test_strbuf__printf_appends_short_and_long_text),
		cmocka_unit_test(test_strbuf__a_failed_growth_is_sticky_and_detach_says_so),
		cmocka_unit_test(test_strbuf__detach_of_nothing_is_an_empty_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
