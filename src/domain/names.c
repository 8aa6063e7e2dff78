/*
 * names.c - the vocabulary: types, statuses, priorities, item IDs, times.
 */
#include "domain.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const type_names[JERRY_TYPE__COUNT] = {
	"epic", "feature", "story", "task", "subtask", "bug", "spike",
};
static const char *const status_names[JERRY_STATUS__COUNT] = {
	"pending", "in_progress", "blocked", "done", "cancelled",
};
static const char *const priority_names[JERRY_PRIORITY__COUNT] = {
	"critical", "high", "medium", "low",
};

static const char *name_of(const char *const *names, int n, int v)
{
	return v >= 0 && v < n ? names[v] : "unknown";
}

static int parse_name(int *out, const char *const *names, int n, const char *s)
{
	if (!s)
		return JERRY_EINVALID;
	for (int i = 0; i < n; i++) {
		if (strcasecmp(names[i], s) == 0) {
			*out = i;
			return 0;
		}
	}
	return JERRY_EINVALID;
}

const char *jerry_type_name(jerry_type t) { return name_of(type_names, JERRY_TYPE__COUNT, (int)t); }
const char *jerry_status_name(jerry_status s) { return name_of(status_names, JERRY_STATUS__COUNT, (int)s); }
const char *jerry_priority_name(jerry_priority p) { return name_of(priority_names, JERRY_PRIORITY__COUNT, (int)p); }

int jerry_type_parse(jerry_type *out, const char *name)
{
	int v = 0, rc = parse_name(&v, type_names, JERRY_TYPE__COUNT, name);
	if (rc == 0)
		*out = (jerry_type)v;
	return rc;
}

int jerry_status_parse(jerry_status *out, const char *name)
{
	int v = 0, rc = parse_name(&v, status_names, JERRY_STATUS__COUNT, name);
	/* "in-progress" is what people type. */
	if (rc && name && strcasecmp(name, "in-progress") == 0) {
		v = JERRY_STATUS_IN_PROGRESS;
		rc = 0;
	}
	if (rc == 0)
		*out = (jerry_status)v;
	return rc;
}

int jerry_priority_parse(jerry_priority *out, const char *name)
{
	int v = 0, rc = parse_name(&v, priority_names, JERRY_PRIORITY__COUNT, name);
	if (rc == 0)
		*out = (jerry_priority)v;
	return rc;
}

/*
 * IDs: an optional "WORK-" prefix (any case) and 1..9 decimal digits, not
 * all zero.  Everything else - signs, spaces, slashes, dots - is refused, so
 * an ID can never name a path outside items/.
 */
int jerry_id_parse(int64_t *out, const char *text, jerry_error *err)
{
	const char *p = text;
	if (!text || !*text)
		return jr_error(err, JERRY_EINVALID, "an item ID is required");
	if (strncasecmp(p, "WORK-", 5) == 0)
		p += 5;
	size_t n = strspn(p, "0123456789");
	if (n == 0 || p[n] != '\0') {
		jr_error(err, JERRY_EINVALID, "'%.64s' is not an item ID", text);
		jr_error_hint(err, "IDs look like WORK-7, work-007 or 7");
		return JERRY_EINVALID;
	}
	/* Read no further than fits: a number of any length is refused here. */
	if (n > 9) {
		char last[24];
		jerry_id_format(last, sizeof(last), JR_ID_MAX);
		jr_error(err, JERRY_EINVALID,
			 "'%.64s' is not an item ID: numbers have at most 9 digits (the largest is "
			 "%s)", text, last);
		return JERRY_EINVALID;
	}
	int64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	if (v == 0) {
		jr_error(err, JERRY_EINVALID, "'%.64s' is not an item ID: numbers start at 1", text);
		return JERRY_EINVALID;
	}
	*out = v;
	return 0;
}

size_t jr_id_spell(char *buf, size_t size, int64_t num)
{
	char out[32];
	size_t len;
	if (num < 1) {
		/* Never an item's number; spelled all the same, the printf way. */
		int n = snprintf(out, sizeof(out), "WORK-%03lld", (long long)num);
		len = n > 0 ? (size_t)n : 0;
	} else {
		/* Readers spell every summary's ID: digits by hand, no printf. */
		char digits[24], *p = digits + sizeof(digits);
		for (uint64_t v = (uint64_t)num; v; v /= 10)
			*--p = (char)('0' + v % 10);
		size_t n = (size_t)(digits + sizeof(digits) - p), pad = n < 3 ? 3 - n : 0;
		memcpy(out, "WORK-", 5);
		memset(out + 5, '0', pad);
		memcpy(out + 5 + pad, p, n);
		len = 5 + pad + n;
	}
	if (size) {
		size_t k = len < size ? len : size - 1;
		memcpy(buf, out, k);
		buf[k] = '\0';
	}
	return len;
}

void jerry_id_format(char *buf, size_t size, int64_t num)
{
	jr_id_spell(buf, size, num);
}

/*
 * Here rather than in error.c: an error is more basic than an item ID, so
 * error.c knows nothing of IDs and only this file needs both.
 */
void jr_error_item(jerry_error *err, int64_t num)
{
	if (err && num > 0)
		jerry_id_format(err->item, sizeof(err->item), num);
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static char *two(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

const char *jerry_title_cut(char *buf, const char *title, size_t max)
{
	size_t chars = 0, i = 0;
	if (!title)
		return "";
	if (!max)
		return title;
	for (; title[i]; i++) {
		if (((unsigned char)title[i] & 0xC0) == 0x80)
			continue;
		if (chars++ == max)
			break;
	}
	if (!title[i])
		return title;
	/* Room for "...": back off to the start of the character max - 3. */
	size_t keep = 0;
	for (size_t j = 0, c = 0; j < i; j++)
		if (((unsigned char)title[j] & 0xC0) != 0x80 && c++ == max - 3) {
			keep = j;
			break;
		}
	memcpy(buf, title, keep);
	memcpy(buf + keep, "...", 4);
	return buf;
}

/*
 * Arithmetic, not gmtime_r: that one applies leap seconds under a
 * "right/" TZ, which jerry_time_parse does not undo.  And list --json
 * formats two to four times per item, where printf would dominate.
 */
void jerry_time_format(char *buf, size_t size, int64_t ms)
{
	int64_t secs = ms / 1000, days, y;
	int frac = (int)(ms % 1000), m, d;
	if (frac < 0) {
		frac += 1000;
		secs -= 1;
	}
	days = secs / 86400;
	int sod = (int)(secs % 86400);
	if (sod < 0) {
		sod += 86400;
		days -= 1;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999 || size < 25) {
		snprintf(buf, size, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", (long long)y, m, d,
			 sod / 3600, sod / 60 % 60, sod % 60, frac);
		return;
	}
	unsigned s = (unsigned)sod, f = (unsigned)frac;
	char *p = two(two(buf, (unsigned)y / 100), (unsigned)y % 100);
	*p++ = '-';
	p = two(p, (unsigned)m);
	*p++ = '-';
	p = two(p, (unsigned)d);
	*p++ = 'T';
	p = two(p, s / 3600);
	*p++ = ':';
	p = two(p, s / 60 % 60);
	*p++ = ':';
	p = two(p, s % 60);
	*p++ = '.';
	*p++ = (char)('0' + f / 100);
	p = two(p, f % 100);
	*p++ = 'Z';
	*p = '\0';
}

/*
 * The units jerry's durations use (30m, 2h, 1d, 1w), each from where it
 * reads better than the one below: "13d" rather than "1w", "8w" rather than
 * "2mo".  Past 60 days a count says less than the date does.
 */
void jerry_time_ago(char *buf, size_t size, int64_t ms, int64_t now)
{
	static const struct {
		int64_t from, unit;
		const char *name;
	} steps[] = {
		{14LL * 86400000, 7LL * 86400000, "w"},
		{86400000, 86400000, "d"},
		{3600000, 3600000, "h"},
		{60000, 60000, "m"},
		{1000, 1000, "s"},
	};
	char date[40];
	/* Times from a damaged file may be anything: far apart, never overflowed. */
	int far = (ms < 0 && now > INT64_MAX + ms) || (ms > 0 && now <= INT64_MIN + ms);
	int64_t d = far ? 0 : now - ms;
	int ahead = d < 0;
	if (ahead)
		d = -d;
	if (!far && d < 1000) {
		snprintf(buf, size, "just now");
		return;
	}
	if (far || d >= 60LL * 86400000) {
		jerry_time_format(date, sizeof(date), ms);
		snprintf(buf, size, "%.10s", date);
		return;
	}
	size_t i = 0;
	while (d < steps[i].from)
		i++;
	long long count = (long long)(d / steps[i].unit);
	if (ahead)
		snprintf(buf, size, "in %lld%s", count, steps[i].name);
	else
		snprintf(buf, size, "%lld%s ago", count, steps[i].name);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days from 1970-01-01 to a civil date (proleptic Gregorian). */
int64_t jr_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z" and "+00:00"; what jerry writes. */
int jerry_time_parse(int64_t *out_ms, const char *s)
{
	int y, mo, d, h, mi, se, ms = 0;
	if (!s || strlen(s) < 20)
		return JERRY_EINVALID;
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
	    digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &se))
		return JERRY_EINVALID;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		int n = 0, scale = 100;
		while (isdigit((unsigned char)*p)) {
			if (n < 3)
				ms += (*p - '0') * scale;
			scale /= 10;
			n++;
			p++;
		}
		if (n == 0)
			return JERRY_EINVALID;
	}
	if (!((*p == 'Z' || *p == 'z') && p[1] == '\0') && strcmp(p, "+00:00") != 0)
		return JERRY_EINVALID;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return JERRY_EINVALID;
	int64_t days = jr_days_from_civil(y, mo, d);
	int64_t t = ((days * 24 + h) * 60 + mi) * 60000LL + se * 1000LL + ms;
	/*
	 * An item's times are milliseconds after the epoch and 0 means "not
	 * set": 1970-01-01T00:00:00Z itself (or earlier) would read as unset
	 * and be written back as null.
	 */
	if (t <= 0)
		return JERRY_EINVALID;
	*out_ms = t;
	return 0;
}
