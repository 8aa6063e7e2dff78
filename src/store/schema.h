/*
 * schema.h - the one description of an item's fields as jerry writes them
 * (doc/FORMAT.md): every key, in its order, what it holds and how.  The
 * three codecs are made from it - jansson's (codec.c) walks the table
 * jr_item_fields[] at run time; the fast paths (fast_read.c,
 * fast_write.c) expand the lists below into straight-line code, so their
 * keys stay constants the compiler compares and copies a word at a time.
 * A new field is one line here, a member of jerry_item, and its kind's
 * code in the three codecs if the kind is new.
 *
 * A list calls X(key, kind, member, flags) for each field:
 *   key     the JSON key, a bare word (#key is the string);
 *   kind    how its value is written and read, a bare word naming one of
 *           enum jr_kind below (JR_K_##kind) and the codecs' functions
 *           for it;
 *   member  the member of the C struct that holds it;
 *   flags   JR_F_* below.
 * The first field of a list is never JR_F_OPTKEY.
 */
#ifndef JR_SCHEMA_H
#define JR_SCHEMA_H

#include "jerry/jerry.h"

#include <stddef.h>

/* Read: missing or null is corrupt.  Written: a NULL string fails. */
#define JR_F_REQ 1u
/* Not in a summary (an index line, list --json): the item file's alone. */
#define JR_F_DETAIL 2u
/* Not in JR_ENCODE_NO_NOTES either (history's diff): the full text's alone. */
#define JR_F_FULL 4u
/* A NULL string is written as "" (read, it is required). */
#define JR_F_EMPTY 8u
/* Written only when set; a reader takes the key as optional. */
#define JR_F_OPTKEY 16u

/* The item's keys (jerry_item). */
#define JR_ITEM_FIELDS(X)                                                        \
	X(id,           id,       num,          JR_F_REQ)                        \
	X(uid,          uid,      uid,          JR_F_REQ)                        \
	X(version,      version,  version,      JR_F_REQ)                        \
	X(title,        text,     title,        JR_F_REQ | JR_F_EMPTY)           \
	X(description,  text,     description,  JR_F_DETAIL)                     \
	X(type,         type,     type,         JR_F_REQ)                        \
	X(status,       status,   status,       JR_F_REQ)                        \
	X(priority,     priority, priority,     JR_F_REQ)                        \
	X(labels,       labels,   labels,       0)                               \
	X(assignee,     text,     assignee,     0)                               \
	X(parent,       ref,      parent,       0)                               \
	X(depends_on,   refs,     depends_on,   0)                               \
	X(claim,        claim,    claim,        0)                               \
	X(notes,        notes,    notes,        JR_F_DETAIL | JR_F_FULL)         \
	X(created_at,   time,     created_at,   JR_F_REQ)                        \
	X(created_by,   text,     created_by,   0)                               \
	X(updated_at,   time,     updated_at,   JR_F_REQ)                        \
	X(updated_by,   text,     updated_by,   0)                               \
	X(completed_at, time,     completed_at, 0)                               \
	X(external_ref, text,     external_ref, JR_F_OPTKEY)                     \
	X(renumbered_from, former, renumbered_from, JR_F_OPTKEY)

/* The claim's object (jerry_claim), or null when claim.by is NULL. */
#define JR_CLAIM_FIELDS(X)                                                       \
	X(by,           text,     by,           JR_F_REQ)                        \
	X(session,      text,     session,      0)                               \
	X(expires_at,   time,     expires_ms,   JR_F_REQ)                        \
	X(token,        text,     token,        JR_F_DETAIL | JR_F_FULL | JR_F_OPTKEY)

/* A note's object (jerry_note). */
#define JR_NOTE_FIELDS(X)                                                        \
	X(at,           time,     at_ms,        JR_F_REQ)                        \
	X(by,           text,     by,           0)                               \
	X(text,         text,     text,         JR_F_REQ)

/*
 * The kinds, and the C type of the member each one holds:
 *   id        int64_t, "WORK-007" (written from jerry_item.id)
 *   uid       uint64_t, a decimal string
 *   version   int64_t, a JSON integer >= 1
 *   text      char *, a string or null
 *   type, status, priority   the enum, by its name
 *   labels    char **, an array of strings (nlabels)
 *   ref       int64_t, an item ID or null for 0
 *   refs      int64_t *, an array of item IDs (ndepends)
 *   former    int64_t *, an array of item IDs (nrenumbered_from)
 *   claim     jerry_claim, an object of JR_CLAIM_FIELDS or null
 *   notes     jerry_note *, an array of JR_NOTE_FIELDS objects (nnotes)
 *   time      int64_t ms, an RFC 3339 UTC time or null for 0
 */
enum jr_kind {
	JR_K_id, JR_K_uid, JR_K_version, JR_K_text, JR_K_type, JR_K_status,
	JR_K_priority, JR_K_labels, JR_K_ref, JR_K_refs, JR_K_claim, JR_K_notes,
	JR_K_time, JR_K_former,
};

/* A row of the table: a field as data, for code that walks the keys. */
struct jr_field {
	const char *key;
	enum jr_kind kind;
	size_t offset;           /* of the member in its struct */
	unsigned flags;
};

extern const struct jr_field jr_item_fields[];
extern const size_t jr_item_nfields;
extern const struct jr_field jr_claim_fields[];
extern const size_t jr_claim_nfields;
extern const struct jr_field jr_note_fields[];
extern const size_t jr_note_nfields;

/* The key a summary line may end with (jr_codec_summary_line). */
#define JR_KEY_UNCONFIRMED "unconfirmed"

/* The field of jr_item_fields[] named key, or NULL: not jerry's. */
const struct jr_field *jr_schema_item_field(const char *key);

#endif
