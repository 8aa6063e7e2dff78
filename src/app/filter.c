/*
 * filter.c - what a jerry_filter means, in one place.
 *
 * A filter may carry several values per field: the single field (itself a
 * comma list) plus an array of more.  For a field an item has one value of
 * (status, type, priority, assignee, parent) several values mean "any of
 * them"; labels, of which an item has many, mean "all of them" unless
 * any_label.  Every value is checked before anything is read, so a typo is
 * an error, not an empty list.
 */
#include "filter.h"
#include "../domain/domain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TYPES "epic, feature, story, task, subtask, bug, spike"
#define PRIORITIES "critical, high, medium, low"
#define STATUSES "pending, in_progress, blocked, done, cancelled"

/* Which field a value belongs to, and how it is checked. */
enum field { F_STATUS, F_TYPE, F_PRIORITY, F_PARENT, F_LABEL, F_ASSIGNEE };

static int enum_value(unsigned *set, enum field f, const char *word, jerry_error *err)
{
	static const char *const what[] = { "status", "type", "priority" };
	static const char *const choices[] = { STATUSES, TYPES, PRIORITIES };
	int rc, v = 0;
	switch (f) {
	case F_STATUS: {
		jerry_status s;
		rc = jerry_status_parse(&s, word);
		v = (int)s;
		break;
	}
	case F_TYPE: {
		jerry_type t;
		rc = jerry_type_parse(&t, word);
		v = (int)t;
		break;
	}
	default: {
		jerry_priority p;
		rc = jerry_priority_parse(&p, word);
		v = (int)p;
		break;
	}
	}
	if (rc) {
		jr_error(err, JERRY_EINVALID, "unknown %s '%.64s'", what[f], word);
		jr_error_hint(err, "use one of: %s", choices[f]);
		return JERRY_EINVALID;
	}
	*set |= 1u << v;
	return 0;
}

/* One word of a comma list (or a whole assignee) into m. */
static int add_word(struct jr_match *m, enum field f, const char *word, jerry_error *err)
{
	int rc;
	switch (f) {
	case F_STATUS:
		m->has_status = 1;
		return enum_value(&m->statuses, f, word, err);
	case F_TYPE:
		return enum_value(&m->types, f, word, err);
	case F_PRIORITY:
		return enum_value(&m->priorities, f, word, err);
	case F_PARENT:
		if ((rc = jerry_id_parse(&m->parents[m->nparents], word, err)))
			return rc;
		m->nparents++;
		return 0;
	case F_LABEL:
		if ((rc = jr_validate_label(word, err)))
			return rc;
		if (!(m->labels[m->nlabels] = strdup(word)))
			return jr_error(err, JERRY_ENOMEM, "out of memory");
		m->nlabels++;
		return 0;
	case F_ASSIGNEE:
		m->assignees[m->nassignees++] = word;
		return 0;
	}
	return jr_error(err, JERRY_EINTERNAL, "unknown filter field");
}

/* A value: a comma list, or (assignees) a name taken whole. */
static int add_value(struct jr_match *m, enum field f, const char *value, jerry_error *err)
{
	if (f == F_ASSIGNEE)
		return add_word(m, f, value, err);
	const char *p = value;
	for (;;) {
		size_t len = strcspn(p, ",");
		char word[256];
		int rc;
		if (len >= sizeof(word))
			return jr_error(err, JERRY_EINVALID, "filter value '%.32s...' is too long", p);
		memcpy(word, p, len);
		word[len] = '\0';
		if ((rc = add_word(m, f, word, err)))
			return rc;
		if (p[len] != ',')
			return 0;
		p += len + 1;
	}
}

/* The single field and the array of more values, for one field. */
static int add_field(struct jr_match *m, enum field f, const char *one, const char *const *more,
		     size_t nmore, jerry_error *err)
{
	int rc;
	if (one && (rc = add_value(m, f, one, err)))
		return rc;
	for (size_t i = 0; i < nmore; i++)
		if (more[i] && (rc = add_value(m, f, more[i], err)))
			return rc;
	return 0;
}

/* How many words a value splits into at its commas. */
static size_t count_words(const char *v)
{
	size_t n = v ? 1 : 0;
	for (const char *p = v; p && (p = strchr(p, ',')); p++)
		n++;
	return n;
}

/* How many words a field's values hold in all. */
static size_t words(const char *one, const char *const *more, size_t nmore)
{
	size_t n = count_words(one);
	for (size_t i = 0; i < nmore; i++)
		n += count_words(more[i]);
	return n;
}

int jr_match_init(struct jr_match *m, const jerry_filter *f, jerry_error *err)
{
	int rc;
	memset(m, 0, sizeof(*m));
	if (!f)
		return 0;
	size_t np = words(f->parent, f->parents, f->nparents);
	size_t nl = words(f->label, f->labels, f->nlabels);
	size_t na = (f->assignee ? 1 : 0) + f->nassignees;
	m->parents = calloc(np ? np : 1, sizeof(*m->parents));
	m->labels = calloc(nl ? nl : 1, sizeof(*m->labels));
	m->assignees = calloc(na ? na : 1, sizeof(*m->assignees));
	if (!m->parents || !m->labels || !m->assignees) {
		jr_match_release(m);
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	}
	m->any_label = f->any_label;
	m->mine = f->mine;
	m->unassigned = f->unassigned;
	if (f->nskip && !(m->skip = calloc(f->nskip, sizeof(*m->skip)))) {
		jr_match_release(m);
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < f->nskip; i++) {
		if ((rc = jerry_id_parse(&m->skip[i], f->skip[i], err))) {
			jr_match_release(m);
			return rc;
		}
		m->nskip++;
	}
	if ((rc = add_field(m, F_STATUS, f->statuses, f->status_list, f->nstatus_list, err)) ||
	    (rc = add_field(m, F_TYPE, f->type, f->types, f->ntypes, err)) ||
	    (rc = add_field(m, F_PRIORITY, f->priority, f->priorities, f->npriorities, err)) ||
	    (rc = add_field(m, F_PARENT, f->parent, f->parents, f->nparents, err)) ||
	    (rc = add_field(m, F_LABEL, f->label, f->labels, f->nlabels, err)) ||
	    (rc = add_field(m, F_ASSIGNEE, f->assignee, f->assignees, f->nassignees, err))) {
		jr_match_release(m);
		return rc;
	}
	return 0;
}

void jr_match_release(struct jr_match *m)
{
	for (size_t i = 0; m->labels && i < m->nlabels; i++)
		free(m->labels[i]);
	free(m->labels);
	free(m->parents);
	free(m->assignees);
	free(m->skip);
	memset(m, 0, sizeof(*m));
}

void jr_match_who(struct jr_match *m, const char *me, int64_t now)
{
	m->me = me;
	m->now = now;
}

int jr_match_skipped(const struct jr_match *m, const jerry_item *it)
{
	for (size_t i = 0; i < m->nskip; i++)
		if (m->skip[i] == it->num)
			return 1;
	return 0;
}

/* Assignees, --mine and --unassigned: any of them (none given: any item). */
static int match_assignee(const struct jr_match *m, const jerry_item *it)
{
	const char *who = jr_assignee_standing(it, m->now);
	if (!m->nassignees && !m->mine && !m->unassigned)
		return 1;
	if (m->unassigned && !who)
		return 1;
	if (m->mine && who && m->me && strcmp(who, m->me) == 0)
		return 1;
	for (size_t i = 0; who && i < m->nassignees; i++)
		if (strcmp(who, m->assignees[i]) == 0)
			return 1;
	return 0;
}

int jr_match_status(const struct jr_match *m, const jerry_item *it)
{
	return (m->statuses >> it->status) & 1u;
}

int jr_match_listed(const struct jr_match *m, int all, const jerry_item *it)
{
	int keep = 1;
	if (m->has_status)
		keep = jr_match_status(m, it);
	else if (!all)
		keep = it->status != JERRY_STATUS_DONE && it->status != JERRY_STATUS_CANCELLED;
	return keep && jr_match_fields(m, it);
}

int jr_match_everything(const struct jr_match *m, int all)
{
	return all && !m->has_status && !m->types && !m->priorities && !m->nparents &&
	       !m->nlabels && !m->nassignees && !m->mine && !m->unassigned && !m->nskip;
}

int jr_match_fields(const struct jr_match *m, const jerry_item *it)
{
	if (m->types && !((m->types >> it->type) & 1u))
		return 0;
	if (m->priorities && !((m->priorities >> it->priority) & 1u))
		return 0;
	if (m->nparents) {
		size_t i = 0;
		while (i < m->nparents && m->parents[i] != it->parent)
			i++;
		if (i == m->nparents)
			return 0;
	}
	if (!match_assignee(m, it) || jr_match_skipped(m, it))
		return 0;
	if (m->nlabels) {
		size_t have = 0;
		for (size_t i = 0; i < m->nlabels; i++)
			have += jr_labels_has(it, m->labels[i]) ? 1 : 0;
		if (m->any_label ? have == 0 : have < m->nlabels)
			return 0;
	}
	return 1;
}

/* Append text to buf, never past its end. */
static void put(char *buf, size_t size, const char *text)
{
	size_t len = strlen(buf);
	if (len + 1 < size)
		snprintf(buf + len, size - len, "%s", text);
}

static void put_set(char *buf, size_t size, const char *lead, unsigned set,
		    const char *(*name)(int))
{
	const char *sep = lead;
	for (int v = 0; v < 32; v++) {
		if (!((set >> v) & 1u))
			continue;
		put(buf, size, sep);
		put(buf, size, name(v));
		sep = " or ";
	}
}

static const char *type_name(int v)
{
	return jerry_type_name((jerry_type)v);
}

static const char *priority_name(int v)
{
	return jerry_priority_name((jerry_priority)v);
}

void jr_match_describe(char *buf, size_t size, const struct jr_match *m)
{
	if (!size)
		return;
	buf[0] = '\0';
	put_set(buf, size, " of type ", m->types, type_name);
	put_set(buf, size, " with priority ", m->priorities, priority_name);
	for (size_t i = 0; i < m->nlabels; i++) {
		put(buf, size, i == 0 ? " with label " : m->any_label ? " or " : " and ");
		put(buf, size, m->labels[i]);
	}
	const char *lead = " assigned to ";
	for (size_t i = 0; i < m->nassignees; i++) {
		put(buf, size, lead);
		put(buf, size, m->assignees[i]);
		lead = " or ";
	}
	if (m->mine) {
		put(buf, size, lead);
		put(buf, size, m->me ? m->me : "you");
		lead = " or ";
	}
	if (m->unassigned)
		put(buf, size, m->nassignees || m->mine ? " or unassigned" : " unassigned");
	if (m->nskip)
		put(buf, size, " (some skipped)");
	for (size_t i = 0; i < m->nparents; i++) {
		char id[32];
		jerry_id_format(id, sizeof(id), m->parents[i]);
		put(buf, size, i == 0 ? " under " : " or ");
		put(buf, size, id);
	}
}
