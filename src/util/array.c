/*
 * array.c - the checked array growth of array.h.
 */
#include "array.h"

#include "jerry/jerry.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * The caller's pointer is read and written through memcpy: arrp may be a
 * `struct x **` or an `int64_t **`, and only bytes may alias every type.
 */
int jr_array_resize(void *arrp, size_t n, size_t size)
{
	void *arr, *grown;
	memcpy(&arr, arrp, sizeof(arr));
	if (n == 0) {
		free(arr);
		grown = NULL;
		memcpy(arrp, &grown, sizeof(grown));
		return 0;
	}
	if (size == 0 || n > (size_t)PTRDIFF_MAX / size)
		return JERRY_ENOMEM;
	grown = realloc(arr, n * size);
	if (!grown)
		return JERRY_ENOMEM;
	memcpy(arrp, &grown, sizeof(grown));
	return 0;
}

int jr_array_grow(void *arrp, size_t *alloc, size_t need, size_t size)
{
	size_t want;
	if (need <= *alloc)
		return 0;
	want = *alloc + *alloc / 2;
	if (want < 16)
		want = 16;
	if (want < need || (size && want > (size_t)PTRDIFF_MAX / size))
		want = need;
	if (jr_array_resize(arrp, want, size))
		return JERRY_ENOMEM;
	*alloc = want;
	return 0;
}
