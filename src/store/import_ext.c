/*
 * import_ext.c - the import records' ext objects (the codec's unknown keys,
 * jansson objects): compared with and set on an item's own, key by key, so
 * that the keys an item has from elsewhere are kept.
 */
#include "importer.h"
#include "codec.h"

#include <jansson.h>

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
