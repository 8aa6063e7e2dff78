/*
 * merge.c - the three-way merge of one item: what two copies of the store
 * that changed the same item apart (two clones, two branches) agree it is
 * now.  The rules are in domain.h; ADR 0020 says why they are these.
 *
 * Every rule is symmetric: jr_item_merge(base, a, b) and
 * jr_item_merge(base, b, a) give the same item, whatever the order, so two
 * clones that each merge the other's side end in the same bytes.  Where a
 * rule needs "the later side", jr_merge_side() decides by the sides'
 * updated_at, then version, then updated_by; a full tie (which only equal
 * stamps on different values reach) is broken by the values themselves.
 */
#include "domain.h"

#include <stdlib.h>
#include <string.h>

static int str_cmp0(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int i64_cmp(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

int jr_merge_side(const jerry_item *a, const jerry_item *b)
{
	int c = i64_cmp(a->updated_at, b->updated_at);
	if (!c)
		c = i64_cmp(a->version, b->version);
	if (!c)
		c = str_cmp0(a->updated_by, b->updated_by);
	return c;
}

/* ---- equality --------------------------------------------------------- */

static int note_cmp(const jerry_note *a, const jerry_note *b)
{
	int c = i64_cmp(a->at_ms, b->at_ms);
	if (!c)
		c = str_cmp0(a->by, b->by);
	if (!c)
		c = str_cmp0(a->text, b->text);
	return c;
}

static int claim_same(const jerry_claim *a, const jerry_claim *b)
{
	return !str_cmp0(a->by, b->by) && !str_cmp0(a->session, b->session) &&
	       !str_cmp0(a->token, b->token) && a->expires_ms == b->expires_ms;
}

int jr_item_same(const jerry_item *a, const jerry_item *b)
{
	if (a->num != b->num || a->uid != b->uid || a->version != b->version ||
	    a->type != b->type || a->status != b->status || a->priority != b->priority ||
	    a->parent != b->parent || a->created_at != b->created_at ||
	    a->updated_at != b->updated_at || a->completed_at != b->completed_at ||
	    str_cmp0(a->title, b->title) || str_cmp0(a->description, b->description) ||
	    str_cmp0(a->assignee, b->assignee) || str_cmp0(a->created_by, b->created_by) ||
	    str_cmp0(a->updated_by, b->updated_by) || !claim_same(&a->claim, &b->claim) ||
	    a->nlabels != b->nlabels || a->ndepends != b->ndepends || a->nnotes != b->nnotes ||
	    a->nrenumbered_from != b->nrenumbered_from)
		return 0;
	for (size_t i = 0; i < a->nrenumbered_from; i++)
		if (a->renumbered_from[i] != b->renumbered_from[i])
			return 0;
	for (size_t i = 0; i < a->nlabels; i++)
		if (strcmp(a->labels[i], b->labels[i]))
			return 0;
	for (size_t i = 0; i < a->ndepends; i++)
		if (a->depends_on[i] != b->depends_on[i])
			return 0;
	for (size_t i = 0; i < a->nnotes; i++)
		if (note_cmp(&a->notes[i], &b->notes[i]))
			return 0;
	return 1;
}

/* ---- scalars ------------------------------------------------------------ */

/*
 * Which side a field changed on both sides comes from: the later side, or
 * on a full tie the larger value (vcmp: ours' value against theirs').
 * Returns 1 for ours, 0 for theirs.
 */
static int later_wins(int side, int vcmp)
{
	return side ? side > 0 : vcmp > 0;
}

/*
 * One field three ways: 0 ours, 1 theirs (and *decided set when both
 * changed it differently).  same_ob/same_tb: ours/theirs equal base's;
 * same_ot: ours equals theirs.
 */
static int pick(int same_ot, int same_ob, int same_tb, int side, int vcmp, unsigned bit,
		unsigned *decided)
{
	if (same_ot || same_tb)
		return 0;
	if (same_ob)
		return 1;
	*decided |= bit;
	return later_wins(side, vcmp) ? 0 : 1;
}

static int pick_i64(const int64_t *b, int64_t o, int64_t t, int side, unsigned bit,
		    unsigned *decided)
{
	return pick(o == t, b && o == *b, b && t == *b, side, i64_cmp(o, t), bit, decided);
}

/* ---- sets ------------------------------------------------------------- */

/*
 * A member stays when it is on both sides, or new on one side: a member of
 * base that one side removed stays removed, one that a side added is in.
 */
static int merge_labels(jerry_item *out, const jerry_item *base, const jerry_item *o,
			const jerry_item *t)
{
	int rc;
	for (size_t i = 0; i < o->nlabels; i++)
		if ((jr_labels_has(t, o->labels[i]) || !base || !jr_labels_has(base, o->labels[i])) &&
		    (rc = jr_labels_add(out, o->labels[i])))
			return rc;
	for (size_t i = 0; i < t->nlabels; i++)
		if ((!base || !jr_labels_has(base, t->labels[i])) &&
		    (rc = jr_labels_add(out, t->labels[i])))
			return rc;
	return 0;
}

static int depends_has(const jerry_item *it, int64_t num)
{
	for (size_t i = 0; i < it->ndepends; i++)
		if (it->depends_on[i] == num)
			return 1;
	return 0;
}

static int merge_depends(jerry_item *out, const jerry_item *base, const jerry_item *o,
			 const jerry_item *t)
{
	int rc;
	for (size_t i = 0; i < o->ndepends; i++)
		if ((depends_has(t, o->depends_on[i]) || !base || !depends_has(base, o->depends_on[i])) &&
		    (rc = jr_depends_add(out, o->depends_on[i])))
			return rc;
	for (size_t i = 0; i < t->ndepends; i++)
		if ((!base || !depends_has(base, t->depends_on[i])) &&
		    (rc = jr_depends_add(out, t->depends_on[i])))
			return rc;
	return 0;
}

/* ---- notes ------------------------------------------------------------ */

static int note_qcmp(const void *a, const void *b)
{
	return note_cmp(*(const jerry_note *const *)a, *(const jerry_note *const *)b);
}

static const jerry_note **sorted_notes(const jerry_item *it)
{
	const jerry_note **v = malloc((it->nnotes ? it->nnotes : 1) * sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < it->nnotes; i++)
		v[i] = &it->notes[i];
	qsort(v, it->nnotes, sizeof(*v), note_qcmp);
	return v;
}

/*
 * A note is (at, by, text): notes are never edited, so that triple is its
 * identity.  The union keeps each note once - as often as the side that
 * has it most often has it - in the order of (at, by, text).
 */
static int merge_notes(jerry_item *out, const jerry_item *o, const jerry_item *t)
{
	const jerry_note **a = sorted_notes(o), **b = sorted_notes(t);
	size_t i = 0, j = 0;
	int rc = JERRY_ENOMEM;
	if (!a || !b)
		goto out;
	while (i < o->nnotes || j < t->nnotes) {
		const jerry_note *n;
		int c = i == o->nnotes ? 1 : j == t->nnotes ? -1 : note_cmp(a[i], b[j]);
		if (c <= 0) {
			n = a[i++];
			if (!c)
				j++;
		} else {
			n = b[j++];
		}
		if ((rc = jr_notes_append(out, n->at_ms, n->by, n->text)))
			goto out;
	}
	rc = 0;
out:
	free(a);
	free(b);
	return rc;
}

/* The losing side's title or description, kept as a note of its side. */
static int keep_as_note(jerry_item *out, const jerry_item *loser, const char *what,
			const char *text)
{
	static const char sep[] = " (the other side of a merge): ";
	if (!text || !*text)
		text = "(none)";
	size_t head = strlen(what) + sizeof(sep) - 1;
	size_t len = strlen(text);
	if (head + len > JR_TEXT_MAX_BYTES) {
		len = JR_TEXT_MAX_BYTES - head;
		while (len && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
	}
	char *note = malloc(head + len + 1);
	if (!note)
		return JERRY_ENOMEM;
	memcpy(note, what, head - (sizeof(sep) - 1));
	memcpy(note + head - (sizeof(sep) - 1), sep, sizeof(sep) - 1);
	memcpy(note + head, text, len);
	note[head + len] = '\0';
	/* A note like every other: it sorts and deduplicates with them. */
	jerry_note n = { loser->updated_at, loser->updated_by, note };
	int rc = 0;
	int found = 0;
	for (size_t i = 0; i < out->nnotes && !found; i++)
		found = !note_cmp(&out->notes[i], &n);
	if (!found) {
		rc = jr_notes_append(out, n.at_ms, n.by, n.text);
		/* Keep (at, by, text) order: move it back past later notes. */
		for (size_t i = out->nnotes - 1; !rc && i > 0 &&
		     note_cmp(&out->notes[i - 1], &out->notes[i]) > 0; i--) {
			jerry_note tmp = out->notes[i - 1];
			out->notes[i - 1] = out->notes[i];
			out->notes[i] = tmp;
		}
	}
	free(note);
	return rc;
}

/* ---- claims and status ---------------------------------------------------- */

/* Which claim stands: 0 ours, 1 theirs.  Both changed. */
static int pick_claim(const jerry_claim *o, const jerry_claim *t, int64_t now_ms)
{
	int lo = o->by && o->expires_ms > now_ms, lt = t->by && t->expires_ms > now_ms;
	if (lo != lt)
		return lt;
	/*
	 * Two live claims: the earlier one, the one whose lease ends first
	 * (jerry records no claim time; with one lease length that is the one
	 * taken first).  Neither live: the one whose lease ended last, and a
	 * released claim (none) over a lapsed one.
	 */
	int c;
	if (!o->by || !t->by)
		return o->by != NULL;
	c = i64_cmp(o->expires_ms, t->expires_ms);
	if (lo)
		c = -c;
	if (!c)
		c = str_cmp0(o->by, t->by);
	if (!c)
		c = str_cmp0(o->token, t->token);
	if (!c)
		c = str_cmp0(o->session, t->session);
	return c < 0;
}

/*
 * Two statuses set apart: the one further along wins, cancelled over done
 * over blocked over in_progress over pending.  Finished work is not
 * undone by a side that had not seen it finish.
 */
static int status_rank(jerry_status s)
{
	static const int rank[JERRY_STATUS__COUNT] = {
		[JERRY_STATUS_PENDING] = 0, [JERRY_STATUS_IN_PROGRESS] = 1,
		[JERRY_STATUS_BLOCKED] = 2, [JERRY_STATUS_DONE] = 3,
		[JERRY_STATUS_CANCELLED] = 4,
	};
	return (unsigned)s < JERRY_STATUS__COUNT ? rank[s] : -1;
}

static int copy_claim(jerry_claim *dst, const jerry_claim *src)
{
	dst->expires_ms = src->expires_ms;
	if (jr_set_str(&dst->by, src->by) || jr_set_str(&dst->session, src->session) ||
	    jr_set_str(&dst->token, src->token))
		return JERRY_ENOMEM;
	return 0;
}

static const char *const field_names[] = {
	"title", "description", "type", "priority", "status", "assignee", "parent", "claim",
};

const char *jr_merge_field_name(unsigned bit)
{
	for (unsigned i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (bit == 1u << i)
			return field_names[i];
	return "unknown";
}

const char *jerry_merge_field(unsigned i)
{
	return i < sizeof(field_names) / sizeof(field_names[0]) ? field_names[i] : NULL;
}

/*
 * What a merge may take past its limit: each side is under it, the union
 * of both need not be.  Not a command to fix but two copies that cannot be
 * one item as they are: a conflict (exit 4) naming the limit, and how to
 * get under it where a command can.
 */
enum merge_limit { LIMIT_LABELS, LIMIT_DEPENDS, LIMIT_NOTES, LIMIT_RENUMBERED };

static int limit_error(jerry_error *err, const char *id, enum merge_limit limit)
{
	static const char *const what[] = { "labels", "dependencies", "notes", "former numbers" };
	static const long long max[] = { JR_LABELS_MAX, JR_DEPENDS_MAX, JR_NOTES_MAX, JR_DEPENDS_MAX };
	jr_error(err, JERRY_ECONFLICT,
		 "cannot merge '%s': the two copies together have more than %lld %s, the most an "
		 "item may have", id, max[limit], what[limit]);
	if (limit == LIMIT_LABELS)
		jr_error_hint(err, "nothing was merged; remove labels here ('jerry update %s "
				   "--remove-label LABEL') until the two fit together, then sync again", id);
	else if (limit == LIMIT_DEPENDS)
		jr_error_hint(err, "nothing was merged; remove dependencies here ('jerry dep rm "
				   "%s --on ID') until the two fit together, then sync again", id);
	else
		jr_error_hint(err, "nothing was merged; %s are never removed: continue the work of %s "
				   "in a new item", what[limit], id);
	return JERRY_ECONFLICT;
}

int jr_item_merge(jerry_item **out, unsigned *out_decided, const jerry_item *base,
		  const jerry_item *o, const jerry_item *t, int64_t now_ms, jerry_error *err)
{
	jerry_item *m = NULL;
	unsigned decided = 0;
	int rc = JERRY_ENOMEM;
	*out = NULL;
	if (out_decided)
		*out_decided = 0;
	if (o->uid != t->uid || o->num != t->num)
		return jr_error(err, JERRY_ECONFLICT, "cannot merge '%s' with '%s': they are two items",
				o->id, t->id);
	if (base && (base->uid != o->uid || base->num != o->num))
		base = NULL;
	/* One side did not change it, or both made the same item: no merge. */
	if (jr_item_same(o, t) || (base && jr_item_same(t, base)))
		m = jr_item_dup(o);
	else if (base && jr_item_same(o, base))
		m = jr_item_dup(t);
	if (m) {
		*out = m;
		return 0;
	}
	if (!base && o->is_summary != t->is_summary)
		return jr_error(err, JERRY_EINVALID, "cannot merge a summary of '%s'", o->id);

	int side = jr_merge_side(o, t);
	enum merge_limit limit = LIMIT_NOTES;
	const jerry_item *later = side > 0 ? o : t;
	if (!(m = jr_item_dup(later)))
		goto fail;
	/* The sets and notes are built again from the sides below. */
	for (size_t i = 0; i < m->nlabels; i++)
		free(m->labels[i]);
	free(m->labels);
	free(m->depends_on);
	for (size_t i = 0; i < m->nnotes; i++) {
		free(m->notes[i].by);
		free(m->notes[i].text);
	}
	free(m->notes);
	m->labels = NULL, m->nlabels = 0;
	m->depends_on = NULL, m->ndepends = 0;
	m->notes = NULL, m->nnotes = 0;

	/* Scalars. */
	const char *bt = base ? base->title : NULL, *bd = base ? base->description : NULL;
	const char *ba = base ? base->assignee : NULL;
	int64_t btype = base ? (int64_t)base->type : -1;
	int64_t bprio = base ? (int64_t)base->priority : -1;
	int64_t bparent = base ? base->parent : 0;
	int w_title = pick(!str_cmp0(o->title, t->title), base && !str_cmp0(o->title, bt),
			   base && !str_cmp0(t->title, bt), side, str_cmp0(o->title, t->title),
			   JR_MERGE_TITLE, &decided);
	int w_desc = pick(!str_cmp0(o->description, t->description),
			  base && !str_cmp0(o->description, bd), base && !str_cmp0(t->description, bd),
			  side, str_cmp0(o->description, t->description), JR_MERGE_DESCRIPTION, &decided);
	int w_type = pick_i64(base ? &btype : NULL, o->type, t->type, side, JR_MERGE_TYPE, &decided);
	int w_prio = pick_i64(base ? &bprio : NULL, o->priority, t->priority, side, JR_MERGE_PRIORITY,
			      &decided);
	int w_asg = pick(!str_cmp0(o->assignee, t->assignee), base && !str_cmp0(o->assignee, ba),
			 base && !str_cmp0(t->assignee, ba), side, str_cmp0(o->assignee, t->assignee),
			 JR_MERGE_ASSIGNEE, &decided);
	int w_par = pick_i64(base ? &bparent : NULL, o->parent, t->parent, side, JR_MERGE_PARENT, &decided);

	/* Status: further along wins; completed_at follows the status. */
	int w_status;
	int bs = base ? (int)base->status : -1;
	if (o->status == t->status || (base && (int)t->status == bs))
		w_status = 0;
	else if (base && (int)o->status == bs)
		w_status = 1;
	else {
		decided |= JR_MERGE_STATUS;
		w_status = status_rank(o->status) >= status_rank(t->status) ? 0 : 1;
	}

	/* Claims: of two live claims the earlier; the assignee a claim set follows it. */
	int w_claim;
	const jerry_claim *bc = base ? &base->claim : NULL;
	if (claim_same(&o->claim, &t->claim) || (bc && claim_same(&t->claim, bc)))
		w_claim = 0;
	else if (bc && claim_same(&o->claim, bc))
		w_claim = 1;
	else {
		decided |= JR_MERGE_CLAIM;
		w_claim = pick_claim(&o->claim, &t->claim, now_ms);
		const jerry_item *cw = w_claim ? t : o;
		if ((decided & (JR_MERGE_ASSIGNEE)) && cw->claim.by && cw->assignee &&
		    !strcmp(cw->claim.by, cw->assignee))
			w_asg = w_claim;
	}

	const jerry_item *src;
	src = w_title ? t : o;
	if (jr_set_str(&m->title, src->title))
		goto fail;
	src = w_desc ? t : o;
	if (jr_set_str(&m->description, src->description))
		goto fail;
	m->type = (w_type ? t : o)->type;
	m->priority = (w_prio ? t : o)->priority;
	if (jr_set_str(&m->assignee, (w_asg ? t : o)->assignee))
		goto fail;
	m->parent = (w_par ? t : o)->parent;
	m->status = (w_status ? t : o)->status;
	if (m->status == JERRY_STATUS_DONE) {
		/* The earlier completion of two, else the one that has it. */
		int64_t co = o->status == JERRY_STATUS_DONE ? o->completed_at : 0;
		int64_t ct = t->status == JERRY_STATUS_DONE ? t->completed_at : 0;
		m->completed_at = !co ? ct : !ct ? co : co < ct ? co : ct;
		if (!m->completed_at)
			m->completed_at = o->updated_at > t->updated_at ? o->updated_at : t->updated_at;
	} else {
		m->completed_at = 0;
	}
	if ((rc = copy_claim(&m->claim, &(w_claim ? t : o)->claim)))
		goto fail;
	/* Only work in progress (or blocked on the way) is anybody's. */
	if (m->status != JERRY_STATUS_IN_PROGRESS && m->status != JERRY_STATUS_BLOCKED)
		jr_claim_clear(m);

	/* Each set is under its limit on each side; their union may not be (limit_error). */
	if ((rc = merge_labels(m, base, o, t))) {
		limit = LIMIT_LABELS;
		goto fail;
	}
	if ((rc = merge_depends(m, base, o, t))) {
		limit = LIMIT_DEPENDS;
		goto fail;
	}
	limit = LIMIT_NOTES;
	if ((rc = merge_notes(m, o, t)))
		goto fail;
	if ((decided & JR_MERGE_TITLE) && (rc = keep_as_note(m, w_title ? o : t, "title",
							  (w_title ? o : t)->title)))
		goto fail;
	if ((decided & JR_MERGE_DESCRIPTION) && (rc = keep_as_note(m, w_desc ? o : t, "description",
							 (w_desc ? o : t)->description)))
		goto fail;
	/* Former numbers are only ever added: the union. */
	limit = LIMIT_RENUMBERED;
	for (size_t i = 0; i < o->nrenumbered_from; i++)
		if ((rc = jr_renumbered_add(m, o->renumbered_from[i])))
			goto fail;
	for (size_t i = 0; i < t->nrenumbered_from; i++)
		if ((rc = jr_renumbered_add(m, t->renumbered_from[i])))
			goto fail;

	/* Both added one uid (a copied file): the first creation stands. */
	int cc = i64_cmp(o->created_at, t->created_at);
	const jerry_item *first = cc < 0 || (!cc && str_cmp0(o->created_by, t->created_by) <= 0) ? o : t;
	m->created_at = first->created_at;
	if (jr_set_str(&m->created_by, first->created_by))
		goto fail;
	m->version = (o->version > t->version ? o->version : t->version) + 1;
	m->updated_at = later->updated_at;
	if (out_decided)
		*out_decided = decided;
	*out = m;
	return 0;
fail:
	jerry_item_free(m);
	if (rc == JERRY_EINVALID)
		return limit_error(err, o->id, limit);
	return jr_error(err, JERRY_ENOMEM, "out of memory");
}

/* ---- a renumbering's references (ADR 0020) ------------------------------ */

static int note_in(const jerry_item *it, const jerry_note *n)
{
	for (size_t i = 0; it && i < it->nnotes; i++)
		if (!note_cmp(&it->notes[i], n))
			return 1;
	return 0;
}

/*
 * text with " (now TO)" after each mention of the ID `from` (a mention is
 * the ID not followed by a digit); *out NULL when there is none.
 */
static int follow_mentions(char **out, const char *text, const char *from, const char *to)
{
	static const char now[] = " (now ";
	size_t flen = strlen(from), tlen = strlen(to), n = 0, len = strlen(text);
	*out = NULL;
	for (const char *p = text; (p = strstr(p, from)); p += flen)
		if (!(p[flen] >= '0' && p[flen] <= '9') && strncmp(p + flen, now, sizeof(now) - 1))
			n++;
	/* A note that would outgrow the limit keeps its text. */
	if (!n || n > (JR_TEXT_MAX_BYTES - len) / (sizeof(now) + tlen))
		return 0;
	char *s = malloc(len + n * (sizeof(now) + tlen) + 1), *w = s;
	if (!s)
		return JERRY_ENOMEM;
	for (const char *p = text, *q; (q = strstr(p, from)); p = q + flen) {
		memcpy(w, p, (size_t)(q - p) + flen);
		w += q - p + flen;
		if (!(q[flen] >= '0' && q[flen] <= '9') && strncmp(q + flen, now, sizeof(now) - 1)) {
			memcpy(w, now, sizeof(now) - 1);
			memcpy(w + sizeof(now) - 1, to, tlen);
			w += sizeof(now) - 1 + tlen;
			*w++ = ')';
		}
		text = q + flen;
	}
	memcpy(w, text, strlen(text) + 1); /* the tail after the last mention, and its NUL */
	*out = s;
	return 0;
}

int jr_item_follow_renumber(int *changed, jerry_item *it, const jerry_item *base, int64_t from,
			    int64_t to)
{
	char from_id[24], to_id[24];
	int rc;
	*changed = 0;
	if (it->parent == from && !(base && base->parent == from)) {
		it->parent = to;
		*changed = 1;
	}
	if (depends_has(it, from) && !(base && depends_has(base, from))) {
		if ((rc = jr_depends_remove(it, from)) || (rc = jr_depends_add(it, to)))
			return rc;
		*changed = 1;
	}
	jerry_id_format(from_id, sizeof(from_id), from);
	jerry_id_format(to_id, sizeof(to_id), to);
	for (size_t i = 0; i < it->nnotes; i++) {
		char *s = NULL;
		if (note_in(base, &it->notes[i]))
			continue;
		if ((rc = follow_mentions(&s, it->notes[i].text, from_id, to_id)))
			return rc;
		if (s) {
			free(it->notes[i].text);
			it->notes[i].text = s;
			*changed = 1;
		}
	}
	return 0;
}
