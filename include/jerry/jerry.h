/*
 * jerry.h - the public face of libjerry, a work tracker that many processes
 * can share without losing a write.
 *
 * Calling conventions (the whole library follows them):
 *
 *  - Every function that can fail returns 0 or a negative jerry_code and, when
 *    `err` is not NULL, fills the caller-owned jerry_error.  The error path
 *    never allocates.  The numeric value of a code, negated, is the exit
 *    status the `jerry` command uses for it (JERRY_ECONFLICT == -4 -> exit 4).
 *  - Out-parameters come first, then the object, then inputs, then the error.
 *  - Objects returned through `**out` are owned by the caller and released
 *    with the matching `_free`, which accepts NULL.
 *  - Nothing here prints, exits, installs signal handlers or keeps global
 *    mutable state.  A jerry_store is not thread-safe: use one per thread.
 *
 * Item identifiers are accepted in any of the spellings "7", "WORK-7",
 * "work-007"; anything else is JERRY_EINVALID.  Canonical form is "WORK-NNN",
 * at least three digits.
 */
#ifndef JERRY_JERRY_H
#define JERRY_JERRY_H

#define JERRY_VERSION "0.1.0"

/*
 * The API comes in parts, one per area; this header is the one to include.
 */

#include "jerry/errors.h"
#include "jerry/items.h"
#include "jerry/open.h"
#include "jerry/work.h"
#include "jerry/history.h"
#include "jerry/check.h"
#include "jerry/sync.h"
#include "jerry/transfer.h"

#endif
