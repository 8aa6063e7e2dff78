/*
 * array.h - arrays that grow, in the manner of git's ALLOC_GROW: the
 * multiplication of a count by an element size is checked in one place,
 * and a failed growth leaves the array as it was (still the caller's to
 * use and free), so no caller writes its own realloc dance.
 *
 *	struct thing *v = NULL;
 *	size_t n = 0, alloc = 0;
 *	if (JR_ARRAY_GROW(v, n + 1, alloc))
 *		return JERRY_ENOMEM;        // v and alloc unchanged
 *	v[n++] = one;
 *
 * Where no capacity is kept (a public struct holds only the count), the
 * array is sized exactly with jr_array_resize().
 *
 * Pure memory: no I/O, no globals.  Usable from every layer.
 */
#ifndef JR_ARRAY_H
#define JR_ARRAY_H

#include <stddef.h>

/*
 * *arrp (an array of `size`-byte elements, or NULL) resized to hold
 * exactly n elements: 0, or JERRY_ENOMEM - when n * size overflows or
 * exceeds PTRDIFF_MAX, or the allocation fails - with *arrp untouched.
 * `arrp` is the address of the caller's pointer, of any object type.
 * n == 0 frees the array and sets *arrp to NULL.
 */
int jr_array_resize(void *arrp, size_t n, size_t size);

/*
 * Room for at least `need` elements in *arrp, whose room is *alloc:
 * grows half as much again (at least 16 elements), so n single appends
 * cost O(n) copying in all.  0, or JERRY_ENOMEM with *arrp and *alloc
 * untouched.
 */
int jr_array_grow(void *arrp, size_t *alloc, size_t need, size_t size);

/* jr_array_grow for an array variable and its capacity; cheap when there is room. */
#define JR_ARRAY_GROW(arr, need, alloc)                                                    \
	((need) <= (alloc) ? 0 : jr_array_grow(&(arr), &(alloc), (need), sizeof(*(arr))))

#endif
