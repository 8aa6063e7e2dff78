/*
 * coord.c - what agents working side by side need: claims with leases,
 * ready work, blocked items, search (dependency changes: dep_change.c).
 *
 * Every claim decision is made inside port->mutate, i.e. under the item's
 * lock on the item as it is now, so "exactly one winner" holds by
 * construction: the second claimer sees the first one's live claim.
 * Dependency changes additionally run under the store-wide dependency lock
 * (port->exclusive), so two of them cannot both pass the cycle check.
 */
#define _GNU_SOURCE
#include "app.h"
#include "filter.h"
#include "graph.h"
#include "../domain/domain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *claimer(const jr_port *p)
{
	return jr_app_claimer(p);
}

static int holds(const jr_port *p, const jerry_item *it)
{
	return jr_app_holds(p, it);
}

static int held_by_other(const jr_port *p, const jerry_item *it, const char *verb,
			 jerry_error *err)
{
	char until[40];
	jerry_time_format(until, sizeof(until), it->claim.expires_ms);
	if (p->proof && p->proof(p->ctx))
		jr_error(err, JERRY_ECONFLICT,
			 "cannot %s '%s': the claim token is not its claim's (claimed by %s until %s)",
			 verb, it->id, it->claim.by, until);
	else
		jr_error(err, JERRY_ECONFLICT, "cannot %s '%s': claimed by %s (session %s) until %s",
			 verb, it->id, it->claim.by, it->claim.session ? it->claim.session : "-",
			 until);
	if (err) {
		snprintf(err->holder, sizeof(err->holder), "%s", it->claim.by);
		err->holder_expires_ms = it->claim.expires_ms;
		jr_error_item(err, it->num);
		if (strcmp(verb, "claim") == 0)
			jr_error_hint(err, "pick another item ('jerry ready'), or wait for the lease to end");
		else
			jr_error_hint(err, "only the holder can %s it", verb);
	}
	return JERRY_ECONFLICT;
}

/* ---- claims ------------------------------------------------------------ */

struct claim_ctx {
	const jr_port *port;
	int64_t lease_ms;
	int require_ready;     /* claim --next: the item must still be ready */
	int force;             /* claim ID --force: although dependencies are open */
	int any_assignee;      /* claim --next --any: although assigned to another */
	int64_t if_version;    /* release: only while the item is at this version (0: any) */
};

static int deps_done(const jr_port *port, const jerry_item *it, jerry_error *err)
{
	for (size_t i = 0; i < it->ndepends; i++) {
		jerry_item *dep = NULL;
		int rc = port->get(port->ctx, &dep, it->depends_on[i], err);
		int done = rc == 0 && dep->status == JERRY_STATUS_DONE;
		jerry_item_free(dep);
		if (!done)
			return 0;
	}
	return 1;
}

/*
 * The pool: pending items without a live claim, and in_progress items whose
 * claim went stale - their holder stopped renewing the lease, so the work
 * is free again.
 */
static int in_pool(const jerry_item *it, int64_t now)
{
	if (it->status == JERRY_STATUS_PENDING)
		return !jr_claim_live(it, now);
	return it->status == JERRY_STATUS_IN_PROGRESS && jr_claim_stale(it, now);
}

/* Not assigned to anyone but `me` (an assignee a stale claim set does not count). */
static int free_for(const jerry_item *it, const char *me, int64_t now)
{
	const char *who = jr_assignee_standing(it, now);
	return !who || strcmp(who, me) == 0;
}

static int apply_claim(jerry_item *it, void *arg, jerry_error *err)
{
	struct claim_ctx *c = arg;
	const jr_port *port = c->port;
	int64_t now = port->now(port->ctx);
	int rc;
	if (it->status == JERRY_STATUS_DONE || it->status == JERRY_STATUS_CANCELLED) {
		jr_error_item(err, it->num);
		jr_error(err, JERRY_EREFUSED, "cannot claim '%s': it is %s", it->id,
			 jerry_status_name(it->status));
		jr_error_hint(err, it->status == JERRY_STATUS_DONE ? "reopen it first ('jerry reopen')"
								    : "cancelled is final");
		return JERRY_EREFUSED;
	}
	if (jr_claim_live(it, now) && !holds(port, it))
		return held_by_other(port, it, "claim", err);
	if (c->require_ready && (!in_pool(it, now) || !deps_done(port, it, err) ||
				 (!c->any_assignee && !free_for(it, claimer(port), now))))
		return jr_error(err, JERRY_ECONFLICT, "'%s' is no longer ready", it->id);
	/* Claiming a pending item starts it: the dependency gate applies. */
	if (it->status == JERRY_STATUS_PENDING &&
	    (rc = jr_app_deps_gate(port, it, JERRY_STATUS_IN_PROGRESS, c->force, "claim", err)))
		return rc;
	/* The holder's re-claim renews the lease and keeps the token it was given. */
	char token[64] = "";
	if (holds(port, it) && it->claim.token)
		snprintf(token, sizeof(token), "%s", it->claim.token);
	else if (port->new_token && (rc = port->new_token(port->ctx, token, sizeof(token), err)))
		return rc;
	/* Taking over a stale claim of another: the history says who lost it. */
	if (jr_claim_stale(it, now) && strcmp(it->claim.by, claimer(port)) != 0) {
		char when[40], text[320];
		jerry_time_format(when, sizeof(when), it->claim.expires_ms);
		snprintf(text, sizeof(text), "reclaimed from %.200s (lease expired at %s)", it->claim.by,
			 when);
		if ((rc = jr_notes_append(it, now, port->actor(port->ctx), text)))
			return jr_error(err, rc, rc == JERRY_ENOMEM ? "out of memory"
								    : "'%s' has too many notes", it->id);
	}
	jr_claim_clear(it);
	if ((rc = jr_set_str(&it->claim.by, claimer(port))) ||
	    (rc = jr_set_str(&it->claim.session, port->session(port->ctx))) ||
	    (token[0] && (rc = jr_set_str(&it->claim.token, token))) ||
	    (rc = jr_set_str(&it->assignee, claimer(port))))
		return jr_error(err, rc, "out of memory");
	it->claim.expires_ms = now + c->lease_ms;
	if (it->status == JERRY_STATUS_PENDING)
		return jr_status_transition(it, JERRY_STATUS_IN_PROGRESS, now, err);
	return 0;
}

static int64_t lease_or_default(int64_t lease_ms)
{
	return lease_ms > 0 ? lease_ms : JERRY_DEFAULT_LEASE_MS;
}

/* Claim, heartbeat and release: one item by ID, one apply function. */
static int claim_op(jerry_item **out, const jr_port *port, const char *id, jr_apply_fn fn,
		    int64_t lease_ms, int force, int64_t if_version, jerry_error *err)
{
	int64_t num;
	int rc = jerry_id_parse(&num, id, err);
	struct claim_ctx c = {port, lease_or_default(lease_ms), 0, force, 0, if_version};
	if (out)
		*out = NULL;
	if (rc)
		return rc;
	return port->mutate(port->ctx, out, num, fn, &c, err);
}

int jr_app_claim(jerry_item **out, const jr_port *port, const char *id, int64_t lease_ms,
		 int flags, jerry_error *err)
{
	return claim_op(out, port, id, apply_claim, lease_ms, (flags & JERRY_CLAIM_FORCE) != 0, 0,
			err);
}

static int ready_items(jerry_item ***out, size_t *out_n, const jr_port *port,
		       const jerry_filter *f, int own_or_free, jerry_error *err);

int jr_app_claim_next(jerry_item **out, const jr_port *port, const jerry_filter *f,
		      int64_t lease_ms, jerry_error *err)
{
	jerry_filter rf;
	jerry_item **ready = NULL;
	size_t n = 0;
	struct claim_ctx c = {port, lease_or_default(lease_ms), 1, 0, f && f->any_assignee, 0};
	if (out)
		*out = NULL;
	/* Every candidate, not the first `limit`: some may be taken under us. */
	memset(&rf, 0, sizeof(rf));
	if (f) {
		rf = *f;
		rf.limit = 0;
	}
	int rc = ready_items(&ready, &n, port, &rf, !c.any_assignee, err);
	if (rc)
		return rc;
	/*
	 * Walk the candidates best first.  The list may be stale by the time
	 * we get to an item - another agent may have taken it - and then the
	 * claim under the item's lock says so and we move on.
	 */
	rc = JERRY_ENOTFOUND;
	for (size_t i = 0; i < n; i++) {
		jerry_error e2;
		jerry_error_clear(&e2);
		rc = port->mutate(port->ctx, out, ready[i]->num, apply_claim, &c, &e2);
		if (rc == 0 || rc == JERRY_EDURABLE) {
			if (rc)
				jr_error_pass(err, &e2);
			break;
		}
		if (rc != JERRY_ECONFLICT && rc != JERRY_EREFUSED && rc != JERRY_ENOTFOUND) {
			jr_error_pass(err, &e2);
			break;
		}
		rc = JERRY_ENOTFOUND;
	}
	jerry_item_array_free(ready, n);
	if (rc == JERRY_ENOTFOUND) {
		struct jr_match m;
		char what[256] = "";
		if (jr_match_init(&m, &rf, NULL) == 0) {
			jr_match_describe(what, sizeof(what), &m);
			jr_match_release(&m);
		}
		jr_error(err, JERRY_ENOTFOUND, "nothing is ready%s", what);
		jr_error_hint(err, c.any_assignee ? "'jerry blocked' shows what waits, 'jerry list' what is open"
						  : "'jerry blocked' shows what waits; items assigned to others"
						    " need --any");
	}
	return rc;
}

static int apply_heartbeat(jerry_item *it, void *arg, jerry_error *err)
{
	struct claim_ctx *c = arg;
	const jr_port *port = c->port;
	if (!it->claim.by) {
		jr_error_item(err, it->num);
		return jr_error(err, JERRY_ECONFLICT, "cannot extend '%s': it is not claimed", it->id);
	}
	if (!holds(port, it))
		return held_by_other(port, it, "extend", err);
	it->claim.expires_ms = port->now(port->ctx) + c->lease_ms;
	return 0;
}

int jr_app_heartbeat(jerry_item **out, const jr_port *port, const char *id, int64_t lease_ms,
		     jerry_error *err)
{
	return claim_op(out, port, id, apply_heartbeat, lease_ms, 0, 0, err);
}

/*
 * Give an item back (ADR 0016): the one way out of "I started this by
 * mistake" and "I must give it back", claimed or not.  An item in progress
 * returns to pending; a blocked one stays blocked, without its claim.
 * Someone else's live claim is theirs unless force; an expired one is
 * nobody's and anyone may clear it.  Either is recorded as a note.
 */
static int apply_release(jerry_item *it, void *arg, jerry_error *err)
{
	struct claim_ctx *c = arg;
	const jr_port *port = c->port;
	int64_t now = port->now(port->ctx);
	char text[400] = "", when[40];
	int rc;
	if (c->if_version && it->version != c->if_version) {
		jr_error_item(err, it->num);
		jr_error(err, JERRY_ECONFLICT, "cannot release '%s': version %lld is stale (now %lld)",
			 it->id, (long long)c->if_version, (long long)it->version);
		if (err) {
			err->expected_version = c->if_version;
			err->current_version = it->version;
			jr_error_hint(err, "look at '%s' again: it changed since version %lld", it->id,
				      (long long)c->if_version);
		}
		return JERRY_ECONFLICT;
	}
	if (it->status == JERRY_STATUS_DONE || it->status == JERRY_STATUS_CANCELLED) {
		jr_error_item(err, it->num);
		jr_error(err, JERRY_EREFUSED, "cannot release '%s': it is %s", it->id,
			 jerry_status_name(it->status));
		jr_error_hint(err, it->status == JERRY_STATUS_DONE
					   ? "a done item is nobody's work; 'jerry reopen' takes it up again"
					   : "cancelled is final");
		return JERRY_EREFUSED;
	}
	if (!it->claim.by && it->status != JERRY_STATUS_IN_PROGRESS) {
		jr_error_item(err, it->num);
		jr_error(err, JERRY_ECONFLICT, "cannot release '%s': it is not claimed", it->id);
		jr_error_hint(err, "it is %s: there is nothing to give back",
			      jerry_status_name(it->status));
		return JERRY_ECONFLICT;
	}
	if (it->claim.by && !holds(port, it)) {
		jerry_time_format(when, sizeof(when), it->claim.expires_ms);
		if (jr_claim_live(it, now) && !c->force) {
			held_by_other(port, it, "release", err);
			jr_error_hint(err, "leave it to its holder, or pass --force to take it back (recorded)");
			return JERRY_ECONFLICT;
		}
		if (jr_claim_live(it, now))
			snprintf(text, sizeof(text), "released while claimed by %.200s until %s (--force)",
				 it->claim.by, when);
		else
			snprintf(text, sizeof(text), "released the claim of %.200s (lease expired at %s)",
				 it->claim.by, when);
	}
	/* The assignee the work gave it - the holder's, or the caller's own - goes with it. */
	if (it->assignee && ((it->claim.by && strcmp(it->assignee, it->claim.by) == 0) ||
			     strcmp(it->assignee, claimer(port)) == 0))
		jr_set_str(&it->assignee, NULL);
	jr_claim_clear(it);
	if (text[0] && (rc = jr_notes_append(it, now, port->actor(port->ctx), text)))
		return jr_error(err, rc, rc == JERRY_ENOMEM ? "out of memory"
							    : "'%s' has too many notes", it->id);
	/*
	 * Released work goes back to the pool.  This is the one move the
	 * state machine leaves to release: `update --status pending` cannot
	 * take an item from in_progress back to pending.
	 */
	if (it->status == JERRY_STATUS_IN_PROGRESS)
		it->status = JERRY_STATUS_PENDING;
	return 0;
}

int jr_app_release(jerry_item **out, const jr_port *port, const char *id, int flags,
		   int64_t if_version, jerry_error *err)
{
	return claim_op(out, port, id, apply_release, 0, (flags & JERRY_CLAIM_FORCE) != 0,
			if_version, err);
}

/* ---- ready and blocked -------------------------------------------------------- */

static int waits_on_others(const struct graph *g, const jerry_item *it)
{
	for (size_t i = 0; i < it->ndepends; i++) {
		const jerry_item *dep = jr_graph_get(g, it->depends_on[i]);
		if (!dep || dep->status != JERRY_STATUS_DONE)
			return 1;
	}
	return 0;
}

static int cmp_ready(const void *a, const void *b)
{
	const jerry_item *x = *(jerry_item *const *)a, *y = *(jerry_item *const *)b;
	if (x->priority != y->priority)
		return (int)x->priority - (int)y->priority;
	if (x->created_at != y->created_at)
		return (x->created_at > y->created_at) - (x->created_at < y->created_at);
	return (x->num > y->num) - (x->num < y->num);
}

/* Move the items `keep` selects out of g->all into a new array. */
static int select_items(jerry_item ***out, size_t *out_n, struct graph *g,
			int (*keep)(const struct graph *, const jerry_item *, const void *),
			const void *arg, jerry_error *err)
{
	jerry_item **sel = calloc(g->n ? g->n : 1, sizeof(*sel));
	size_t k = 0;
	if (!sel)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	for (size_t i = 0; i < g->n; i++)
		if (keep(g, g->all[i], arg))
			sel[k++] = g->all[i];
	/* Taken items leave g->all so jr_graph_release does not free them. */
	size_t w = 0;
	for (size_t i = 0, j = 0; i < g->n; i++) {
		if (j < k && g->all[i] == sel[j]) {
			j++;
			continue;
		}
		g->all[w++] = g->all[i];
	}
	g->n = w;
	*out = sel;
	*out_n = k;
	return 0;
}

struct ready_arg {
	const struct jr_match *m;
	int64_t now;
	const char *me;        /* claim --next without --any: not assigned to another */
	const unsigned char *open_kids;   /* per position in by_num; NULL: containers wanted */
};

/*
 * Which items have an open child: a flag per position in g->by_num, in one
 * pass over the summaries (each child marks its parent).
 */
static int open_children_load(unsigned char **out, const struct graph *g, jerry_error *err)
{
	unsigned char *kids = calloc(g->nnum ? g->nnum : 1, 1);
	if (!kids)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	for (size_t i = 0; i < g->n; i++) {
		size_t at;
		const jerry_item *c = g->all[i];
		if (c->parent > 0 && jr_status_open(c->status) && jr_graph_find(g, c->parent, &at))
			kids[at] = 1;
	}
	*out = kids;
	return 0;
}

/* Containers are not work (domain.h): ready hands them out only when asked. */
static int is_work(const struct graph *g, const jerry_item *it, const unsigned char *open_kids)
{
	size_t at;
	if (!open_kids)
		return 1;
	return jr_is_work(it, jr_graph_find(g, it->num, &at) && open_kids[at]);
}

static int keep_ready(const struct graph *g, const jerry_item *it, const void *arg)
{
	const struct ready_arg *r = arg;
	if (!in_pool(it, r->now) || waits_on_others(g, it))
		return 0;
	if (r->me && !free_for(it, r->me, r->now))
		return 0;
	if (!is_work(g, it, r->open_kids))
		return 0;
	return jr_match_fields(r->m, it);
}

static int ready_items(jerry_item ***out, size_t *out_n, const jr_port *port,
		       const jerry_filter *f, int own_or_free, jerry_error *err)
{
	struct graph g;
	struct jr_match m;
	int64_t now = port->now(port->ctx);
	struct ready_arg r = {&m, now, own_or_free ? claimer(port) : NULL, NULL};
	unsigned char *kids = NULL;
	int rc;
	*out = NULL;
	*out_n = 0;
	if ((rc = jr_match_init(&m, f, err)))
		return rc;
	jr_match_who(&m, claimer(port), now);
	if ((rc = jr_graph_load(&g, port, err))) {
		jr_match_release(&m);
		return rc;
	}
	if (!(f && f->containers) && (rc = open_children_load(&kids, &g, err)) == 0)
		r.open_kids = kids;
	if (rc == 0)
		rc = select_items(out, out_n, &g, keep_ready, &r, err);
	free(kids);
	jr_graph_release(&g);
	jr_match_release(&m);
	if (rc)
		return rc;
	qsort(*out, *out_n, sizeof(**out), cmp_ready);
	if (f && f->limit && *out_n > f->limit) {
		for (size_t i = f->limit; i < *out_n; i++)
			jerry_item_free((*out)[i]);
		*out_n = f->limit;
	}
	return 0;
}

int jr_app_ready(jerry_item ***out, size_t *out_n, const jr_port *port, const jerry_filter *f,
		 jerry_error *err)
{
	return ready_items(out, out_n, port, f, 0, err);
}

static int keep_blocked(const struct graph *g, const jerry_item *it, const void *arg)
{
	(void)arg;
	if (it->status == JERRY_STATUS_DONE || it->status == JERRY_STATUS_CANCELLED)
		return 0;
	return it->status == JERRY_STATUS_BLOCKED || waits_on_others(g, it);
}

int jr_app_blocked(jerry_item ***out, size_t *out_n, const jr_port *port, jerry_error *err)
{
	struct graph g;
	int rc;
	*out = NULL;
	*out_n = 0;
	if ((rc = jr_graph_load(&g, port, err)))
		return rc;
	rc = select_items(out, out_n, &g, keep_blocked, NULL, err);
	jr_graph_release(&g);
	return rc;
}

/* The dependencies of w->item that are not done, as copies of their summaries. */
static int blockers_of(jerry_waiting *w, const struct graph *g, jerry_error *err)
{
	const jerry_item *it = w->item;
	w->blockers = calloc(it->ndepends ? it->ndepends : 1, sizeof(*w->blockers));
	if (!w->blockers)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	for (size_t d = 0; d < it->ndepends; d++) {
		const jerry_item *dep = jr_graph_get(g, it->depends_on[d]);
		if (dep && dep->status == JERRY_STATUS_DONE)
			continue;
		jerry_blocker *b = &w->blockers[w->nblockers];
		b->num = it->depends_on[d];
		if (dep && !(b->item = jr_item_dup(dep)))
			return jr_error(err, JERRY_ENOMEM, "out of memory");
		w->nblockers++;
	}
	return 0;
}

int jr_app_waiting_on(jerry_waiting **out, size_t *out_n, const jr_port *port, jerry_error *err)
{
	jerry_item **items = NULL;
	jerry_waiting *w = NULL;
	size_t n = 0, k = 0;
	struct graph g;
	int rc;
	*out = NULL;
	*out_n = 0;
	if ((rc = jr_graph_load(&g, port, err)))
		return rc;
	/* The graph still names the selected items: they stay alive in items[]. */
	if ((rc = select_items(&items, &n, &g, keep_blocked, NULL, err)))
		goto out;
	if (!(w = calloc(n ? n : 1, sizeof(*w)))) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	for (; k < n && !rc; k++) {
		w[k].item = items[k];
		rc = blockers_of(&w[k], &g, err);
	}
out:
	if (rc) {
		/* w owns the first k items, items[] the rest. */
		jerry_waiting_free(w, k);
		for (size_t i = k; i < n; i++)
			jerry_item_free(items[i]);
		free(items);
	} else {
		free(items);
		*out = w;
		*out_n = n;
	}
	jr_graph_release(&g);
	return rc;
}

/* ---- search ---------------------------------------------------------------- */

static int item_matches(const jerry_item *it, const char *text)
{
	if (it->title && strcasestr(it->title, text))
		return 1;
	if (it->description && strcasestr(it->description, text))
		return 1;
	for (size_t i = 0; i < it->nnotes; i++)
		if (strcasestr(it->notes[i].text, text))
			return 1;
	return 0;
}

int jr_app_search(jerry_item ***out, size_t *out_n, const jr_port *port, const char *text,
		  int all, jerry_error *err)
{
	jerry_item **sum = NULL, **hits = NULL;
	size_t n = 0, k = 0;
	int rc;
	*out = NULL;
	*out_n = 0;
	if (!text || !*text)
		return jr_error(err, JERRY_EINVALID, "search for what? the text cannot be empty");
	if ((rc = jr_validate_text("search text", text, err)))
		return rc;
	if ((rc = port->scan(port->ctx, &sum, &n, err)))
		return rc;
	if (!(hits = calloc(n ? n : 1, sizeof(*hits)))) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const jerry_item *s = sum[i];
		if (!all && (s->status == JERRY_STATUS_DONE || s->status == JERRY_STATUS_CANCELLED))
			continue;
		/* Descriptions and notes live only in the item files. */
		jerry_item *it = NULL;
		jerry_error e2;
		rc = port->get(port->ctx, &it, s->num, &e2);
		if (rc == JERRY_ENOTFOUND || rc == JERRY_ECORRUPT) {
			rc = 0;
			continue;
		}
		if (rc) {
			jr_error_pass(err, &e2);
			goto out;
		}
		if (item_matches(it, text))
			hits[k++] = it;
		else
			jerry_item_free(it);
	}
	*out = hits;
	*out_n = k;
	hits = NULL;
out:
	jerry_item_array_free(hits, k);
	jerry_item_array_free(sum, n);
	return rc;
}
