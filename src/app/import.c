/*
 * import.c - an import over any port: records read from another tracker's
 * file (domain/import_map.h) matched to the items that came from them before
 * (external_ref), created or updated, and their parents and dependencies
 * rebuilt on jerry's numbers.  A link the rules refuse (a parent of the
 * wrong type, a dependency cycle, an ID the file does not hold) is
 * reported and left out; it never refuses the import.  Everything that
 * could refuse the import - a missing title, a source ID given twice - is
 * checked before the first write.
 */
#include "app.h"
#include "../domain/domain.h"
#include "../domain/import_map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A node of the import's graph: an item there is (> 0), or record i (-(i + 1)). */
typedef int64_t node;

struct by_ref {
	const char *ref;
	node at;
};

struct plan {
	const jr_port *port;
	jr_import_set *set;
	jerry_import_result *res;
	jerry_item **all;              /* the store's summaries (scan)             */
	size_t nall;
	struct by_ref *refs;           /* records' refs, then existing items' refs */
	size_t nrefs;
	int64_t *num;                  /* record i's item number, once known       */
	node *parent;                  /* record i's parent node, or 0             */
	node **deps;                   /* record i's dependency nodes              */
	size_t *ndeps;
	unsigned char *seen;           /* plan_links' scratch, one byte a record  */
	int dry_run;
};

static int cmp_ref(const void *a, const void *b)
{
	return strcmp(((const struct by_ref *)a)->ref, ((const struct by_ref *)b)->ref);
}

static const struct by_ref *find_ref(const struct plan *p, const char *ref)
{
	struct by_ref key = {ref, 0};
	return bsearch(&key, p->refs, p->nrefs, sizeof(key), cmp_ref);
}

static const jerry_item *existing(const struct plan *p, int64_t num)
{
	for (size_t lo = 0, hi = p->nall; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->all[mid]->num == num)
			return p->all[mid];
		if (p->all[mid]->num < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The title jerry can hold: control characters as spaces, at most 256 characters. */
static int fit_title(jr_import_rec *r, jerry_import_row *row)
{
	char *t = r->item->title;
	size_t chars = 0, i;
	if (jr_validate_title(t, NULL) == 0)
		return 0;
	for (i = 0; t[i]; i++) {
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			t[i] = ' ';
		if (((unsigned char)t[i] & 0xC0) != 0x80 && ++chars > 256)
			break;
	}
	t[i] = '\0';
	return jr_import_note(&row->lost, "the title, cut to what jerry holds");
}

/*
 * Where record r is, for a message: "FILE: line N" (JSON Lines), "FILE:
 * element N" (a JSON array), its own file (a Backlog.md task).
 */
static void where(char *buf, size_t size, const jr_import_set *set, const jr_import_rec *r,
		  jerry_error *err)
{
	if (err && (r->file || set->path)) {
		snprintf(err->path, sizeof(err->path), "%s", r->file ? r->file : set->path);
		err->line = r->file || set->elements ? 0 : r->line;
	}
	if (r->file)
		snprintf(buf, size, "%.200s", r->file);
	else
		snprintf(buf, size, "%.200s%s%s %d", set->path ? set->path : "", set->path ? ": " : "",
			 set->elements ? "element" : "line", r->line);
}

/* Before any write: every record has a title and its own source ID. */
static int check_records(struct plan *p, jerry_error *err)
{
	jr_import_set *set = p->set;
	for (size_t i = 0; i < set->n; i++) {
		jr_import_rec *r = &set->recs[i];
		if (!r->item->title || !*r->item->title) {
			char at[256];
			where(at, sizeof(at), set, r, err);
			jr_error(err, JERRY_EINVALID, "%s: '%.64s' has no title", at, r->item->external_ref);
			jr_error_hint(err, "nothing was imported");
			return JERRY_EINVALID;
		}
		p->refs[i] = (struct by_ref){r->item->external_ref, -(node)(i + 1)};
	}
	qsort(p->refs, set->n, sizeof(*p->refs), cmp_ref);
	for (size_t i = 1; i < set->n; i++) {
		if (strcmp(p->refs[i - 1].ref, p->refs[i].ref) != 0)
			continue;
		const jr_import_rec *a = &set->recs[-p->refs[i - 1].at - 1],
				    *b = &set->recs[-p->refs[i].at - 1], *first = a < b ? a : b;
		char at[256], too[256];
		where(at, sizeof(at), set, a < b ? b : a, err);
		if (first->file)
			snprintf(too, sizeof(too), "%.200s", first->file);
		else
			snprintf(too, sizeof(too), "%s %d", set->elements ? "element" : "line", first->line);
		jr_error(err, JERRY_EINVALID, "%s: the ID '%.64s' is there twice (%s too)", at,
			 p->refs[i].ref, too);
		jr_error_hint(err, "nothing was imported");
		return JERRY_EINVALID;
	}
	return 0;
}

static jerry_type node_type(const struct plan *p, node n)
{
	if (n < 0)
		return p->set->recs[-n - 1].item->type;
	return existing(p, n)->type;
}

/* Whether `from` reaches `to` through dependencies (records' planned ones, items' own). */
static int reaches(const struct plan *p, node from, node to, unsigned char *seen, int depth)
{
	if (from == to)
		return 1;
	if (depth > 10000)
		return 1; /* deeper than any real chain: refuse the link rather than recurse on */
	const int64_t *d = NULL;
	const node *dn = NULL;
	size_t n = 0;
	if (from < 0) {
		size_t i = (size_t)(-from - 1);
		if (seen[i])
			return 0;
		seen[i] = 1;
		dn = p->deps[i];
		n = p->ndeps[i];
	} else {
		const struct by_ref *r;
		const jerry_item *it = existing(p, from);
		if (!it)
			return 0;
		/* an item this import updates has the import's dependencies */
		if (it->external_ref && (r = find_ref(p, it->external_ref)) && r->at < 0)
			return reaches(p, r->at, to, seen, depth + 1);
		d = it->depends_on;
		n = it->ndepends;
	}
	for (size_t k = 0; k < n; k++)
		if (reaches(p, dn ? dn[k] : d[k], to, seen, depth + 1))
			return 1;
	return 0;
}

static int node_name(char *buf, size_t size, const struct plan *p, node n)
{
	if (n > 0)
		jerry_id_format(buf, size, n);
	else
		snprintf(buf, size, "%s", p->set->recs[-n - 1].item->external_ref);
	return 0;
}

/* Source IDs to nodes; a link jerry refuses is reported on the row and left out. */
static int plan_links(struct plan *p, unsigned char *seen)
{
	jr_import_set *set = p->set;
	for (size_t i = 0; i < set->n; i++) {
		jr_import_rec *r = &set->recs[i];
		jerry_import_row *row = &p->res->rows[i];
		const struct by_ref *to;
		node self = -(node)(i + 1);
		if (r->parent_ref) {
			jerry_type pt;
			to = find_ref(p, r->parent_ref);
			if (!to) {
				if (jr_import_note(&row->lost, "parent '%.64s': no such item", r->parent_ref))
					return -1;
			} else if (!jr_parent_allowed(r->item->type, (int)(pt = node_type(p, to->at)))) {
				if (jr_import_note(&row->lost, "parent '%.64s': a %s cannot be under a %s",
					     r->parent_ref, jerry_type_name(r->item->type),
					     jerry_type_name(pt)))
					return -1;
			} else {
				p->parent[i] = to->at;
			}
		}
		if (!(p->deps[i] = calloc(r->ndeps + 1, sizeof(node))))
			return -1;
		for (size_t k = 0; k < r->ndeps; k++) {
			char a[80];
			to = find_ref(p, r->dep_refs[k]);
			if (!to) {
				if (jr_import_note(&row->lost, "dependency on '%.64s': no such item", r->dep_refs[k]))
					return -1;
				continue;
			}
			memset(seen, 0, set->n);
			if (reaches(p, to->at, self, seen, 0)) {
				node_name(a, sizeof(a), p, to->at);
				if (jr_import_note(&row->lost, "dependency on '%.64s' (%s): it would close a cycle",
					     r->dep_refs[k], a))
					return -1;
				continue;
			}
			size_t d;
			for (d = 0; d < p->ndeps[i] && p->deps[i][d] != to->at; d++)
				;
			if (d == p->ndeps[i])
				p->deps[i][p->ndeps[i]++] = to->at;
		}
	}
	return 0;
}

/* A node's item number now (0: a record not written yet). */
static int64_t num_of(const struct plan *p, node n)
{
	return n > 0 ? n : p->num[-n - 1];
}

struct apply {
	struct plan *p;
	size_t i;
	int links;                     /* 0: the fields, 1: the parent and dependencies */
};

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/*
 * The source's status onto an item, by the moves the state machine allows:
 * through in_progress when the source skipped it (an issue closed upstream
 * was never started here), never behind the live claim of another than the
 * importer.  A move refused leaves the status as it is and is named in
 * lost; done and cancelled clear the claim, as the commands do.  1 when
 * the status moved, 0 when not, -1 out of memory.
 */
static int take_status(jerry_item *it, jerry_status to, const jr_port *port, int64_t now,
		       char **lost)
{
	jerry_status from = it->status;
	const char *want = jerry_status_name(to), *is = jerry_status_name(from);
	if (from == to)
		return 0;
	if (jr_claim_live(it, now) && !jr_app_holds(port, it)) {
		char until[40];
		jerry_time_format(until, sizeof(until), it->claim.expires_ms);
		return jr_import_note(lost, "the status %s: %s is claimed by %s until %s, so it stays %s",
				      want, it->id, it->claim.by, until, is) ? -1 : 0;
	}
	if (!jerry_status_can_move(from, to) &&
	    !(jerry_status_can_move(from, JERRY_STATUS_IN_PROGRESS) &&
	      jerry_status_can_move(JERRY_STATUS_IN_PROGRESS, to)))
		return jr_import_note(lost, "the status %s: %s cannot move from %s to %s, so it stays %s",
				      want, it->id, is, want, is) ? -1 : 0;
	if ((!jerry_status_can_move(from, to) &&
	     jr_status_transition(it, JERRY_STATUS_IN_PROGRESS, now, NULL)) ||
	    jr_status_transition(it, to, now, NULL))
		return -1; /* cannot happen: both moves were checked above */
	if (to == JERRY_STATUS_DONE || to == JERRY_STATUS_CANCELLED)
		jr_claim_clear(it);
	return 1;
}

/* Record i's fields onto it; how many differed.  What it leaves out goes to the row's lost. */
static int take_fields(jerry_item *it, struct plan *p, size_t i, int64_t now, int *changed)
{
	jr_import_rec *r = &p->set->recs[i];
	jerry_item *d = r->item;
	int64_t done_at = d->completed_at ? d->completed_at : d->updated_at ? d->updated_at : now;
	int64_t was_done_at = it->completed_at;
	int moved;
	*changed = 0;
#define SET_STR(m)                                                        \
	if (!same_str(it->m, d->m)) {                                     \
		if (jr_set_str(&it->m, d->m))                             \
			return -1;                                        \
		(*changed)++;                                             \
	}
	SET_STR(title)
	SET_STR(description)
	SET_STR(external_ref)
	/* A live claim of another's names its holder the assignee: that stays as the status does. */
	if (!same_str(it->assignee, d->assignee) && jr_claim_live(it, p->port->now(p->port->ctx)) &&
	    !jr_app_holds(p->port, it)) {
		if (d->assignee && jr_import_note(&p->res->rows[i].lost,
						  "the assignee %s: %s is claimed by %s, so it stays %s",
						  d->assignee, it->id, it->claim.by,
						  it->assignee ? it->assignee : "none"))
			return -1;
	} else {
		SET_STR(assignee)
	}
#undef SET_STR
	if (it->type != d->type || it->priority != d->priority) {
		it->type = d->type;
		it->priority = d->priority;
		(*changed)++;
	}
	if ((moved = take_status(it, d->status, p->port, p->port->now(p->port->ctx),
				 &p->res->rows[i].lost)) < 0)
		return -1;
	*changed += moved;
	int64_t want_done = it->status == JERRY_STATUS_DONE ? (was_done_at ? was_done_at : done_at) : 0;
	if (it->completed_at != want_done) {
		it->completed_at = want_done;
		(*changed)++;
	}
	for (size_t k = 0; k < d->nlabels; k++)
		if (!jr_labels_has(it, d->labels[k])) {
			if (jr_labels_add(it, d->labels[k]))
				return -1;
			(*changed)++;
		}
	/* Notes only grow: the source's notes jerry does not have yet. */
	for (size_t k = 0; k < d->nnotes; k++) {
		size_t j;
		for (j = 0; j < it->nnotes; j++)
			if (it->notes[j].at_ms == d->notes[k].at_ms &&
			    same_str(it->notes[j].text, d->notes[k].text))
				break;
		if (j < it->nnotes)
			continue;
		if (jr_notes_append(it, d->notes[k].at_ms ? d->notes[k].at_ms : now, d->notes[k].by,
				    d->notes[k].text))
			return -1;
		(*changed)++;
	}
	/* The source's leftovers: set on the item's own unknown keys, the rest kept. */
	if (d->ext && r->ext_ops && !(it->ext && r->ext_ops->same(it->ext, d->ext))) {
		if (r->ext_ops->merge(it, d))
			return -1;
		(*changed)++;
	}
	return 0;
}

static int put_links(jerry_item *it, struct plan *p, size_t i, int *changed)
{
	int64_t parent = p->parent[i] ? num_of(p, p->parent[i]) : 0;
	int64_t *deps = calloc(p->ndeps[i] + 1, sizeof(*deps));
	size_t nd = 0;
	*changed = 0;
	if (!deps)
		return -1;
	for (size_t k = 0; k < p->ndeps[i]; k++)
		if ((deps[nd] = num_of(p, p->deps[i][k])) > 0)
			nd++;
	if (it->parent != parent) {
		it->parent = parent;
		(*changed)++;
	}
	int same = nd == it->ndepends;
	for (size_t k = 0; same && k < nd; k++) {
		same = 0;
		for (size_t j = 0; j < it->ndepends && !same; j++)
			same = it->depends_on[j] == deps[k];
	}
	if (!same) {
		free(it->depends_on);
		it->depends_on = NULL;
		it->ndepends = 0;
		for (size_t k = 0; k < nd; k++)
			if (jr_depends_add(it, deps[k])) {
				free(deps);
				return -1;
			}
		(*changed)++;
	}
	free(deps);
	return 0;
}

static int apply_import(jerry_item *it, void *arg, jerry_error *err)
{
	struct apply *a = arg;
	int changed = 0;
	int rc = a->links ? put_links(it, a->p, a->i, &changed)
			  : take_fields(it, a->p, a->i, a->p->port->now(a->p->port->ctx), &changed);
	if (rc)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	return changed ? 0 : JR_UNCHANGED;
}

static int fill_import(jerry_item *it, void *arg, jerry_error *err)
{
	struct apply *a = arg;
	jerry_item *d = a->p->set->recs[a->i].item;
	int changed;
	if (d->created_at)
		it->created_at = d->created_at;
	if (d->created_by && jr_set_str(&it->created_by, d->created_by))
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	if (take_fields(it, a->p, a->i, it->updated_at, &changed) ||
	    put_links(it, a->p, a->i, &changed))
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	return 0;
}

/* Whether record i's links all point at items with numbers already. */
static int links_known(const struct plan *p, size_t i)
{
	if (p->parent[i] && !num_of(p, p->parent[i]))
		return 0;
	for (size_t k = 0; k < p->ndeps[i]; k++)
		if (!num_of(p, p->deps[i][k]))
			return 0;
	return 1;
}

struct links_run {
	struct plan *p;
	unsigned char *pending;        /* record i still needs its links written */
};

static int write_links(void *arg, jerry_error *err)
{
	struct links_run *l = arg;
	struct plan *p = l->p;
	for (size_t i = 0; i < p->set->n; i++) {
		struct apply a = {p, i, 1};
		jerry_item *it = NULL;
		int rc;
		if (!l->pending[i])
			continue;
		const jerry_item *old = existing(p, p->num[i]);
		if ((rc = p->port->mutate(p->port->ctx, &it, p->num[i], apply_import, &a, err)))
			return rc;
		if (old && it->version != old->version && !strcmp(p->res->rows[i].action, "unchanged"))
			p->res->rows[i].action = "update";
		jerry_item_free(it);
	}
	return 0;
}

struct many {
	struct plan *p;
	size_t *rec;                   /* the records created, in order */
	int64_t *nums;                 /* their numbers, as the port hands them out */
	size_t n;
};

static int fill_many(jerry_item *it, void *arg, size_t i, jerry_error *err)
{
	struct many *m = arg;
	/* Every number is out before the first fill: links to any of them are known. */
	if (i == 0)
		for (size_t k = 0; k < m->n; k++)
			m->p->num[m->rec[k]] = m->nums[k];
	struct apply a = {m->p, m->rec[i], 0};
	return fill_import(it, &a, err);
}

/* The creates in one bulk write (port->create_many): every link known at once. */
static int create_bulk(struct plan *p, jerry_error *err)
{
	struct many m = {p, calloc(p->set->n + 1, sizeof(size_t)),
			 calloc(p->set->n + 1, sizeof(int64_t)), 0};
	int rc = 0;
	if (!m.rec || !m.nums)
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < p->set->n; i++)
		if (!p->num[i])
			m.rec[m.n++] = i;
	if (!rc && m.n)
		rc = p->port->create_many(p->port->ctx, m.nums, m.n, fill_many, &m, err);
	free(m.rec);
	free(m.nums);
	return rc;
}

static int write_all(struct plan *p, jerry_error *err)
{
	jr_import_set *set = p->set;
	unsigned char *pending = calloc(set->n + 1, 1);
	int rc = 0, any = 0;
	if (!pending)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	if (p->port->create_many)
		rc = create_bulk(p, err);
	for (size_t i = 0; i < set->n && !rc; i++) {
		jerry_import_row *row = &p->res->rows[i];
		struct apply a = {p, i, 0};
		jerry_item *it = NULL;
		if (strcmp(row->action, "create") != 0) {
			const jerry_item *old = existing(p, p->num[i]);
			rc = p->port->mutate(p->port->ctx, &it, p->num[i], apply_import, &a, err);
			if (!rc && it && old && it->version == old->version)
				row->action = "unchanged";
			/* An updated item's links are the source's now. */
			pending[i] = 1;
			any = 1;
		} else if (!p->num[i]) {
			/* One at a time: links to items that have numbers go in at once, the rest after. */
			node keep_parent = p->parent[i];
			size_t keep_n = p->ndeps[i];
			if (!links_known(p, i)) {
				p->parent[i] = 0;
				p->ndeps[i] = 0;
				pending[i] = 1;
				any = 1;
			}
			rc = p->port->create(p->port->ctx, &it, fill_import, &a, err);
			p->parent[i] = keep_parent;
			p->ndeps[i] = keep_n;
			if (!rc)
				p->num[i] = it->num;
		}
		if (!rc)
			jerry_id_format(row->id, sizeof(row->id), p->num[i]);
		jerry_item_free(it);
	}
	if (!rc && any) {
		struct links_run l = {p, pending};
		rc = p->port->exclusive ? p->port->exclusive(p->port->ctx, write_links, &l, err)
					: write_links(&l, err);
	}
	free(pending);
	return rc;
}

/*
 * --dry-run: which of the items found would really change.  Each is read
 * whole (a summary has no description or notes) and the import applied to
 * that copy, fields then links, as write_all() does; nothing is written.
 */
static int plan_unchanged(struct plan *p, jerry_error *err)
{
	int64_t now = p->port->now(p->port->ctx);
	for (size_t i = 0; i < p->set->n; i++) {
		jerry_item *it = NULL;
		int fields = 0, links = 0, rc;
		/* A create is a change; so is a link to an item not made yet, after the fields. */
		if (!p->num[i])
			continue;
		if ((rc = p->port->get(p->port->ctx, &it, p->num[i], err)))
			return rc;
		int known = links_known(p, i);
		if (take_fields(it, p, i, now, &fields) || (known && put_links(it, p, i, &links))) {
			jerry_item_free(it);
			return jr_error(err, JERRY_ENOMEM, "out of memory");
		}
		if (known && !fields && !links)
			p->res->rows[i].action = "unchanged";
		jerry_item_free(it);
	}
	return 0;
}

/*
 * Match, plan and write: under the import lock for a real import, so that
 * what scan found by external_ref is still so when the creates commit.
 */
static int run(void *arg, jerry_error *err)
{
	struct plan *p = arg;
	int rc;
	if ((rc = p->port->scan(p->port->ctx, &p->all, &p->nall, err)))
		return rc;
	if (!(p->refs = calloc(p->set->n + p->nall + 1, sizeof(*p->refs))))
		return jr_error(err, JERRY_ENOMEM, "out of memory");

	if ((rc = check_records(p, err)))
		return rc;
	/* Items imported before: their external_ref names them. */
	p->nrefs = p->set->n;
	size_t extra = p->set->n;
	for (size_t i = 0; i < p->nall; i++) {
		const struct by_ref *hit;
		if (!p->all[i]->external_ref)
			continue;
		if ((hit = find_ref(p, p->all[i]->external_ref)))
			p->num[-hit->at - 1] = p->all[i]->num;
		else
			p->refs[extra++] = (struct by_ref){p->all[i]->external_ref, p->all[i]->num};
	}
	p->nrefs = extra;
	qsort(p->refs, p->nrefs, sizeof(*p->refs), cmp_ref);
	for (size_t i = 0; i < p->set->n; i++) {
		jr_import_rec *r = &p->set->recs[i];
		jerry_import_row *row = &p->res->rows[i];
		row->line = r->line;
		row->action = p->num[i] ? "update" : "create";
		if (!(row->ref = strdup(r->item->external_ref)) ||
		    (r->lost && !(row->lost = strdup(r->lost))) || fit_title(r, row) ||
		    !(row->title = strdup(r->item->title)))
			return jr_error(err, JERRY_ENOMEM, "out of memory");

		if (p->num[i])
			jerry_id_format(row->id, sizeof(row->id), p->num[i]);
		jr_claim_clear(r->item); /* claims stay in the source store */
		if (r->item->description && jr_validate_text("description", r->item->description, NULL)) {
			free(r->item->description);
			r->item->description = NULL;
			if (jr_import_note(&row->lost, "the description, which jerry cannot hold"))
				return jr_error(err, JERRY_ENOMEM, "out of memory");

		}
		if (r->item->assignee && jr_validate_name("assignee", r->item->assignee, 0, NULL)) {
			free(r->item->assignee);
			r->item->assignee = NULL;
			if (jr_import_note(&row->lost, "the assignee, which jerry cannot hold"))
				return jr_error(err, JERRY_ENOMEM, "out of memory");

		}
	}
	if (plan_links(p, p->seen))
		return jr_error(err, JERRY_ENOMEM, "out of memory");

	if ((rc = p->dry_run ? plan_unchanged(p, err) : write_all(p, err)))
		return rc;
	for (size_t i = 0; i < p->set->n; i++) {
		const char *a = p->res->rows[i].action;
		if (!strcmp(a, "create"))
			p->res->created++;
		else if (!strcmp(a, "update"))
			p->res->updated++;
		else
			p->res->unchanged++;
	}
	return 0;
}

int jr_app_import(jerry_import_result **out, const jr_port *port, jr_import_set *set,
		  int dry_run, jerry_error *err)
{
	struct plan p = {.port = port, .set = set, .dry_run = dry_run};
	int rc;
	*out = NULL;
	if (!(p.res = calloc(1, sizeof(*p.res))) ||
	    !(p.res->rows = calloc(set->n + 1, sizeof(*p.res->rows))) ||
	    !(p.num = calloc(set->n + 1, sizeof(*p.num))) ||
	    !(p.parent = calloc(set->n + 1, sizeof(*p.parent))) ||
	    !(p.deps = calloc(set->n + 1, sizeof(*p.deps))) ||
	    !(p.ndeps = calloc(set->n + 1, sizeof(*p.ndeps))) || !(p.seen = calloc(set->n + 1, 1))) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(p.res->format, sizeof(p.res->format), "%s", set->format);
	p.res->nrows = set->n;
	if ((rc = !dry_run && port->importing ? port->importing(port->ctx, run, &p, err)
					       : run(&p, err)))
		goto out;
	*out = p.res;
	p.res = NULL;
out:
	jerry_import_result_free(p.res);
	jerry_item_array_free(p.all, p.nall);
	for (size_t i = 0; p.deps && i < set->n; i++)
		free(p.deps[i]);
	free(p.deps);
	free(p.ndeps);
	free(p.parent);
	free(p.num);
	free(p.refs);
	free(p.seen);
	return rc;
}
