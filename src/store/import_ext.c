/*
 * import_ext.c - the import records' ext objects (the codec's unknown keys,
 * jansson objects): compared with and set on an item's own, key by key, so
 * that the keys an item has from elsewhere are kept; and the readers'
 * source fields put there, whether jerry has no field for them or they
 * have a type jerry does not read.
 */
#include "importer.h"
#include "codec.h"

#include <jansson.h>
#include <string.h>

static int ext_same(const void *item_ext, const void *draft_ext)
{
	const char *key;
	json_t *val;
	json_object_foreach((json_t *)draft_ext, key, val)
		if (!json_equal(json_object_get(item_ext, key), val))
			return 0;
	return 1;
}

static int ext_merge(jerry_item *item, jerry_item *draft)
{
	if (!item->ext) {
		jr_codec_ext_own(item, draft->ext);
		draft->ext = NULL;
		draft->ext_free = NULL;
		draft->ext_dup = NULL;
		return 0;
	}
	return json_object_update(item->ext, draft->ext) ? -1 : 0;
}

const struct jr_ext_ops jr_import_ext_ops = {ext_same, ext_merge};

int jr_import_keep(jr_import_rec *r, const char *key, json_t *val)
{
	json_t *top = r->item->ext, *ext;
	if (!top) {
		if (!(top = json_object()))
			return -1;
		jr_codec_ext_own(r->item, top);
		r->ext_ops = &jr_import_ext_ops;
	}
	if (!(ext = json_object_get(top, "ext"))) {
		if (!(ext = json_object()) || json_object_set_new(top, "ext", ext))
			return -1;
	}
	return json_object_set(ext, key, val);
}

static unsigned kind_of(const json_t *v)
{
	if (json_is_string(v))
		return JR_K_STR;
	if (json_is_integer(v))
		return JR_K_INT;
	if (json_is_array(v))
		return JR_K_ARR;
	return json_is_object(v) ? JR_K_OBJ : 0;
}

/* A value of the kinds given, in words: "a string", "an array or a string". */
static const char *kind_name(unsigned kinds)
{
	switch (kinds) {
	case JR_K_STR: return "a string";
	case JR_K_INT: return "a whole number";
	case JR_K_ARR: return "an array";
	case JR_K_OBJ: return "an object";
	case JR_K_ARR | JR_K_STR: return "an array or a string";
	default: return "a number or true/false";
	}
}

static const char *value_name(const json_t *v)
{
	return json_is_null(v) ? "null" : kind_name(kind_of(v));
}

int jr_import_wrong_types(jr_import_rec *r, json_t *o, const struct jr_import_known *known)
{
	for (const struct jr_import_known *k = known; k->key; k++) {
		json_t *v = json_object_get(o, k->key), *e;
		size_t i;
		int rc = 0;
		if (!v || json_is_null(v))
			continue;
		if (!(kind_of(v) & k->kinds)) {
			rc = jr_import_lose(r, "%s: %s where jerry reads %s", k->key,
					    value_name(v), kind_name(k->kinds));
		} else if (json_is_array(v) && k->elems) {
			json_array_foreach(v, i, e)
				if (!(kind_of(e) & k->elems))
					break;
			if (i == json_array_size(v))
				continue;
			rc = jr_import_lose(r, "%s: an array holding %s where jerry reads %s", k->key,
					    value_name(e), k->elems == JR_K_STR ? "strings only" : "objects only");
		} else {
			continue;
		}
		if (rc || jr_import_keep(r, k->key, v) || json_object_del(o, k->key))
			return -1;
	}
	return 0;
}

int jr_import_keep_rest(jr_import_rec *r, json_t *o, const struct jr_import_known *known)
{
	const char *key;
	json_t *val;
	json_object_foreach(o, key, val) {
		int k = 0;
		for (size_t i = 0; known[i].key && !k; i++)
			k = strcmp(known[i].key, key) == 0;
		if (!k && jr_import_keep(r, key, val))
			return -1;
	}
	return 0;
}

