/*
 * brief.c - the store at one moment, for a newcomer: what `summary` and
 * `prime` show and what `jerry mcp` hands a client as its instructions.
 * Gathered here once, so that every face shows the same counts, the same
 * stale claims (the liveness rule is jerry_claim_stale's) and the same
 * ready queue.
 */
#include "app.h"
#include "../domain/domain.h"
#include "../util/strbuf.h"

#include <stdlib.h>
#include <string.h>

/* Titles in the briefing's text, as `prime` has always cut them. */
#define BRIEF_TITLE 60

static int newest_first(const void *a, const void *b)
{
	const jerry_item *x = *(jerry_item *const *)a, *y = *(jerry_item *const *)b;
	return (y->updated_at > x->updated_at) - (y->updated_at < x->updated_at);
}

/* out = the items of all[0..n) that keep() says yes to, borrowed, in order. */
static int borrow(jerry_item ***out, size_t *out_n, jerry_item **all, size_t n,
		int (*keep)(const jerry_item *, const jerry_brief *), const jerry_brief *b)
{
	*out_n = 0;
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (keep(all[i], b))
			(*out)[(*out_n)++] = all[i];
	return 0;
}

static int keep_changed(const jerry_item *it, const jerry_brief *b)
{
	return it->updated_at >= b->since;
}

static int keep_claimed(const jerry_item *it, const jerry_brief *b)
{
	(void)b;
	return it->claim.by != NULL;
}

static int keep_stale(const jerry_item *it, const jerry_brief *b)
{
	return jerry_claim_stale(it, b->now);
}

int jr_app_brief(jerry_brief *b, const jr_port *port, int64_t since_ms, jerry_error *err)
{
	jerry_filter every = {0}, top = {0};
	jerry_item **waiting = NULL;
	size_t nwaiting = 0;
	int rc;

	memset(b, 0, sizeof(*b));
	if (since_ms <= 0)
		return jr_error(err, JERRY_EINVALID, "a brief's window must be longer than 0 ms");
	every.all = 1;
	top.limit = JERRY_BRIEF_READY;
	b->now = port->now(port->ctx);
	b->since = b->now - since_ms;
	if ((rc = jr_app_list(&b->all_, &b->nall_, port, &every, err)) ||
	    (rc = jr_app_ready(&b->ready, &b->nready, port, &top, err)) ||
	    (rc = jr_app_closable(&b->closable, &b->nclosable, port, err)) ||
	    (rc = jr_app_blocked(&waiting, &nwaiting, port, err)))
		goto fail;
	jerry_item_array_free(waiting, nwaiting);
	b->nblocked = nwaiting;
	b->total = b->nall_;
	for (size_t i = 0; i < b->nall_; i++)
		b->counts[b->all_[i]->status]++;
	if (borrow(&b->changed, &b->nchanged, b->all_, b->nall_, keep_changed, b) ||
	    borrow(&b->claimed, &b->nclaimed, b->all_, b->nall_, keep_claimed, b) ||
	    borrow(&b->stale, &b->nstale, b->all_, b->nall_, keep_stale, b)) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto fail;
	}
	qsort(b->changed, b->nchanged, sizeof(*b->changed), newest_first);
	return 0;
fail:
	jr_app_brief_release(b);
	return rc;
}

void jr_app_brief_release(jerry_brief *b)
{
	if (!b)
		return;
	free(b->changed);
	free(b->claimed);
	free(b->stale);
	jerry_item_array_free(b->ready, b->nready);
	jerry_item_array_free(b->closable, b->nclosable);
	jerry_item_array_free(b->all_, b->nall_);
	memset(b, 0, sizeof(*b));
}

/* The claims of `me` (mine) or of everyone else, at most rows lines. */
static void text_claims(struct jr_sb *sb, const jerry_brief *b, const char *me, int mine,
			size_t rows)
{
	size_t shown = 0;
	for (size_t i = 0; i < b->nclaimed; i++) {
		const jerry_item *it = b->claimed[i];
		char until[40];
		if ((me && strcmp(it->claim.by, me) == 0) != mine)
			continue;
		if (shown++ >= rows)
			continue;
		jerry_time_format(until, sizeof(until), it->claim.expires_ms);
		jr_sb_addf(sb, "  %s  %s  by %s until %s%s\n", it->id, jerry_status_name(it->status),
			   it->claim.by, until, jerry_claim_live(it, b->now) ? "" : "  [expired]");
	}
	if (shown == 0)
		jr_sb_addstr(sb, "  (none)\n");
	else if (shown > rows)
		jr_sb_addf(sb, "  ... and %zu more\n", shown - rows);
}

int jr_app_brief_text(char **out, const jerry_brief *b, const char *me, size_t rows,
		      jerry_error *err)
{
	char cut[4 * BRIEF_TITLE + 4];
	struct jr_sb sb;

	*out = NULL;
	jr_sb_init(&sb);
	jr_sb_addf(&sb, "## Now (you are %s)\nitems: %zu (", me ? me : "?", b->total);
	for (int s = 0; s < JERRY_STATUS__COUNT; s++)
		jr_sb_addf(&sb, "%s%s %zu", s ? ", " : "", jerry_status_name((jerry_status)s),
			   b->counts[s]);
	jr_sb_addstr(&sb, ")\nyour claims:\n");
	text_claims(&sb, b, me, 1, rows);
	jr_sb_addstr(&sb, "claimed by others:\n");
	text_claims(&sb, b, me, 0, rows);
	for (size_t i = 0; i < b->nstale && i < rows; i++) {
		const jerry_item *it = b->stale[i];
		char at[40];
		if (i == 0)
			jr_sb_addstr(&sb, "stale claims (lease expired; claim --next takes them over):\n");
		jerry_time_format(at, sizeof(at), it->claim.expires_ms);
		jr_sb_addf(&sb, "  %s  %s  by %s, expired %s\n", it->id,
			   jerry_status_name(it->status), it->claim.by, at);
	}
	if (b->nstale > rows)
		jr_sb_addf(&sb, "  ... and %zu more\n", b->nstale - rows);
	jr_sb_addstr(&sb, "ready, best first:\n");
	if (b->nready == 0)
		jr_sb_addstr(&sb, "  (nothing ready)\n");
	for (size_t i = 0; i < b->nready; i++)
		jr_sb_addf(&sb, "  %s  %s  %s  %s\n", b->ready[i]->id,
			   jerry_priority_name(b->ready[i]->priority),
			   jerry_type_name(b->ready[i]->type),
			   jerry_title_cut(cut, b->ready[i]->title, BRIEF_TITLE));
	if (!(*out = jr_sb_detach(&sb, NULL)))
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	return 0;
}
