/*
 * app.c - the use cases that write one item: create, show, update (and
 * every transition and note, which are updates).  They validate what they
 * are given before touching the store, then let the port run a pure
 * function over the item under its lock.  list is list.c's; the open items
 * below a parent, and the parents to close, hierarchy.c's.
 */
#include "app.h"
#include "../domain/domain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- create ---------------------------------------------------------------- */

struct create_ctx {
	const jerry_create_spec *spec;
	jerry_type type;
	jerry_priority priority;
	int64_t parent;
};

static int fill_new(jerry_item *it, void *arg, jerry_error *err)
{
	struct create_ctx *c = arg;
	const jerry_create_spec *s = c->spec;
	int rc;
	it->type = c->type;
	it->priority = c->priority;
	it->parent = c->parent;
	if ((rc = jr_set_str(&it->title, s->title)) ||
	    (rc = jr_set_str(&it->description, s->description)) ||
	    (rc = jr_set_str(&it->assignee, s->assignee)))
		return jr_error(err, rc, "out of memory");
	for (size_t i = 0; i < s->nlabels; i++)
		if ((rc = jr_labels_add(it, s->labels[i])))
			return jr_error(err, rc, rc == JERRY_ENOMEM ? "out of memory" : "too many labels");
	return 0;
}

static int parse_enum_arg(int rc, jerry_error *err, const char *what, const char *value,
			  const char *choices)
{
	if (rc == 0)
		return 0;
	jr_error(err, JERRY_EINVALID, "unknown %s '%.64s'", what, value);
	jr_error_hint(err, "use one of: %s", choices);
	return JERRY_EINVALID;
}

#define TYPES "epic, feature, story, task, subtask, bug, spike"
#define PRIORITIES "critical, high, medium, low"
#define STATUSES "pending, in_progress, blocked, done, cancelled"

static int load_parent(jerry_item **out, const jr_port *port, const char *id, jerry_error *err)
{
	int64_t num;
	int rc = jerry_id_parse(&num, id, err);
	if (rc)
		return rc;
	rc = port->get(port->ctx, out, num, err);
	if (rc == JERRY_ENOTFOUND) {
		char pid[24];
		jerry_id_format(pid, sizeof(pid), num);
		jr_error(err, JERRY_ENOTFOUND, "parent '%s' does not exist", pid);
		jr_error_hint(err, "'jerry list --all' shows the items there are");
	}
	return rc;
}

int jr_app_create(jerry_item **out, const jr_port *port, const jerry_create_spec *spec,
		  jerry_error *err)
{
	struct create_ctx c = {spec, JERRY_TYPE_TASK, JERRY_PRIORITY_MEDIUM, 0};
	jerry_item *parent = NULL;
	int rc;
	if (out)
		*out = NULL;
	if ((rc = jr_validate_title(spec->title, err)) ||
	    (rc = jr_validate_text("description", spec->description, err)) ||
	    (rc = jr_validate_name("assignee", spec->assignee, 1, err)))
		return rc;
	if (spec->nlabels > JR_LABELS_MAX)
		return jr_error(err, JERRY_EINVALID, "too many labels (the limit is %d)", JR_LABELS_MAX);
	for (size_t i = 0; i < spec->nlabels; i++)
		if ((rc = jr_validate_label(spec->labels[i], err)))
			return rc;
	if (spec->type && (rc = parse_enum_arg(jerry_type_parse(&c.type, spec->type), err, "type",
					       spec->type, TYPES)))
		return rc;
	if (spec->priority &&
	    (rc = parse_enum_arg(jerry_priority_parse(&c.priority, spec->priority), err, "priority",
				 spec->priority, PRIORITIES)))
		return rc;
	if (spec->parent && *spec->parent) {
		if ((rc = load_parent(&parent, port, spec->parent, err)))
			return rc;
		c.parent = parent->num;
	}
	/* Checked before an ID is handed out, so a refusal burns no number. */
	rc = jr_check_parent(NULL, c.type, parent, err);
	jerry_item_free(parent);
	if (rc)
		return rc;
	return port->create(port->ctx, out, fill_new, &c, err);
}

int jr_app_show(jerry_item **out, const jr_port *port, const char *id, jerry_error *err)
{
	int64_t num;
	int rc = jerry_id_parse(&num, id, err);
	if (out)
		*out = NULL;
	if (rc)
		return rc;
	return port->get(port->ctx, out, num, err);
}

/* ---- update ------------------------------------------------------------------ */

struct update_ctx {
	const jr_port *port;
	const jerry_change *c;
	int has_type, has_priority, has_status, has_from;
	jerry_type type;
	jerry_priority priority;
	jerry_status status, from;
	int64_t parent;            /* -1: leave, 0: clear */
	int64_t *cascade;          /* cancel --cascade: the open items below, to cancel after */
	size_t ncascade;
};

static int add_note(jerry_item *it, const jr_port *port, const char *text, jerry_error *err)
{
	int rc = jr_notes_append(it, port->now(port->ctx), port->actor(port->ctx), text);
	if (rc)
		return jr_error(err, rc, rc == JERRY_ENOMEM ? "out of memory"
							    : "'%s' has too many notes", it->id);
	return 0;
}

/*
 * The children gate, under `it`'s lock: closing it while items below it
 * are open is refused; forced, the override is a note; a cascade keeps the
 * list to cancel once `it` is, after checking no one else holds one.
 */
static int children_gate(struct update_ctx *u, jerry_item *it, jerry_error *err)
{
	const jr_port *port = u->port;
	jerry_item **below = NULL;
	jerry_dep_state *open = NULL;
	size_t n = 0;
	int rc = jr_app_open_below(&below, &n, port, it->num, err);
	free(u->cascade);
	u->cascade = NULL;
	u->ncascade = 0;
	if (rc || n == 0)
		goto out;
	if (!(open = calloc(n, sizeof(*open)))) {
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		open[i].num = below[i]->num;
		open[i].status = (int)below[i]->status;
	}
	if (u->c->cascade) {
		int64_t now = port->now(port->ctx);
		for (size_t i = 0; i < n && !u->c->force; i++) {
			if (!jr_claim_live(below[i], now) || jr_app_holds(port, below[i]))
				continue;
			char until[40];
			jerry_time_format(until, sizeof(until), below[i]->claim.expires_ms);
			jr_error(err, JERRY_ECONFLICT, "cannot cancel '%s' with what is below it: "
				 "'%s' is claimed by %s until %s", it->id, below[i]->id,
				 below[i]->claim.by, until);
			if (err) {
				snprintf(err->holder, sizeof(err->holder), "%s", below[i]->claim.by);
				err->holder_expires_ms = below[i]->claim.expires_ms;
				jr_error_item(err, below[i]->num);
				jr_error_hint(err, "leave it to its holder, or pass --force to cancel "
						   "it anyway (recorded)");
			}
			rc = JERRY_ECONFLICT;
			goto out;
		}
		if (!(u->cascade = calloc(n, sizeof(*u->cascade)))) {
			rc = jr_error(err, JERRY_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < n; i++)
			u->cascade[i] = below[i]->num;
		u->ncascade = n;
	} else if (u->c->force) {
		char list[4096], text[4200];
		jr_open_list_text(list, sizeof(list), open, n, "items");
		snprintf(text, sizeof(text), "forced %s although %s below it %s open: %s",
			 jerry_status_name(u->status), n == 1 ? "this item" : "these items",
			 n == 1 ? "is" : "are", list);
		rc = add_note(it, port, text, err);
	} else {
		rc = jr_children_gate(it, u->status, open, n, err);
	}
out:
	free(open);
	jerry_item_array_free(below, n);
	return rc;
}

/* Every child in the index must still accept `type` as its parent's type. */
static int check_children(const jr_port *port, const jerry_item *it, jerry_type type,
			  jerry_error *err)
{
	jerry_item **all = NULL;
	size_t n = 0;
	int rc = port->scan(port->ctx, &all, &n, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		if (all[i]->parent != it->num || jr_parent_allowed(all[i]->type, (int)type))
			continue;
		jr_error(err, JERRY_EREFUSED,
			 "'%s' cannot become a %s: its child '%s' is a %s, which cannot have a %s parent",
			 it->id, jerry_type_name(type), all[i]->id, jerry_type_name(all[i]->type),
			 jerry_type_name(type));
		rc = JERRY_EREFUSED;
	}
	jerry_item_array_free(all, n);
	return rc;
}

static int claim_guard(const struct update_ctx *u, const jerry_item *it, jerry_error *err)
{
	const jr_port *port = u->port;
	/* A claim token offered must be the item's, whatever the change (exit 4). */
	if (port->proof && port->proof(port->ctx) && !u->c->force &&
	    !(jr_claim_live(it, port->now(port->ctx)) && jr_app_holds(port, it))) {
		jr_error_item(err, it->num);
		jr_error(err, JERRY_ECONFLICT, "cannot change '%s': the claim token is not its live claim's",
			 it->id);
		jr_error_hint(err, "pass the token that 'jerry claim %s' printed", it->id);
		return JERRY_ECONFLICT;
	}
	if (!u->has_status || u->c->force || !jr_claim_live(it, port->now(port->ctx)))
		return 0;
	if (u->status != JERRY_STATUS_DONE && u->status != JERRY_STATUS_BLOCKED &&
	    u->status != JERRY_STATUS_CANCELLED)
		return 0;
	/* Claims are taken under the claimer's name (port.h), which may differ from the actor. */
	if (jr_app_holds(port, it))
		return 0;
	char until[40];
	jerry_time_format(until, sizeof(until), it->claim.expires_ms);
	jr_error(err, JERRY_ECONFLICT, "'%s' is claimed by %s until %s", it->id, it->claim.by, until);
	if (err) {
		snprintf(err->holder, sizeof(err->holder), "%s", it->claim.by);
		err->holder_expires_ms = it->claim.expires_ms;
		jr_error_item(err, it->num);
		jr_error_hint(err, "leave it to its holder, or pass --force to act anyway (recorded)");
	}
	return JERRY_ECONFLICT;
}

/* A transition asked for only from one status (reopen: from done). */
static int refuse_from(const jerry_item *it, jerry_status from, jerry_status to, jerry_error *err)
{
	jr_error(err, JERRY_EREFUSED, "cannot move '%s' to %s: it is %s, not %s", it->id,
		 jerry_status_name(to), jerry_status_name(it->status), jerry_status_name(from));
	if (err) {
		jr_error_allowed(err, it->status);
		jr_error_item(err, it->num);
		if (it->status == JERRY_STATUS_CANCELLED)
			jr_error_hint(err, "cancelled is final; create a new item instead");
		else
			jr_error_hint(err, "only a %s item can do that; from %s an item can move to: %s",
				      jerry_status_name(from), jerry_status_name(it->status),
				      err->allowed);
	}
	return JERRY_EREFUSED;
}

static int apply_update(jerry_item *it, void *arg, jerry_error *err)
{
	struct update_ctx *u = arg;
	const jerry_change *c = u->c;
	const jr_port *port = u->port;
	int64_t now = port->now(port->ctx);
	int rc;

	if (c->has_if_version && it->version != c->if_version) {
		jr_error(err, JERRY_ECONFLICT, "cannot update '%s': version %lld is stale (now %lld)",
			 it->id, (long long)c->if_version, (long long)it->version);
		if (err) {
			err->expected_version = c->if_version;
			err->current_version = it->version;
			jr_error_item(err, it->num);
			jr_error_hint(err, "run 'jerry show %s' and retry with --if-version %lld",
				      it->id, (long long)it->version);
		}
		return JERRY_ECONFLICT;
	}
	if ((rc = claim_guard(u, it, err)))
		return rc;
	if (u->has_from && it->status != u->from)
		return refuse_from(it, u->from, u->status, err);
	if (u->has_status && (rc = jr_app_deps_gate(port, it, u->status, c->force, "start", err)))
		return rc;
	if (u->has_status && jr_children_gated(it, u->status) && (rc = children_gate(u, it, err)))
		return rc;
	jerry_type new_type = u->has_type ? u->type : it->type;
	if (u->parent >= 0 || u->has_type) {
		int64_t pnum = u->parent >= 0 ? u->parent : it->parent;
		jerry_item *parent = NULL;
		if (pnum > 0) {
			char pid[32];
			jerry_id_format(pid, sizeof(pid), pnum);
			if ((rc = load_parent(&parent, port, pid, err)))
				return rc;
		}
		rc = jr_check_parent(it, new_type, parent, err);
		jerry_item_free(parent);
		if (rc)
			return rc;
		it->parent = pnum;
	}
	if (u->has_type && new_type != it->type && (rc = check_children(port, it, new_type, err)))
		return rc;
	it->type = new_type;
	if (u->has_priority)
		it->priority = u->priority;
	if ((c->title && (rc = jr_set_str(&it->title, c->title))) ||
	    (c->description && (rc = jr_set_str(&it->description, c->description))) ||
	    (c->assignee && (rc = jr_set_str(&it->assignee, c->assignee))))
		return jr_error(err, rc, "out of memory");
	for (size_t i = 0; i < c->nadd_labels; i++)
		if ((rc = jr_labels_add(it, c->add_labels[i])))
			return jr_error(err, rc, rc == JERRY_ENOMEM ? "out of memory"
								    : "'%s' has too many labels (the limit is %d)",
					it->id, JR_LABELS_MAX);
	for (size_t i = 0; i < c->nremove_labels; i++)
		jr_labels_remove(it, c->remove_labels[i]);
	/* Taken before done/cancelled clears the claim, or the override goes unrecorded. */
	char forced_over[JR_INSTANCE_MAX] = "";
	if (c->force && u->has_status && jr_claim_live(it, now))
		snprintf(forced_over, sizeof(forced_over), "%s", it->claim.by);
	if (u->has_status) {
		if ((rc = jr_status_transition(it, u->status, now, err)))
			return rc;
		/* A finished or abandoned item is nobody's any more. */
		if (u->status == JERRY_STATUS_DONE || u->status == JERRY_STATUS_CANCELLED)
			jr_claim_clear(it);
	}
	const char *actor = port->actor(port->ctx);
	if (c->block_reason && *c->block_reason) {
		size_t n = strlen(c->block_reason) + 16;
		char *text = malloc(n);
		if (!text)
			return jr_error(err, JERRY_ENOMEM, "out of memory");
		/* "blocked: ...", "done: ...", "cancelled: ...": why, in the item and its history. */
		snprintf(text, n, "%s: %s", u->has_status ? jerry_status_name(u->status) : "reason",
			 c->block_reason);
		rc = jr_notes_append(it, now, actor, text);
		free(text);
		if (rc)
			return jr_error(err, rc, "cannot add a note");
	}
	if (forced_over[0]) {
		char text[512];
		snprintf(text, sizeof(text), "forced %s while claimed by %s", jerry_status_name(u->status),
			 forced_over);
		if ((rc = jr_notes_append(it, now, actor, text)))
			return jr_error(err, rc, "cannot add a note");
	}
	if (c->note && (rc = jr_notes_append(it, now, actor, c->note)))
		return jr_error(err, rc, rc == JERRY_ENOMEM ? "out of memory"
							    : "'%s' has too many notes", it->id);
	return 0;
}

struct cascade_ctx {
	const jr_port *port;
	const char *root;          /* "WORK-001", for the note */
	int force;
	int changed;
};

/* One item below a cancelled one, under its own lock. */
static int apply_cascade(jerry_item *it, void *arg, jerry_error *err)
{
	struct cascade_ctx *cc = arg;
	const jr_port *port = cc->port;
	int64_t now = port->now(port->ctx);
	char text[512], over[JR_INSTANCE_MAX] = "";
	int rc;
	cc->changed = 0;
	if (!jr_status_open(it->status))
		return JR_UNCHANGED;
	if (jr_claim_live(it, now) && !jr_app_holds(port, it)) {
		if (!cc->force) {
			char until[40];
			jerry_time_format(until, sizeof(until), it->claim.expires_ms);
			jr_error_item(err, it->num);
			return jr_error(err, JERRY_ECONFLICT, "cancelled '%s', but not '%s' below it: "
					"it is claimed by %s until %s", cc->root, it->id,
					it->claim.by, until);
		}
		snprintf(over, sizeof(over), "%s", it->claim.by);
	}
	if ((rc = jr_status_transition(it, JERRY_STATUS_CANCELLED, now, err)))
		return rc;
	jr_claim_clear(it);
	if (over[0])
		snprintf(text, sizeof(text), "cancelled with %s (--cascade), forced while claimed by %s",
			 cc->root, over);
	else
		snprintf(text, sizeof(text), "cancelled with %s (--cascade)", cc->root);
	if ((rc = add_note(it, port, text, err)))
		return rc;
	cc->changed = 1;
	return 0;
}

/*
 * `item` is cancelled: now the open items below it, each under its own
 * lock.  rc is the item's own outcome (0 or JERRY_EDURABLE); the first
 * failure below it is the result, and the rest are still tried.
 */
static int cascade(int64_t **out_cascaded, size_t *out_n, const jr_port *port,
		   const jerry_item *item, const struct update_ctx *u, int rc, jerry_error *err)
{
	struct cascade_ctx cc = {port, item->id, u->c->force, 0};
	int64_t *done = calloc(u->ncascade, sizeof(*done));
	size_t k = 0;
	int failed = 0;
	if (!done)
		return jr_error(err, JERRY_ENOMEM, "cancelled '%s', but out of memory before "
				"what is below it", item->id);
	for (size_t i = 0; i < u->ncascade; i++) {
		jerry_error e2;
		jerry_error_clear(&e2);
		int r = port->mutate(port->ctx, NULL, u->cascade[i], apply_cascade, &cc, &e2);
		if ((r == 0 || r == JERRY_EDURABLE) && cc.changed)
			done[k++] = u->cascade[i];
		if (r == JERRY_EDURABLE && rc == 0 && !failed)
			rc = r;
		if (r && r != JERRY_EDURABLE && r != JERRY_ENOTFOUND && !failed) {
			failed = 1;
			rc = r;
			jr_error_pass(err, &e2);
		}
	}
	if (out_cascaded && out_n) {
		*out_cascaded = done;
		*out_n = k;
	} else {
		free(done);
	}
	return rc;
}

int jr_app_update(jerry_item **out, const jr_port *port, const char *id,
		  const jerry_change *c, jerry_error *err)
{
	return jr_app_update_cascade(out, NULL, NULL, port, id, c, err);
}

int jr_app_update_cascade(jerry_item **out, int64_t **out_cascaded, size_t *out_n,
			  const jr_port *port, const char *id, const jerry_change *c,
			  jerry_error *err)
{
	struct update_ctx u;
	int64_t num;
	int rc;
	memset(&u, 0, sizeof(u));
	u.port = port;
	u.c = c;
	u.parent = -1;
	if (out)
		*out = NULL;
	if (out_cascaded)
		*out_cascaded = NULL;
	if (out_n)
		*out_n = 0;
	if ((rc = jerry_id_parse(&num, id, err)))
		return rc;
	/* A change of nothing would still make a version: refused, whichever face sent it. */
	if (!c->title && !c->description && !c->type && !c->priority && !c->status &&
	    !c->assignee && !c->parent && !c->nadd_labels && !c->nremove_labels && !c->note &&
	    !c->block_reason)
		return jr_error(err, JERRY_EINVALID,
				"nothing to update: give at least one field to change");
	if ((c->title && (rc = jr_validate_title(c->title, err))) ||
	    (rc = jr_validate_text("description", c->description, err)) ||
	    (rc = jr_validate_text("note", c->note, err)) ||
	    (rc = jr_validate_text("reason", c->block_reason, err)) ||
	    (c->assignee && (rc = jr_validate_name("assignee", c->assignee, 1, err))))
		return rc;
	if (c->note && !*c->note)
		return jr_error(err, JERRY_EINVALID, "a note cannot be empty");
	for (size_t i = 0; i < c->nadd_labels; i++)
		if ((rc = jr_validate_label(c->add_labels[i], err)))
			return rc;
	for (size_t i = 0; i < c->nremove_labels; i++)
		if ((rc = jr_validate_label(c->remove_labels[i], err)))
			return rc;
	if (c->type) {
		u.has_type = 1;
		if ((rc = parse_enum_arg(jerry_type_parse(&u.type, c->type), err, "type", c->type, TYPES)))
			return rc;
	}
	if (c->priority) {
		u.has_priority = 1;
		if ((rc = parse_enum_arg(jerry_priority_parse(&u.priority, c->priority), err,
					 "priority", c->priority, PRIORITIES)))
			return rc;
	}
	if (c->status) {
		u.has_status = 1;
		if ((rc = parse_enum_arg(jerry_status_parse(&u.status, c->status), err, "status",
					 c->status, STATUSES)))
			return rc;
	}
	if (c->from_status) {
		u.has_from = 1;
		if ((rc = parse_enum_arg(jerry_status_parse(&u.from, c->from_status), err, "status",
					 c->from_status, STATUSES)))
			return rc;
	}
	if (c->parent) {
		u.parent = 0;
		if (*c->parent && (rc = jerry_id_parse(&u.parent, c->parent, err)))
			return rc;
		if (u.parent == num)
			return jr_error(err, JERRY_EREFUSED, "'%s' cannot be its own parent", id);
	}
	if (c->cascade && (!u.has_status || u.status != JERRY_STATUS_CANCELLED))
		return jr_error(err, JERRY_EINVALID, "--cascade goes with cancel");
	jerry_item *item = NULL;
	rc = port->mutate(port->ctx, &item, num, apply_update, &u, err);
	if ((rc == 0 || rc == JERRY_EDURABLE) && u.ncascade)
		rc = cascade(out_cascaded, out_n, port, item, &u, rc, err);
	free(u.cascade);
	if (out && (rc == 0 || rc == JERRY_EDURABLE))
		*out = item;
	else
		jerry_item_free(item);
	return rc;
}
