/*
 * duration.c - spans as people write them: 500ms, 90s, 30m, 2h, 1d, 1w.
 */
#include "domain.h"

#include <string.h>

int jerry_duration_parse(int64_t *out_ms, const char *text)
{
	static const struct { const char *unit; int64_t ms; } units[] = {
		{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}, {"w", 604800000},
	};
	int64_t n = 0;
	const char *p = text;
	if (!text || !*text)
		return JERRY_EINVALID;
	while (*p >= '0' && *p <= '9') {
		n = n * 10 + (*p - '0');
		if (n > 100000000)
			return JERRY_EINVALID;
		p++;
	}
	if (p == text || n == 0)
		return JERRY_EINVALID;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].unit) == 0) {
			int64_t ms = n * units[i].ms;
			if (ms > 366LL * 86400000)
				return JERRY_EINVALID;
			*out_ms = ms;
			return 0;
		}
	}
	return JERRY_EINVALID;
}
