/*
 * rules.c - the rules the use cases of app.c and coord.c share: who holds
 * a claim, and the dependency gate of a move, both read through the port.
 * Both files call down here and neither calls the other.
 */
#include "app.h"
#include "../domain/domain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Who claims: the port's claimer, or (a port without one) its actor. */
const char *jr_app_claimer(const jr_port *p)
{
	return p->claimer ? p->claimer(p->ctx) : p->actor(p->ctx);
}

/*
 * Whether the caller holds the item's claim (ADR 0012): a claim token,
 * when one is offered, decides alone; otherwise the claimer's name, and
 * for the default user@host also the session it was taken from.
 */
int jr_app_holds(const jr_port *p, const jerry_item *it)
{
	const char *proof = p->proof ? p->proof(p->ctx) : NULL;
	if (!it->claim.by)
		return 0;
	if (proof)
		return it->claim.token && strcmp(it->claim.token, proof) == 0;
	if (strcmp(it->claim.by, jr_app_claimer(p)) != 0)
		return 0;
	if (p->named && p->named(p->ctx))
		return 1;
	return it->claim.session && strcmp(it->claim.session, p->session(p->ctx)) == 0;
}

/*
 * The dependency gate (domain.h) for `it` moving to `to`, under its lock.
 * The dependencies' statuses come from their item files, not the index:
 * the files are the truth, and it costs one read per dependency - usually
 * none - where the index costs a read of every item.  Forced, the override
 * is recorded as a note, so the history shows it.
 */
int jr_app_deps_gate(const jr_port *port, jerry_item *it, jerry_status to, int force,
		     const char *verb, jerry_error *err)
{
	if (!jr_deps_gated(it, to))
		return 0;
	int *status = calloc(it->ndepends, sizeof(*status));
	int rc = 0;
	if (!status)
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	for (size_t i = 0; i < it->ndepends && !rc; i++) {
		jerry_item *dep = NULL;
		jerry_error e2;
		jerry_error_clear(&e2);
		rc = port->get(port->ctx, &dep, it->depends_on[i], &e2);
		if (rc == JERRY_ENOTFOUND) {
			status[i] = -1;
			rc = 0;
		} else if (rc == 0) {
			status[i] = (int)dep->status;
		} else {
			jr_error_pass(err, &e2);
		}
		jerry_item_free(dep);
	}
	if (!rc && !force) {
		rc = jr_deps_gate(it, status, verb, err);
	} else if (!rc) {
		char list[4096], text[4200];
		if (jr_deps_open_text(list, sizeof(list), it, status)) {
			snprintf(text, sizeof(text), "forced %s although it waits on %s", verb, list);
			if ((rc = jr_notes_append(it, port->now(port->ctx), port->actor(port->ctx), text)))
				rc = jr_error(err, rc, rc == JERRY_ENOMEM ? "out of memory"
									  : "'%s' has too many notes", it->id);
		}
	}
	free(status);
	return rc;
}
