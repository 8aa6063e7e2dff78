/*
 * item.c - the work item: validation, the status state machine, parent
 * rules, and the set-like fields.  See domain.h for the rules themselves.
 */
#include "domain.h"
#include "../util/array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- text ------------------------------------------------------------ */

/*
 * Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
 * Returns the number of code points, or -1.
 */
static long utf8_count(const unsigned char *s, size_t len, int allow_newlines, int *bad_control)
{
	long n = 0;
	size_t i = 0;
	*bad_control = 0;
	while (i < len) {
		unsigned c = s[i];
		unsigned cp;
		int extra;
		if (c < 0x80) {
			cp = c;
			extra = 0;
		} else if (c >= 0xC2 && c <= 0xDF) {
			cp = c & 0x1F;
			extra = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			cp = c & 0x0F;
			extra = 2;
		} else if (c >= 0xF0 && c <= 0xF4) {
			cp = c & 0x07;
			extra = 3;
		} else {
			return -1;
		}
		if (i + (size_t)extra >= len)
			return -1;
		for (int k = 1; k <= extra; k++) {
			if (i + (size_t)k >= len || (s[i + k] & 0xC0) != 0x80)
				return -1;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return -1;
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
			if (!(allow_newlines && (cp == '\n' || cp == '\t')))
				*bad_control = 1;
		}
		i += (size_t)extra + 1;
		n++;
	}
	return n;
}

int jr_check_utf8(const char *s, size_t len)
{
	int ctl;
	return utf8_count((const unsigned char *)s, len, 1, &ctl) >= 0;
}

int jr_validate_title(const char *title, jerry_error *err)
{
	int ctl;
	if (!title || !*title)
		return jr_error(err, JERRY_EINVALID, "a title is required and cannot be empty");
	size_t len = strlen(title);
	long n = utf8_count((const unsigned char *)title, len, 0, &ctl);
	if (n < 0)
		return jr_error(err, JERRY_EINVALID, "the title is not valid UTF-8");
	if (ctl)
		return jr_error(err, JERRY_EINVALID, "the title contains a control character (newline, tab, escape ...)");
	if (n > JR_TITLE_MAX_CHARS)
		return jr_error(err, JERRY_EINVALID, "the title is %ld characters long; the limit is %d",
				n, JR_TITLE_MAX_CHARS);
	size_t lead = strspn(title, " ");
	if (lead == len)
		return jr_error(err, JERRY_EINVALID, "a title cannot be only spaces");
	return 0;
}

int jr_validate_text(const char *what, const char *text, jerry_error *err)
{
	int ctl;
	if (!text)
		return 0;
	size_t len = strlen(text);
	if (len > JR_TEXT_MAX_BYTES)
		return jr_error(err, JERRY_EINVALID, "the %s is %zu bytes long; the limit is %d",
				what, len, JR_TEXT_MAX_BYTES);
	if (utf8_count((const unsigned char *)text, len, 1, &ctl) < 0)
		return jr_error(err, JERRY_EINVALID, "the %s is not valid UTF-8", what);
	if (ctl)
		return jr_error(err, JERRY_EINVALID,
				"the %s contains a control character other than newline and tab", what);
	return 0;
}

int jr_validate_name(const char *what, const char *name, int allow_empty, jerry_error *err)
{
	int ctl;
	if (!name || !*name) {
		if (allow_empty)
			return 0;
		return jr_error(err, JERRY_EINVALID, "the %s cannot be empty", what);
	}
	size_t len = strlen(name);
	if (len > JR_NAME_MAX_BYTES)
		return jr_error(err, JERRY_EINVALID, "the %s is %zu bytes long; the limit is %d",
				what, len, JR_NAME_MAX_BYTES);
	if (utf8_count((const unsigned char *)name, len, 0, &ctl) < 0)
		return jr_error(err, JERRY_EINVALID, "the %s is not valid UTF-8", what);
	if (ctl)
		return jr_error(err, JERRY_EINVALID, "the %s contains a control character", what);
	return 0;
}

int jr_validate_label(const char *label, jerry_error *err)
{
	int ctl;
	if (!label || !*label)
		return jr_error(err, JERRY_EINVALID, "a label cannot be empty");
	size_t len = strlen(label);
	if (len > JR_LABEL_MAX_BYTES)
		return jr_error(err, JERRY_EINVALID, "label '%.32s...' is %zu bytes long; the limit is %d",
				label, len, JR_LABEL_MAX_BYTES);
	if (utf8_count((const unsigned char *)label, len, 0, &ctl) < 0)
		return jr_error(err, JERRY_EINVALID, "a label is not valid UTF-8");
	if (ctl || strpbrk(label, " ,"))
		return jr_error(err, JERRY_EINVALID,
				"label '%s' contains a space, comma or control character", label);
	return 0;
}

/* ---- the state machine -------------------------------------------------- */

static const unsigned char moves[JERRY_STATUS__COUNT] = {
	[JERRY_STATUS_PENDING] = 1u << JERRY_STATUS_IN_PROGRESS | 1u << JERRY_STATUS_CANCELLED,
	[JERRY_STATUS_IN_PROGRESS] = 1u << JERRY_STATUS_BLOCKED | 1u << JERRY_STATUS_DONE |
				     1u << JERRY_STATUS_CANCELLED,
	[JERRY_STATUS_BLOCKED] = 1u << JERRY_STATUS_IN_PROGRESS | 1u << JERRY_STATUS_CANCELLED,
	[JERRY_STATUS_DONE] = 1u << JERRY_STATUS_IN_PROGRESS,
	[JERRY_STATUS_CANCELLED] = 0,
};

int jerry_status_can_move(jerry_status from, jerry_status to)
{
	if ((unsigned)from >= JERRY_STATUS__COUNT || (unsigned)to >= JERRY_STATUS__COUNT)
		return 0;
	return (moves[from] >> to) & 1u;
}

void jr_error_allowed(jerry_error *err, jerry_status from)
{
	if (!err)
		return;
	char *buf = err->allowed;
	size_t size = sizeof(err->allowed), off = 0;
	buf[0] = '\0';
	err->allowed_moves = 0;
	for (int s = 0; s < JERRY_STATUS__COUNT; s++) {
		if (!jerry_status_can_move(from, (jerry_status)s))
			continue;
		err->allowed_moves |= 1u << s;
		int n = snprintf(buf + off, size - off, "%s%s", off ? ", " : "",
				 jerry_status_name((jerry_status)s));
		if (n < 0 || (size_t)n >= size - off)
			break;
		off += (size_t)n;
	}
	if (off == 0)
		snprintf(buf, size, "none");
}

size_t jerry_error_allowed(jerry_status *out, const jerry_error *err)
{
	size_t n = 0;
	for (int s = 0; s < JERRY_STATUS__COUNT; s++)
		if ((err->allowed_moves >> s) & 1u)
			out[n++] = (jerry_status)s;
	return n;
}

int jr_status_transition(jerry_item *item, jerry_status to, int64_t now_ms, jerry_error *err)
{
	jerry_status from = item->status;
	if (!jerry_status_can_move(from, to)) {
		if (err) {
			jr_error_allowed(err, from);
			jr_error_item(err, item->num);
		}
		if (from == to)
			jr_error(err, JERRY_EREFUSED, "'%s' is already %s", item->id,
				 jerry_status_name(to));
		else
			jr_error(err, JERRY_EREFUSED, "cannot move '%s' from %s to %s", item->id,
				 jerry_status_name(from), jerry_status_name(to));
		if (err) {
			if (from == JERRY_STATUS_CANCELLED)
				jr_error_hint(err, "cancelled is final; create a new item instead");
			else
				jr_error_hint(err, "from %s an item can move to: %s",
					      jerry_status_name(from), err->allowed);
		}
		return JERRY_EREFUSED;
	}
	item->status = to;
	item->completed_at = to == JERRY_STATUS_DONE ? now_ms : 0;
	return 0;
}

/* ---- parents -------------------------------------------------------------- */

#define T(x) (1u << JERRY_TYPE_##x)
static const unsigned parent_types[JERRY_TYPE__COUNT] = {
	[JERRY_TYPE_EPIC] = 0,
	[JERRY_TYPE_FEATURE] = T(EPIC),
	[JERRY_TYPE_STORY] = T(EPIC) | T(FEATURE),
	[JERRY_TYPE_TASK] = T(EPIC) | T(FEATURE) | T(STORY),
	[JERRY_TYPE_SUBTASK] = T(TASK) | T(BUG),
	[JERRY_TYPE_BUG] = T(EPIC) | T(FEATURE) | T(STORY),
	[JERRY_TYPE_SPIKE] = T(EPIC) | T(FEATURE) | T(STORY),
};
#undef T

int jr_parent_allowed(jerry_type child, int parent_type)
{
	if ((unsigned)child >= JERRY_TYPE__COUNT)
		return 0;
	if (parent_type < 0)
		return child != JERRY_TYPE_SUBTASK;
	if (parent_type >= JERRY_TYPE__COUNT)
		return 0;
	return (parent_types[child] >> parent_type) & 1u;
}

void jr_parent_types(char *buf, size_t size, jerry_type child)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int t = 0; t < JERRY_TYPE__COUNT; t++) {
		if (!((parent_types[child] >> t) & 1u))
			continue;
		int n = snprintf(buf + off, size - off, "%s%s", off ? ", " : "",
				 jerry_type_name((jerry_type)t));
		if (n < 0 || (size_t)n >= size - off)
			break;
		off += (size_t)n;
	}
	if (off == 0)
		snprintf(buf, size, "none");
}

int jr_check_parent(const jerry_item *child, jerry_type child_type,
		    const jerry_item *parent, jerry_error *err)
{
	char allowed[96];
	jr_parent_types(allowed, sizeof(allowed), child_type);
	if (!parent) {
		if (jr_parent_allowed(child_type, -1))
			return 0;
		jr_error(err, JERRY_EREFUSED, "a %s needs a parent (%s)",
			 jerry_type_name(child_type), allowed);
		jr_error_hint(err, "give one with --parent ID");
		return JERRY_EREFUSED;
	}
	if (child && child->num == parent->num)
		return jr_error(err, JERRY_EREFUSED, "'%s' cannot be its own parent", child->id);
	if (!jr_parent_allowed(child_type, (int)parent->type)) {
		jr_error(err, JERRY_EREFUSED, "a %s cannot have a %s ('%s') as its parent",
			 jerry_type_name(child_type), jerry_type_name(parent->type), parent->id);
		jr_error_hint(err, "a %s's parent must be: %s", jerry_type_name(child_type), allowed);
		return JERRY_EREFUSED;
	}
	return 0;
}

/* ---- sets ----------------------------------------------------------------- */

static size_t label_pos(const jerry_item *item, const char *label, int *found)
{
	size_t lo = 0, hi = item->nlabels;
	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(item->labels[mid], label);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int jr_labels_has(const jerry_item *item, const char *label)
{
	int found;
	label_pos(item, label, &found);
	return found;
}

int jr_labels_add(jerry_item *item, const char *label)
{
	int found;
	size_t pos = label_pos(item, label, &found);
	if (found)
		return 0;
	if (item->nlabels >= JR_LABELS_MAX)
		return JERRY_EINVALID;
	char *copy = strdup(label);
	if (!copy || jr_array_resize(&item->labels, item->nlabels + 1, sizeof(*item->labels))) {
		free(copy);
		return JERRY_ENOMEM;
	}
	memmove(item->labels + pos + 1, item->labels + pos,
		(item->nlabels - pos) * sizeof(*item->labels));
	item->labels[pos] = copy;
	item->nlabels++;
	return 0;
}

int jr_labels_remove(jerry_item *item, const char *label)
{
	int found;
	size_t pos = label_pos(item, label, &found);
	if (!found)
		return 0;
	free(item->labels[pos]);
	memmove(item->labels + pos, item->labels + pos + 1,
		(item->nlabels - pos - 1) * sizeof(*item->labels));
	item->nlabels--;
	return 0;
}

/* num into the sorted numbers *v (*n of them, at most JR_DEPENDS_MAX), once. */
static int numbers_add(int64_t **v, size_t *n, int64_t num)
{
	size_t pos = 0;
	while (pos < *n && (*v)[pos] < num)
		pos++;
	if (pos < *n && (*v)[pos] == num)
		return 0;
	if (*n >= JR_DEPENDS_MAX)
		return JERRY_EINVALID;
	if (jr_array_resize(v, *n + 1, sizeof(**v)))
		return JERRY_ENOMEM;
	memmove(*v + pos + 1, *v + pos, (*n - pos) * sizeof(**v));
	(*v)[pos] = num;
	(*n)++;
	return 0;
}

int jr_renumbered_add(jerry_item *item, int64_t num)
{
	return numbers_add(&item->renumbered_from, &item->nrenumbered_from, num);
}

int jr_depends_add(jerry_item *item, int64_t num)
{
	return numbers_add(&item->depends_on, &item->ndepends, num);
}

int jr_depends_remove(jerry_item *item, int64_t num)
{
	for (size_t i = 0; i < item->ndepends; i++) {
		if (item->depends_on[i] == num) {
			memmove(item->depends_on + i, item->depends_on + i + 1,
				(item->ndepends - i - 1) * sizeof(*item->depends_on));
			item->ndepends--;
			return 0;
		}
	}
	return 0;
}

int jr_notes_append(jerry_item *item, int64_t at_ms, const char *by, const char *text)
{
	if (item->nnotes >= JR_NOTES_MAX)
		return JERRY_EINVALID;
	if (jr_array_resize(&item->notes, item->nnotes + 1, sizeof(*item->notes)))
		return JERRY_ENOMEM;
	jerry_note *n = &item->notes[item->nnotes];
	n->at_ms = at_ms;
	n->by = by ? strdup(by) : NULL;
	n->text = strdup(text);
	if ((by && !n->by) || !n->text) {
		free(n->by);
		free(n->text);
		return JERRY_ENOMEM;
	}
	item->nnotes++;
	return 0;
}

int jr_set_str(char **field, const char *value)
{
	char *copy = NULL;
	if (value && *value) {
		copy = strdup(value);
		if (!copy)
			return JERRY_ENOMEM;
	}
	free(*field);
	*field = copy;
	return 0;
}

int jr_claim_live(const jerry_item *item, int64_t now_ms)
{
	return item->claim.by != NULL && item->claim.expires_ms > now_ms;
}

int jerry_claim_live(const jerry_item *item, int64_t now_ms)
{
	return jr_claim_live(item, now_ms);
}

int jr_claim_stale(const jerry_item *item, int64_t now_ms)
{
	return item->claim.by != NULL && !jr_claim_live(item, now_ms);
}

int jerry_claim_stale(const jerry_item *item, int64_t now_ms)
{
	return jr_claim_stale(item, now_ms);
}

const char *jerry_item_reason(const jerry_item *item, jerry_status status)
{
	const char *name = jerry_status_name(status);
	size_t len = strlen(name);
	for (size_t i = item->nnotes; i-- > 0;) {
		const char *text = item->notes[i].text;
		if (text && strncmp(text, name, len) == 0 && text[len] == ':' && text[len + 1] == ' ')
			return text + len + 2;
	}
	return NULL;
}

const char *jr_assignee_standing(const jerry_item *item, int64_t now_ms)
{
	/* The claim set an assignee equal to its holder; it lapses with the lease. */
	if (item->assignee && jr_claim_stale(item, now_ms) &&
	    strcmp(item->assignee, item->claim.by) == 0)
		return NULL;
	return item->assignee && *item->assignee ? item->assignee : NULL;
}

void jr_claim_clear(jerry_item *item)
{
	free(item->claim.by);
	free(item->claim.session);
	free(item->claim.token);
	item->claim.by = NULL;
	item->claim.session = NULL;
	item->claim.token = NULL;
	item->claim.expires_ms = 0;
}

/* ---- lifecycle -------------------------------------------------------------- */

jerry_item *jr_item_new(void)
{
	jerry_item *it = calloc(1, sizeof(*it));
	if (it) {
		it->type = JERRY_TYPE_TASK;
		it->priority = JERRY_PRIORITY_MEDIUM;
		it->status = JERRY_STATUS_PENDING;
	}
	return it;
}

void jerry_item_free(jerry_item *it)
{
	if (!it)
		return;
	free(it->title);
	free(it->description);
	for (size_t i = 0; i < it->nlabels; i++)
		free(it->labels[i]);
	free(it->labels);
	free(it->assignee);
	free(it->depends_on);
	free(it->renumbered_from);
	jr_claim_clear(it);
	for (size_t i = 0; i < it->nnotes; i++) {
		free(it->notes[i].by);
		free(it->notes[i].text);
	}
	free(it->notes);
	free(it->created_by);
	free(it->updated_by);
	free(it->external_ref);
	if (it->ext && it->ext_free)
		it->ext_free(it->ext);
	free(it);
}

void jerry_item_array_free(jerry_item **items, size_t n)
{
	if (!items)
		return;
	for (size_t i = 0; i < n; i++)
		jerry_item_free(items[i]);
	free(items);
}

static int dup_str(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -1;
}

jerry_item *jr_item_dup(const jerry_item *src)
{
	jerry_item *it = calloc(1, sizeof(*it));
	if (!it)
		return NULL;
	*it = *src;
	it->title = it->description = it->assignee = it->created_by = it->updated_by = NULL;
	it->external_ref = NULL;
	it->labels = NULL;
	it->nlabels = 0;
	it->notes = NULL;
	it->nnotes = 0;
	it->depends_on = NULL;
	it->ndepends = 0;
	it->renumbered_from = NULL;
	it->nrenumbered_from = 0;
	it->claim.by = it->claim.session = it->claim.token = NULL;
	it->ext = NULL;
	it->ext_free = NULL;
	it->ext_dup = NULL;
	/* Unknown keys go with the copy, or it is no copy (an export, a merge). */
	if (src->ext && src->ext_dup) {
		if (!(it->ext = src->ext_dup(src->ext)))
			goto fail;
		it->ext_free = src->ext_free;
		it->ext_dup = src->ext_dup;
	}
	if (dup_str(&it->title, src->title) || dup_str(&it->description, src->description) ||
	    dup_str(&it->assignee, src->assignee) || dup_str(&it->created_by, src->created_by) ||
	    dup_str(&it->updated_by, src->updated_by) ||
	    dup_str(&it->external_ref, src->external_ref) ||
	    dup_str(&it->claim.by, src->claim.by) || dup_str(&it->claim.session, src->claim.session) ||
	    dup_str(&it->claim.token, src->claim.token))
		goto fail;
	for (size_t i = 0; i < src->nlabels; i++)
		if (jr_labels_add(it, src->labels[i]))
			goto fail;
	for (size_t i = 0; i < src->ndepends; i++)
		if (jr_depends_add(it, src->depends_on[i]))
			goto fail;
	for (size_t i = 0; i < src->nrenumbered_from; i++)
		if (jr_renumbered_add(it, src->renumbered_from[i]))
			goto fail;
	for (size_t i = 0; i < src->nnotes; i++)
		if (jr_notes_append(it, src->notes[i].at_ms, src->notes[i].by, src->notes[i].text))
			goto fail;
	return it;
fail:
	jerry_item_free(it);
	return NULL;
}
