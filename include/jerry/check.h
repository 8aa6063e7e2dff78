/*
 * jerry/check.h - integrity: jerry check and reindex.
 * Part of libjerry's public API: include "jerry/jerry.h", which includes
 * every part and says the conventions they all follow.
 */
#ifndef JERRY_CHECK_H
#define JERRY_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include "jerry/open.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- integrity --------------------------------------------------------- */

typedef struct jerry_problem {
	char kind[32];        /* "corrupt_item", "index_drift", "temp_file",
	                         "duplicate_uid", "corrupt_index", "corrupt_sequence",
	                         "stray_file", "bad_lock"; notices: "temp_file" */
	char path[4352];
	char message[512];
	int repaired;         /* set by jerry_check(.., repair=1) when fixed */
} jerry_problem;

typedef struct jerry_report {
	jerry_problem *problems;
	size_t nproblems;
	size_t items;         /* item files read */
	/*
	 * Information, not problems: what a crash leaves that the next write
	 * cleans up by itself (kind "temp_file": a dead writer's temp file).
	 * They do not make a store unsound; repaired when --repair removed them.
	 */
	jerry_problem *notices;
	size_t nnotices;
} jerry_report;

void jerry_report_free(jerry_report *report);

/*
 * Examine the whole store.  Returns 0 when the check itself ran, whatever it
 * found: look at report->nproblems (report->notices are information only).
 * With repair, fix what can be fixed without losing data (rebuild the
 * index, advance the sequence, remove dead temp files); corrupt item files
 * are never touched.  JERRY_EDURABLE, with the report, when a repair was
 * made but could not be made durable.
 */
int jerry_check(jerry_report **out, jerry_store *store, int repair, jerry_error *err);

/* Rebuild the index from the item files; out_count gets how many items. */
int jerry_reindex(size_t *out_count, jerry_store *store, jerry_error *err);

#ifdef __cplusplus
}
#endif
#endif
