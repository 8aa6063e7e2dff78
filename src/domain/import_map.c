/*
 * import_map.c - the tables of doc/IMPORT.md: each source's statuses,
 * types and priorities in jerry's terms, and the records an import carries.
 */
#include "import_map.h"
#include "domain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const jr_import_formats[] = {"jerry", "beads", "taskwarrior", "github", "backlog",
					 NULL};

int jr_import_format_known(const char *name)
{
	for (size_t i = 0; jr_import_formats[i]; i++)
		if (strcmp(jr_import_formats[i], name) == 0)
			return 1;
	return 0;
}

jr_import_rec *jr_import_add(jr_import_set *set)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		jr_import_rec *grown = realloc(set->recs, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		set->recs = grown;
		set->cap = cap;
	}
	jr_import_rec *r = &set->recs[set->n];
	memset(r, 0, sizeof(*r));
	if (!(r->item = jr_item_new()))
		return NULL;
	set->n++;
	return r;
}

void jr_import_set_release(jr_import_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		jr_import_rec *r = &set->recs[i];
		jerry_item_free(r->item);
		free(r->parent_ref);
		for (size_t d = 0; d < r->ndeps; d++)
			free(r->dep_refs[d]);
		free(r->dep_refs);
		free(r->lost);
		free(r->file);
	}
	free(set->recs);
	free(set->path);
	memset(set, 0, sizeof(*set));
}

__attribute__((format(printf, 2, 0)))
static int vnote(char **text, const char *fmt, va_list ap)
{
	char buf[512];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t old = *text ? strlen(*text) : 0;
	char *grown = realloc(*text, old + strlen(buf) + 3);
	if (!grown)
		return -1;
	snprintf(grown + old, strlen(buf) + 3, "%s%s", old ? "; " : "", buf);
	*text = grown;
	return 0;
}

int jr_import_note(char **text, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vnote(text, fmt, ap);
	va_end(ap);
	return rc;
}

int jr_import_lose(jr_import_rec *rec, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vnote(&rec->lost, fmt, ap);
	va_end(ap);
	return rc;
}

int jr_import_add_label(jr_import_rec *r, const char *name)
{
	int changed;
	char *l = jr_import_label(name, &changed);
	if (!l)
		return jr_import_lose(r, "label '%.64s'", name);
	int rc = jr_labels_add(r->item, l);
	if (!rc && changed)
		rc = jr_import_lose(r, "label '%.64s' is '%s'", name, l);
	free(l);
	return rc;
}

struct map_row {
	const char *format;
	const char *value;
	int to;                        /* the jerry enum                  */
	const char *label;             /* a loss kept as a label, or NULL */
};

static const struct map_row status_rows[] = {
	{"beads", "open", JERRY_STATUS_PENDING, NULL},
	{"beads", "in_progress", JERRY_STATUS_IN_PROGRESS, NULL},
	{"beads", "blocked", JERRY_STATUS_BLOCKED, NULL},
	{"beads", "deferred", JERRY_STATUS_PENDING, "deferred"},
	{"beads", "pinned", JERRY_STATUS_PENDING, "pinned"},
	{"beads", "hooked", JERRY_STATUS_IN_PROGRESS, "hooked"},
	{"beads", "closed", JERRY_STATUS_DONE, NULL},
	{"beads", "tombstone", JERRY_STATUS_CANCELLED, "tombstone"},
	{"taskwarrior", "pending", JERRY_STATUS_PENDING, NULL},
	{"taskwarrior", "completed", JERRY_STATUS_DONE, NULL},
	{"taskwarrior", "deleted", JERRY_STATUS_CANCELLED, NULL},
	{"taskwarrior", "waiting", JERRY_STATUS_PENDING, "waiting"},
	{"taskwarrior", "recurring", JERRY_STATUS_PENDING, "recurring"},
	{"github", "OPEN", JERRY_STATUS_PENDING, NULL},
	{"github", "CLOSED", JERRY_STATUS_DONE, NULL},
	{"github", "NOT_PLANNED", JERRY_STATUS_CANCELLED, NULL},
	{"backlog", "To Do", JERRY_STATUS_PENDING, NULL},
	{"backlog", "In Progress", JERRY_STATUS_IN_PROGRESS, NULL},
	{"backlog", "Done", JERRY_STATUS_DONE, NULL},
	{NULL, NULL, 0, NULL}
};

static const struct map_row type_rows[] = {
	{"beads", "bug", JERRY_TYPE_BUG, NULL},
	{"beads", "feature", JERRY_TYPE_FEATURE, NULL},
	{"beads", "task", JERRY_TYPE_TASK, NULL},
	{"beads", "epic", JERRY_TYPE_EPIC, NULL},
	{"beads", "chore", JERRY_TYPE_TASK, "chore"},
	{NULL, NULL, 0, NULL}
};

static const struct map_row priority_rows[] = {
	{"beads", "0", JERRY_PRIORITY_CRITICAL, NULL},
	{"beads", "1", JERRY_PRIORITY_HIGH, NULL},
	{"beads", "2", JERRY_PRIORITY_MEDIUM, NULL},
	{"beads", "3", JERRY_PRIORITY_LOW, NULL},
	{"beads", "4", JERRY_PRIORITY_LOW, "backlog"},
	{"taskwarrior", "H", JERRY_PRIORITY_HIGH, NULL},
	{"taskwarrior", "M", JERRY_PRIORITY_MEDIUM, NULL},
	{"taskwarrior", "L", JERRY_PRIORITY_LOW, NULL},
	{"backlog", "high", JERRY_PRIORITY_HIGH, NULL},
	{"backlog", "medium", JERRY_PRIORITY_MEDIUM, NULL},
	{"backlog", "low", JERRY_PRIORITY_LOW, NULL},
	{NULL, NULL, 0, NULL}
};

static int map_value(int *out, const char **label, const struct map_row *rows, const char *format,
	       const char *value)
{
	if (label)
		*label = NULL;
	for (const struct map_row *r = rows; r->format; r++) {
		if (strcmp(r->format, format) != 0 || strcmp(r->value, value) != 0)
			continue;
		*out = r->to;
		if (label)
			*label = r->label;
		return r->label ? 1 : 0;
	}
	return -1;
}

int jr_import_map_status(jerry_status *out, const char **label, const char *format,
			 const char *value)
{
	int v = JERRY_STATUS_PENDING, rc;
	if (strcmp(format, "jerry") == 0)
		return jerry_status_parse(out, value) ? -1 : 0;
	rc = map_value(&v, label, status_rows, format, value);
	*out = (jerry_status)v;
	return rc;
}

int jr_import_map_type(jerry_type *out, const char **label, const char *format,
		       const char *value)
{
	int v = JERRY_TYPE_TASK, rc;
	if (strcmp(format, "jerry") == 0)
		return jerry_type_parse(out, value) ? -1 : 0;
	rc = map_value(&v, label, type_rows, format, value);
	*out = (jerry_type)v;
	return rc;
}

int jr_import_map_priority(jerry_priority *out, const char *format, const char *value)
{
	int v = JERRY_PRIORITY_MEDIUM, rc;
	const char *label;
	if (strcmp(format, "jerry") == 0)
		return jerry_priority_parse(out, value) ? -1 : 0;
	rc = map_value(&v, &label, priority_rows, format, value);
	*out = (jerry_priority)v;
	return rc;
}

char *jr_import_label(const char *name, int *changed)
{
	size_t n = strlen(name), k = 0;
	char *out = malloc(n + 1);
	*changed = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		int bad = c < 0x20 || c == 0x7f || c == ' ' || c == ',';
		out[k++] = bad ? '-' : (char)c;
		*changed |= bad;
	}
	/* at most 64 bytes, cut before a UTF-8 continuation byte */
	if (k > 64) {
		k = 64;
		while (k > 0 && ((unsigned char)out[k] & 0xC0) == 0x80)
			k--;
		*changed = 1;
	}
	out[k] = '\0';
	if (k == 0) {
		free(out);
		return NULL;
	}
	return out;
}

int jr_import_time(int64_t *out_ms, const char *text)
{
	char buf[64];
	size_t n = text ? strlen(text) : 0;
	int64_t offset_min = 0;
	if ((n < 16 && n != 10) || n >= sizeof(buf))
		return JERRY_EINVALID;
	/* Taskwarrior: 20260105T120000Z */
	if (n == 16 && text[8] == 'T' && text[15] == 'Z') {
		snprintf(buf, sizeof(buf), "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", text, text + 4, text + 6,
			 text + 9, text + 11, text + 13);
		return jerry_time_parse(out_ms, buf);
	}
	/* Backlog.md: 2026-01-05 12:00, or a date alone */
	if ((n == 16 && text[10] == ' ' && text[13] == ':') || n == 10) {
		snprintf(buf, sizeof(buf), "%.10sT%.5s:00Z", text, n == 16 ? text + 11 : "00:00");
		return jerry_time_parse(out_ms, buf);
	}
	memcpy(buf, text, n + 1);
	/* RFC 3339 with any offset: -07:00 is 7 hours behind UTC */
	if (n > 6 && (buf[n - 6] == '+' || buf[n - 6] == '-') && buf[n - 3] == ':') {
		int h, m;
		if (sscanf(buf + n - 5, "%2d:%2d", &h, &m) != 2 || h > 23 || m > 59)
			return JERRY_EINVALID;
		offset_min = (buf[n - 6] == '-' ? -1 : 1) * (h * 60 + m);
		buf[n - 6] = 'Z';
		buf[n - 5] = '\0';
	}
	if (jerry_time_parse(out_ms, buf))
		return JERRY_EINVALID;
	*out_ms -= offset_min * 60000;
	return *out_ms > 0 ? 0 : JERRY_EINVALID;
}

void jerry_import_result_free(jerry_import_result *result)
{
	if (!result)
		return;
	for (size_t i = 0; i < result->nrows; i++) {
		free(result->rows[i].ref);
		free(result->rows[i].title);
		free(result->rows[i].lost);
	}
	free(result->rows);
	free(result);
}
