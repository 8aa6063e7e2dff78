/*
 * schema.c - the field lists of schema.h as tables.
 */
#include "schema.h"

#include <string.h>

#define FIELD_ROW(st, key, kind, member, flags) \
	{#key, JR_K_##kind, offsetof(st, member), (flags)},

#define ITEM_ROW(key, kind, member, flags) FIELD_ROW(jerry_item, key, kind, member, flags)
#define CLAIM_ROW(key, kind, member, flags) FIELD_ROW(jerry_claim, key, kind, member, flags)
#define NOTE_ROW(key, kind, member, flags) FIELD_ROW(jerry_note, key, kind, member, flags)

const struct jr_field jr_item_fields[] = {JR_ITEM_FIELDS(ITEM_ROW)};
const size_t jr_item_nfields = sizeof(jr_item_fields) / sizeof(jr_item_fields[0]);
const struct jr_field jr_claim_fields[] = {JR_CLAIM_FIELDS(CLAIM_ROW)};
const size_t jr_claim_nfields = sizeof(jr_claim_fields) / sizeof(jr_claim_fields[0]);
const struct jr_field jr_note_fields[] = {JR_NOTE_FIELDS(NOTE_ROW)};
const size_t jr_note_nfields = sizeof(jr_note_fields) / sizeof(jr_note_fields[0]);

const struct jr_field *jr_schema_item_field(const char *key)
{
	for (size_t i = 0; i < jr_item_nfields; i++)
		if (strcmp(jr_item_fields[i].key, key) == 0)
			return &jr_item_fields[i];
	return NULL;
}
