/*
 * fuzz_codec.c - libFuzzer target for the item codec (HI-004).
 *
 * Every input is handed to the code that reads item files and index
 * summaries.  Whatever the bytes, the codec must return an error or an
 * item, never crash, leak or trip a sanitizer; and an item it accepts must
 * survive a round trip: encode, parse again, encode again, same text.
 *
 * Built by tests/validate.sh (clang -fsanitize=fuzzer,address,undefined)
 * against a libjerry.a compiled with -fsanitize=fuzzer-no-link.
 */
#include "jerry/jerry.h"
#include "store/codec.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(jerry_item *item)
{
	size_t n1 = 0, n2 = 0;
	char *t1 = jr_codec_item_text(item, &n1);
	if (!t1)
		return; /* ENOMEM */
	jerry_item *again = NULL;
	jerry_error err;
	jerry_error_clear(&err);
	if (jr_codec_parse_item(&again, t1, n1, "round-trip", 0, &err) != 0) {
		fprintf(stderr, "accepted item does not parse back: %s\n%.*s\n", err.message, (int)n1, t1);
		abort();
	}
	char *t2 = jr_codec_item_text(again, &n2);
	if (t2 && (n1 != n2 || memcmp(t1, t2, n1) != 0)) {
		fprintf(stderr, "round trip changed the item:\n%.*s\n---\n%.*s\n", (int)n1, t1, (int)n2, t2);
		abort();
	}
	free(t2);
	free(t1);
	jerry_item_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jerry_error err;
	jerry_item *item = NULL;

	/* 1. an item file */
	jerry_error_clear(&err);
	if (jr_codec_parse_item(&item, (const char *)data, size, "fuzz.json", 0, &err) == 0) {
		round_trip(item);
		jerry_item_free(item);
		item = NULL;
	}

	/* 2. an index summary line */
	json_error_t jerr;
	json_t *obj = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (obj) {
		jerry_error_clear(&err);
		if (jr_codec_decode(&item, obj, 1, "index.json line 2", 0, &err) == 0) {
			size_t n = 0;
			char *line = jr_codec_summary_line(item, 0, &n);
			free(line);
			jerry_item_free(item);
		}
		json_decref(obj);
	}
	return 0;
}
