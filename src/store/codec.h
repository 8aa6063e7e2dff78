/*
 * codec.h - the only place that turns items into JSON and back: codec.c
 * with jansson, and fast_read.c / fast_write.c (fast.h), a fast path for
 * the index's summary lines and for the item files.  The schema is the contract in doc/FORMAT.md;
 * its keys, kinds and order are described once, in schema.h, for all three.
 *
 * The fast path exists because jansson costs 90 to 180 instructions a
 * byte, list reads every summary line and every write command reads and
 * writes an item file.  It is strict rather than general: it accepts only
 * the canonical text jerry writes (jr_codec_summary_line's line, with
 * every key in its order, no whitespace and strings of printable ASCII
 * with no escapes; jr_codec_item_text's file, laid out to the byte as
 * jansson's JSON_INDENT(2) lays it out, with no unknown key and text that
 * jansson reads) and declines everything else to jansson, which then
 * accepts or reports the problem.  It never decides that data is corrupt.
 */
#ifndef JR_CODEC_H
#define JR_CODEC_H

#include "jerry/jerry.h"
#include <jansson.h>

/* Build the JSON object for an item; summary omits description and notes. */
#define JR_ENCODE_FULL 0
#define JR_ENCODE_SUMMARY 1       /* no description, notes or unknown keys */
#define JR_ENCODE_NO_NOTES 2      /* everything but the notes */
json_t *jr_codec_encode(const jerry_item *item, int summary);
/* An item's, or items', JSON text: see jerry_item_json. */
char *jr_codec_item_json(const jerry_item *item, int flags);
char *jr_codec_items_json(jerry_item *const *items, size_t n, int flags);
char *jr_codec_item_json_with(const jerry_item *item, int flags, const char *const *keys,
			      const char *const *values, size_t n);
/* face_json.c: see jerry_error_json, jerry_ready_item_json, jerry_dep_tree_json. */
char *jr_codec_error_json(int rc, const jerry_error *err, int flags);
char *jr_codec_ready_item_json(const jerry_item *item, int flags);
char *jr_codec_dep_tree_json(const jerry_dep_node *nodes, size_t n, int flags);
/* view_json.c: see jerry_show_json and jerry_waiting_json. */
char *jr_view_related_json(const jerry_item *item, int flags, jerry_item *const *kids,
			   size_t nkids, jerry_item *const *deps, size_t ndeps,
			   jerry_item *const *away, size_t naway);
char *jr_view_waiting_json(const jerry_waiting *w, int flags);
/* One note: {"at", "by", "text"}.  NULL when out of memory. */
json_t *jr_codec_note(const jerry_note *note);
/*
 * err for the file at `path` that jansson could not read (je: where it
 * stopped), with its line, column and the hint; returns JERRY_ECORRUPT.
 */
int jr_codec_not_json(jerry_error *err, const char *path, const json_error_t *je,
		      const char *hint);

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
/*
 * The same through jansson alone: the fallback, and the reference the fast
 * encoder is tested against.  NULL where jansson fails (or on ENOMEM);
 * out_len may be NULL.
 */
char *jr_codec_item_text_jansson(const jerry_item *item, size_t *out_len);
/* One summary as a compact line without newline.  NULL on ENOMEM. */
char *jr_codec_summary_line(const jerry_item *item, int unconfirmed, size_t *out_len);

/* ---- fast_read.c, fast_write.c: the fast paths (fast.h) ------------------ */

#define JR_SUMMARY_DECLINE 1

/*
 * Decode one canonical summary line (an object, no newline) into a summary
 * item identical to what json_loadb + jr_codec_decode(summary = 1) give,
 * and its "unconfirmed" flag.  0, or JR_SUMMARY_DECLINE for anything it
 * does not recognise - corrupt data and out of memory included: the caller
 * then takes the jansson path, which reports errors.
 */
int jr_summary_decode(jerry_item **out, const char *line, size_t len, int *unconfirmed);

/*
 * The compact summary line, byte for byte what jansson writes for
 * jr_codec_encode(item, 1) (plus "unconfirmed":true when asked).  NULL
 * when out of memory or where jansson would fail (text that is not UTF-8)
 * or for an item with ext: the caller falls back to jansson.
 */
char *jr_summary_encode(const jerry_item *item, int unconfirmed, size_t *out_len);

/*
 * Decode an item file as jr_codec_item_text writes it into an item
 * identical to what jr_codec_parse_item gives.  0, or JR_SUMMARY_DECLINE
 * for anything else - an unknown key, a string with bad UTF-8, \u0000 or
 * a lone surrogate, whitespace out of place, an ID other than expect_num
 * (when > 0), corrupt data and out of memory - which the caller hands to
 * jansson.
 */
int jr_itemfile_decode(jerry_item **out, const char *text, size_t len, int64_t expect_num);

/*
 * The item file's text, byte for byte what jansson writes for
 * jr_codec_encode(item, JR_ENCODE_FULL) with JSON_INDENT(2), and the final
 * newline.  NULL when out of memory, where jansson would fail (text that
 * is not UTF-8, a NULL label or note) or for an item with ext.
 */
char *jr_itemfile_encode(const jerry_item *item, size_t *out_len);

/*
 * The item as one compact line onto sb (no newline), byte for byte what
 * jansson writes for jr_codec_encode(item, JR_ENCODE_FULL) with
 * JSON_COMPACT: an export line (export_file.c).  0; JR_SUMMARY_DECLINE,
 * sb as it was, where jr_itemfile_encode declines; JERRY_ENOMEM.
 */
struct jr_sb;
int jr_item_compact_put(struct jr_sb *sb, const jerry_item *item);


/*
 * Let it own ext, a JSON object of the keys jerry does not know (kept from
 * a file, a merge or an import): released with the item, deep-copied by
 * jr_item_dup.
 */
void jr_codec_ext_own(jerry_item *it, json_t *ext);

#endif
