/*
 * mcp.c - the protocol of `jerry mcp`: lines in, JSON-RPC 2.0 messages,
 * the lifecycle (initialize, ping, notifications), batches where the
 * agreed version allows them, and one answer a line out.  The tools are
 * mcp_tools.c's.
 *
 * A line that is not a message is answered (-32700, -32600) and the
 * server reads the next: one bad client line never ends the session.
 */
#include "mcp.h"
#include "mcp_tools.h"
#include "../util/strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JSONRPC_PARSE_ERROR (-32700)
#define JSONRPC_INVALID_REQUEST (-32600)
#define JSONRPC_METHOD_NOT_FOUND (-32601)

/* The longest line read; the rest of a longer one is skipped and answered -32700. */
#define LINE_MAX_BYTES (4u << 20)

/* Newest first: a client asking for a version not here is offered the first. */
static const char *const versions[] = {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"};
/* The one version whose JSON-RPC allows batches. */
#define BATCH_VERSION "2025-03-26"

/* The briefing in `instructions`: how to use these tools safely. */
static const char guide[] =
	"jerry tracks work that many agents share; every call reads or writes the store "
	"directly and nothing is cached, so results are current.\n"
	"- Find work with `ready`; take it with `claim` (action next, or claim with an id). "
	"Only the claimer may finish it: keep the claim alive with action heartbeat "
	"during long work, and give it back with action release if you stop.\n"
	"- Change an item you read with `update`/`note`/`transition` and pass if_version "
	"(the version you read): a conflict (exit 4) means someone changed it - show it "
	"again and decide.\n"
	"- Move items with `transition` (start, block, done, cancel, reopen); a refusal "
	"says why and what is allowed.  force overrides are recorded.\n"
	"- `as` acts under another name for one call; `token` (from claim) proves a claim "
	"whatever the name.\n"
	"- A refusal is a result with isError and {code, exit, message}: the same as "
	"`jerry --json`.  Lists are paged: pass next_cursor back as cursor.\n";

struct server {
	FILE *in, *out, *diag;
	struct mcp_session s;
};

/* ---- answers -------------------------------------------------------------------- */

/* The request's id as JSON text ("null" when there is none). */
static int add_id(struct jr_sb *sb, json_t *id)
{
	char *t = id ? json_dumps(id, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	int rc = jr_sb_addstr(sb, t ? t : "null");
	free(t);
	return rc;
}

static int answer_error(struct jr_sb *sb, json_t *id, int code, const char *message)
{
	json_t *m = json_string(message);
	char *mt = m ? json_dumps(m, JSON_ENCODE_ANY) : NULL;
	json_decref(m);
	jr_sb_addstr(sb, "{\"jsonrpc\":\"2.0\",\"id\":");
	add_id(sb, id);
	jr_sb_addf(sb, ",\"error\":{\"code\":%d,\"message\":%s}}", code,
		   mt ? mt : "\"out of memory\"");
	free(mt);
	return sb->failed ? JERRY_ENOMEM : 0;
}

static int answer_result(struct jr_sb *sb, json_t *id, const char *result)
{
	jr_sb_addstr(sb, "{\"jsonrpc\":\"2.0\",\"id\":");
	add_id(sb, id);
	jr_sb_addstr(sb, ",\"result\":");
	jr_sb_addstr(sb, result);
	jr_sb_addch(sb, '}');
	return sb->failed ? JERRY_ENOMEM : 0;
}

/* ---- methods --------------------------------------------------------------------- */

/* "Claude Code" -> "Claude-Code": a name is kept to what a shell user can type back. */
static void derive_name(struct server *sv, const char *client)
{
	char base[48];
	size_t n = 0;
	for (const char *p = client && *client ? client : "mcp"; *p && n + 1 < sizeof(base); p++) {
		unsigned char c = (unsigned char)*p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '-' || c == '_' || c == '.';
		base[n++] = ok ? (char)c : '-';
	}
	base[n] = '\0';
	snprintf(sv->s.name, sizeof(sv->s.name), "%s-%ld", base, (long)getpid());
}

/* How many rows each list of the briefing shows, and the window of "changed". */
#define BRIEF_ROWS 5
#define BRIEF_SINCE_MS (24LL * 60 * 60 * 1000)

/*
 * Who acts when no name was given: the library's own name when it derives
 * one that is a name (CLAUDE_CODE_SESSION_ID: the same name the agent's
 * `jerry` commands get), else the client's name and this process's ID.
 * And the briefing: the guide, then the store now as `prime` shows it
 * (jerry_brief_text), or why there is no store.  NULL when out of memory.
 */
static char *settle(struct server *sv, const char *client)
{
	jerry_store *st = NULL;
	jerry_error err;
	jerry_brief b;
	char *now = NULL, *out = NULL;
	struct jr_sb sb = JR_SB_INIT;
	int rc = jerry_store_open(&st, sv->s.opts, &err);
	if (!sv->s.opts->instance && !(rc == 0 && jerry_store_named(st)))
		derive_name(sv, client);
	const char *me = sv->s.name[0] ? sv->s.name : rc == 0 ? jerry_store_claimer(st)
				    : sv->s.opts->instance ? sv->s.opts->instance : "";
	jr_sb_addstr(&sb, guide);
	jr_sb_addch(&sb, '\n');
	if (rc == 0 && (rc = jerry_brief_load(&b, st, BRIEF_SINCE_MS, &err)) == 0) {
		rc = jerry_brief_text(&now, &b, me, BRIEF_ROWS, &err);
		jerry_brief_release(&b);
	}
	if (rc == 0)
		jr_sb_addstr(&sb, now);
	else
		jr_sb_addf(&sb, "You act as %s.  The store cannot be read now: %s\n", me,
			   err.message);
	if (!sb.failed)
		out = jr_sb_detach(&sb, NULL);
	jr_sb_release(&sb);
	free(now);
	jerry_store_free(st);
	return out;
}

static int do_initialize(struct server *sv, struct jr_sb *sb, json_t *id, json_t *params)
{
	json_t *pv = json_object_get(params, "protocolVersion");
	if (!json_is_string(pv))
		return answer_error(sb, id, JSONRPC_INVALID_PARAMS,
				    "initialize needs params.protocolVersion, a string");
	const char *want = json_string_value(pv), *agreed = versions[0];
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		if (strcmp(want, versions[i]) == 0)
			agreed = versions[i];
	snprintf(sv->s.version, sizeof(sv->s.version), "%s", agreed);
	json_t *ci = json_object_get(params, "clientInfo");
	char *brief = settle(sv, json_string_value(json_object_get(ci, "name")));

	json_t *r = brief ? json_pack("{s:s,s:{s:{s:b}},s:{s:s,s:s},s:s}", "protocolVersion", agreed,
				      "capabilities", "tools", "listChanged", 0, "serverInfo", "name",
				      "jerry", "version", JERRY_VERSION, "instructions", brief)
			  : NULL;
	char *text = r ? json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(r);
	free(brief);
	int rc = text ? answer_result(sb, id, text) : JERRY_ENOMEM;
	free(text);
	return rc;
}

static int do_call(struct server *sv, struct jr_sb *sb, json_t *id, json_t *params)
{
	char *result = NULL, msg[256] = "";
	int rc = mcp_tools_call(&result, &sv->s, params, msg, sizeof(msg));
	if (rc == JSONRPC_INVALID_PARAMS)
		return answer_error(sb, id, rc, msg);
	if (rc)
		return rc;
	rc = answer_result(sb, id, result);
	free(result);
	return rc;
}

/* One message that is not an array: its answer onto sb, or nothing for a notification. */
static int one(struct server *sv, struct jr_sb *sb, json_t *msg, int in_batch)
{
	if (!json_is_object(msg))
		return answer_error(sb, NULL, JSONRPC_INVALID_REQUEST, "a message is a JSON object");
	json_t *id = json_object_get(msg, "id");
	json_t *method = json_object_get(msg, "method");
	/* An id is a string or a whole number (MCP: never null). */
	if (id && !json_is_string(id) && !json_is_integer(id))
		return answer_error(sb, NULL, JSONRPC_INVALID_REQUEST,
				    "the id must be a string or an integer");
	const char *v = json_string_value(json_object_get(msg, "jsonrpc"));
	if (!v || strcmp(v, "2.0") != 0)
		return answer_error(sb, id, JSONRPC_INVALID_REQUEST, "jsonrpc must be \"2.0\"");
	if (!method) {
		/* A response to a request of ours: we send none, so there is nothing to do. */
		if (id && (json_object_get(msg, "result") || json_object_get(msg, "error")))
			return 0;
		return answer_error(sb, id, JSONRPC_INVALID_REQUEST, "a request needs a method");
	}
	if (!json_is_string(method))
		return answer_error(sb, id, JSONRPC_INVALID_REQUEST, "the method must be a string");
	/* Notifications (initialized, cancelled, ...) are never answered. */
	if (!id)
		return 0;
	const char *m = json_string_value(method);
	json_t *params = json_object_get(msg, "params");
	if (params && !json_is_object(params))
		return answer_error(sb, id, JSONRPC_INVALID_PARAMS, "params must be an object");
	if (strcmp(m, "initialize") == 0) {
		if (in_batch)
			return answer_error(sb, id, JSONRPC_INVALID_REQUEST,
					    "initialize cannot be part of a batch");
		return do_initialize(sv, sb, id, params);
	}
	if (strcmp(m, "ping") == 0)
		return answer_result(sb, id, "{}");
	if (strcmp(m, "tools/list") == 0)
		return answer_result(sb, id, mcp_tools_list());
	if (strcmp(m, "tools/call") == 0)
		return do_call(sv, sb, id, params);
	char text[160];
	snprintf(text, sizeof(text), "method '%.64s' is not served by jerry", m);
	return answer_error(sb, id, JSONRPC_METHOD_NOT_FOUND, text);
}

/* A JSON-RPC batch: only in 2025-03-26, which has them; one array of answers. */
static int batch(struct server *sv, struct jr_sb *sb, json_t *arr)
{
	if (strcmp(sv->s.version, BATCH_VERSION) != 0) {
		char text[160];
		snprintf(text, sizeof(text), "batches are not part of protocol version %s",
			 sv->s.version[0] ? sv->s.version : "(none agreed yet)");
		return answer_error(sb, NULL, JSONRPC_INVALID_REQUEST, text);
	}
	if (json_array_size(arr) == 0)
		return answer_error(sb, NULL, JSONRPC_INVALID_REQUEST, "an empty batch");
	size_t first = 1, i;
	json_t *msg;
	jr_sb_addch(sb, '[');
	json_array_foreach(arr, i, msg) {
		size_t before = sb->len;
		if (!first)
			jr_sb_addch(sb, ',');
		size_t mark = sb->len;
		int rc = one(sv, sb, msg, 1);
		if (rc)
			return rc;
		if (sb->len == mark)
			sb->len = before;       /* a notification: no answer, no comma */
		else
			first = 0;
	}
	if (first) {
		/* Only notifications: nothing at all is sent back. */
		sb->len = 0;
		return 0;
	}
	jr_sb_addch(sb, ']');
	return sb->failed ? JERRY_ENOMEM : 0;
}

/* ---- lines ----------------------------------------------------------------------- */

/* Write one answer and its newline; 0, or the errno of the failure. */
static int put_line(struct server *sv, const struct jr_sb *sb)
{
	errno = 0;
	if (fwrite(sb->buf, 1, sb->len, sv->out) != sb->len || fputc('\n', sv->out) == EOF ||
	    fflush(sv->out) == EOF)
		return errno ? errno : EIO;
	return 0;
}

/*
 * Read one line into sb, without its newline.  1: a line; 0: end of
 * input; -1: a read error.  *too_long: the line was longer than
 * LINE_MAX_BYTES and its rest was skipped.
 */
static int get_line(FILE *in, struct jr_sb *sb, int *too_long)
{
	char chunk[65536];
	int any = 0;
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
	*too_long = 0;
	while (fgets(chunk, sizeof(chunk), in)) {
		any = 1;
		size_t n = strlen(chunk);
		int end = n && chunk[n - 1] == '\n';
		if (end)
			n--;
		if (!*too_long && sb->len + n <= LINE_MAX_BYTES)
			jr_sb_add(sb, chunk, n);
		else
			*too_long = 1;
		if (end)
			return 1;
	}
	if (ferror(in))
		return -1;
	return any;
}

/* What one line asks: its answer in sb (empty: none). */
static int handle(struct server *sv, struct jr_sb *line, struct jr_sb *sb, int too_long)
{
	json_error_t jerr;
	sb->len = 0;
	if (too_long) {
		char text[96];
		snprintf(text, sizeof(text), "message longer than %u bytes", LINE_MAX_BYTES);
		return answer_error(sb, NULL, JSONRPC_PARSE_ERROR, text);
	}
	if (line->failed)
		return JERRY_ENOMEM;
	/* Blank lines between messages are not messages. */
	if (strspn(line->buf ? line->buf : "", " \t\r") == line->len)
		return 0;
	/* Any JSON value: a string or a number is an invalid request (-32600), not a parse error. */
	json_t *msg = json_loadb(line->buf, line->len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
				 &jerr);
	if (!msg) {
		char text[300];
		snprintf(text, sizeof(text), "parse error: %s", jerr.text);
		return answer_error(sb, NULL, JSONRPC_PARSE_ERROR, text);
	}
	sv->s.committed = 0;
	int rc = json_is_array(msg) ? batch(sv, sb, msg) : one(sv, sb, msg, 0);
	json_decref(msg);
	return rc;
}

int jr_mcp_serve(FILE *in, FILE *out, FILE *diag, const jerry_open_opts *opts)
{
	struct server sv;
	struct jr_sb line = JR_SB_INIT, sb = JR_SB_INIT;
	int rc = 0, got, too_long;

	memset(&sv, 0, sizeof(sv));
	sv.in = in;
	sv.out = out;
	sv.diag = diag;
	sv.s.opts = opts;
	while ((got = get_line(in, &line, &too_long)) > 0) {
		if ((rc = handle(&sv, &line, &sb, too_long))) {
			fprintf(diag, "jerry mcp: out of memory\n");
			break;
		}
		if (!sb.len)
			continue;
		int e = put_line(&sv, &sb);
		if (e) {
			if (sv.s.committed) {
				fprintf(diag, "jerry mcp: %s was changed, but its answer could not be "
					"written: %s\n", sv.s.changed, strerror(e));
				rc = JERRY_EOUTPUT;
			} else {
				fprintf(diag, "jerry mcp: cannot write an answer: %s\n", strerror(e));
				rc = JERRY_ESTORAGE;
			}
			break;
		}
	}
	if (got < 0 && !rc) {
		fprintf(diag, "jerry mcp: cannot read standard input: %s\n", strerror(errno));
		rc = JERRY_ESTORAGE;
	}
	jr_sb_release(&line);
	jr_sb_release(&sb);
	return rc;
}
