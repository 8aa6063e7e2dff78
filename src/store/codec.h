/*
 * codec.h - the only place that turns items into JSON and back (jansson).
 * The schema is the contract in doc/FORMAT.md.
 */
#ifndef JR_CODEC_H
#define JR_CODEC_H

#include "jerry/jerry.h"
#include <jansson.h>

/* Build the JSON object for an item; summary omits description and notes. */
json_t *jr_codec_encode(const jerry_item *item, int summary);

/*
 * Decode an object.  `path` names the source for messages (file or
 * "index.json line 12").  expect_num > 0 also checks the id matches it.
 * JERRY_ECORRUPT on a schema violation.
 */
int jr_codec_decode(jerry_item **out, json_t *obj, int summary, const char *path,
		    int64_t expect_num, jerry_error *err);

/* Parse text then decode; parse errors carry line and column. */
int jr_codec_parse_item(jerry_item **out, const char *buf, size_t len, const char *path,
			int64_t expect_num, jerry_error *err);

/* Serialized item file text (pretty, trailing newline).  NULL on ENOMEM. */
char *jr_codec_item_text(const jerry_item *item, size_t *out_len);
/* One summary as a compact line without newline.  NULL on ENOMEM. */
char *jr_codec_summary_line(const jerry_item *item, int unconfirmed, size_t *out_len);

#endif
