/*
 * fuzz_codec.c - libFuzzer target for the item codec (HI-004).
 *
 * Every input is handed to the code that reads item files and index
 * summaries.  Whatever the bytes, the codec must return an error or an
 * item, never crash, leak or trip a sanitizer; and an item it accepts must
 * survive a round trip: encode, parse again, encode again, same text.
 *
 * The fast paths (src/store/fast_read.c, fast_write.c) are held to jansson.  For index
 * lines: a line its decoder accepts, jansson and jr_codec_decode accept too
 * and read as the same summary; and its encoder writes jansson's bytes for
 * every item, or declines exactly where jansson fails.  For item files:
 * a file its decoder accepts, json_loadb(JSON_REJECT_DUPLICATES) and
 * jr_codec_decode accept too, for the same expected ID, and read as an
 * item that jansson encodes the same; and its encoder writes jansson's
 * bytes for every item the slow path decodes, or declines where jansson
 * fails or the item has unknown keys.
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

/* What jansson writes for a summary line, or NULL where it fails. */
static char *jansson_summary(const jerry_item *item, int unconfirmed)
{
	json_t *o = jr_codec_encode(item, 1);
	if (!o)
		return NULL;
	if (unconfirmed && json_object_set_new(o, "unconfirmed", json_true()) < 0)
		abort();
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return text;
}

static void same_summary_bytes(const jerry_item *item, int unconfirmed)
{
	size_t n = 0;
	if (item->ext)
		return; /* left to jansson by the fast encoder */
	char *want = jansson_summary(item, unconfirmed);
	char *got = jr_summary_encode(item, unconfirmed, &n);
	if ((want == NULL) != (got == NULL) || (want && (strcmp(want, got) != 0 || n != strlen(want)))) {
		fprintf(stderr, "fast encoder differs from jansson:\n%s\n---\n%s\n",
			want ? want : "(jansson fails)", got ? got : "(declined)");
		abort();
	}
	free(want);
	free(got);
}

/* What jansson writes for an item file, or NULL where it fails. */
static char *jansson_item(const jerry_item *item)
{
	return jr_codec_item_text_jansson(item, NULL);
}

static void same_item_bytes(const jerry_item *item)
{
	size_t n = 0;
	char *want = item->ext ? NULL : jansson_item(item);
	char *got = jr_itemfile_encode(item, &n);
	if ((want == NULL) != (got == NULL) || (want && (strcmp(want, got) != 0 || n != strlen(want)))) {
		fprintf(stderr, "fast item encoder differs from jansson:\n%s\n---\n%s\n",
			want ? want : "(jansson fails, or ext)", got ? got : "(declined)");
		abort();
	}
	free(want);
	free(got);
}

/* The item file jansson's path reads: jr_codec_parse_item before its fast path. */
static int jansson_parse(jerry_item **out, const char *text, size_t size, int64_t expect)
{
	json_t *o = json_loadb(text, size, JSON_REJECT_DUPLICATES, NULL);
	*out = NULL;
	if (!o)
		return -1;
	int rc = jr_codec_decode(out, o, 0, "fuzz.json", expect, NULL);
	json_decref(o);
	return rc;
}

/*
 * A file the fast decoder takes must be one jansson reads as the same
 * item; the ID expected must match, else the fast decoder declines.
 */
static void fast_item_decoder_agrees(const char *text, size_t size)
{
	jerry_item *fast = NULL, *slow = NULL;
	if (jr_itemfile_decode(&fast, text, size, 0) != 0)
		return;
	if (jansson_parse(&slow, text, size, fast->num) != 0) {
		fprintf(stderr, "fast item decoder accepts what jansson refuses:\n%.*s\n", (int)size, text);
		abort();
	}
	char *a = jansson_item(fast), *b = jansson_item(slow);
	if (!a || !b || strcmp(a, b) != 0 || fast->num != slow->num || strcmp(fast->id, slow->id) != 0 ||
	    fast->is_summary || fast->ext) {
		fprintf(stderr, "fast item decoder reads differently:\n%.*s\n%s\n---\n%s\n", (int)size,
			text, a ? a : "(null)", b ? b : "(null)");
		abort();
	}
	jerry_item *other = NULL;
	if (jr_itemfile_decode(&other, text, size, fast->num + 1) == 0) {
		fprintf(stderr, "fast item decoder ignores the expected ID:\n%.*s\n", (int)size, text);
		abort();
	}
	same_item_bytes(fast);
	free(a);
	free(b);
	jerry_item_free(fast);
	jerry_item_free(slow);
}

/* A line the fast decoder takes must be one jansson reads as the same. */
static void fast_decoder_agrees(const char *line, size_t size)
{
	jerry_item *fast = NULL, *slow = NULL;
	int fast_unc = 0;
	if (jr_summary_decode(&fast, line, size, &fast_unc) != 0)
		return;
	/* as read_snapshot() does it: no JSON_REJECT_DUPLICATES */
	json_t *o = json_loadb(line, size, 0, NULL);
	if (!o || jr_codec_decode(&slow, o, 1, "index.json line 2", 0, NULL) != 0) {
		fprintf(stderr, "fast decoder accepts what jansson refuses:\n%.*s\n", (int)size, line);
		abort();
	}
	int slow_unc = json_is_true(json_object_get(o, "unconfirmed"));
	char *a = jansson_summary(fast, fast_unc), *b = jansson_summary(slow, slow_unc);
	if (!a || !b || strcmp(a, b) != 0 || fast->num != slow->num || !fast->is_summary) {
		fprintf(stderr, "fast decoder reads differently:\n%.*s\n%s\n---\n%s\n", (int)size,
			line, a ? a : "(null)", b ? b : "(null)");
		abort();
	}
	same_summary_bytes(fast, fast_unc);
	free(a);
	free(b);
	json_decref(o);
	jerry_item_free(fast);
	jerry_item_free(slow);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jerry_error err;
	jerry_item *item = NULL;

	/* 1. an item file, through the fast path and then jansson's alone */
	jerry_error_clear(&err);
	if (jr_codec_parse_item(&item, (const char *)data, size, "fuzz.json", 0, &err) == 0) {
		round_trip(item);
		jerry_item_free(item);
		item = NULL;
	}
	fast_item_decoder_agrees((const char *)data, size);
	if (jansson_parse(&item, (const char *)data, size, 0) == 0) {
		same_item_bytes(item);
		/* whatever the text in it, the fast encoder writes jansson's bytes */
		item->is_summary = 1;
		same_summary_bytes(item, 0);
		same_summary_bytes(item, 1);
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
			same_summary_bytes(item, 0);
			free(line);
			jerry_item_free(item);
		}
		json_decref(obj);
	}

	/* 3. the same bytes as an index line for the fast path */
	fast_decoder_agrees((const char *)data, size);
	return 0;
}
