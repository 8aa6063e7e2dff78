/*
 * cmd_git.c - jerry and git: `jerry merge-file %O %A %B %P`, the merge
 * driver git runs for a file of the record, and `jerry git setup`, which
 * installs it, and `jerry sync [REMOTE]`, which shares the record through
 * a remote on a ref of its own (ADR 0020).  The rules are the library's; this file parses
 * and says what was done.
 */
#include "cli.h"
#include "output.h"

#include <string.h>

/* "title, status" for the fields a merge decided, into buf. */
static void decided_text(char *buf, size_t size, unsigned decided)
{
	size_t len = 0;
	buf[0] = '\0';
	for (unsigned i = 0; jerry_merge_field(i); i++)
		if ((decided & (1u << i)) && len < size) {
			int n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
					 jerry_merge_field(i));
			if (n < 0)
				break;
			len += (size_t)n;
		}
}

int cmd_merge_file(struct cli *cli, const struct cli_args *args)
{
	jerry_merge_result res;
	jerry_error err;
	char fields[256];
	jerry_error_clear(&err);
	int rc = jerry_merge_file(&res, args->pos[0], args->pos[1], args->pos[2], args->pos[3], &err);
	if (rc && rc != JERRY_EDURABLE)
		return out_error(cli, rc, &err);
	decided_text(fields, sizeof(fields), res.decided);
	if (res.changed)
		out_committed_store(cli, rc, &err, "%s was merged", args->pos[3]);
	if (cli->json) {
		json_t *o = json_object(), *arr = json_array();
		for (unsigned i = 0; arr && jerry_merge_field(i); i++)
			if (res.decided & (1u << i))
				out_json_push(&arr, out_json_string(jerry_merge_field(i)));
		if (o && (json_object_set_new(o, "path", out_json_string(args->pos[3])) ||
			  json_object_set_new(o, "id", out_json_string(res.id)) ||
			  json_object_set_new(o, "kind", out_json_string(res.history ? "history" : "item")) ||
			  json_object_set_new(o, "changed", json_boolean(res.changed)) ||
			  (res.history ? json_object_set_new(o, "entries", json_integer((json_int_t)res.entries))
				       : json_object_set_new(o, "version", json_integer((json_int_t)res.version))) ||
			  json_object_set_new(o, "decided", arr))) {
			json_decref(o);
			o = NULL;
		} else if (!o) {
			json_decref(arr);
		}
		return out_json(cli, o);
	}
	if (res.history)
		printf("merged the history of %s (%zu entries)\n", res.id, res.entries);
	else if (res.decided)
		printf("merged %s (version %lld); both sides changed %s: decided by the merge rules\n",
		       res.id, (long long)res.version, fields);
	else
		printf("merged %s (version %lld)\n", res.id, (long long)res.version);
	return 0;
}

/* {"post-merge": "written" | "foreign" | "present", ...} */
static json_t *hooks_json(const jerry_git_setup_result *res)
{
	json_t *o = json_object();
	for (unsigned i = 0; o && jerry_git_hook(i); i++) {
		const char *how = res->hooks_written & (1u << i) ? "written"
				  : res->hooks_foreign & (1u << i) ? "foreign" : "present";
		if (json_object_set_new(o, jerry_git_hook(i), out_json_string(how))) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

int cmd_git(struct cli *cli, const struct cli_args *args)
{
	jerry_git_setup_result res;
	jerry_error err;
	if (strcmp(args->pos[0], "setup") != 0)
		return out_usage(cli, "unknown git subcommand '%s' (try 'setup')", args->pos[0]);
	jerry_error_clear(&err);
	int rc = jerry_git_setup(&res, cli->store, &err);
	if (rc && rc != JERRY_EDURABLE)
		return out_error(cli, rc, &err);
	if (res.config_changed || res.attributes_changed || res.hooks_written)
		out_committed_store(cli, rc, &err, "git's merge driver was set up");
	if (cli->json) {
		json_t *o = json_object();
		if (o && (json_object_set_new(o, "driver", out_json_string("jerry merge-file %O %A %B %P")) ||
			  json_object_set_new(o, "config_changed", json_boolean(res.config_changed)) ||
			  json_object_set_new(o, "attributes", out_json_string(res.attributes)) ||
			  json_object_set_new(o, "attributes_changed", json_boolean(res.attributes_changed)) ||
			  json_object_set_new(o, "hooks", hooks_json(&res)))) {
			json_decref(o);
			o = NULL;
		}
		return out_json(cli, o);
	}
	printf("merge driver: %s\n", res.config_changed ? "installed in the repository's config"
							: "already in the repository's config");
	printf("attributes:   %s %s\n", res.attributes,
	       res.attributes_changed ? "(written; commit it with the store)" : "(already there)");
	for (unsigned i = 0; jerry_git_hook(i); i++) {
		const char *how = res.hooks_written & (1u << i) ? "written: it runs 'jerry reindex'"
				  : res.hooks_foreign & (1u << i)
					  ? "yours, left alone: add 'jerry reindex' to it"
					  : "already there";
		printf("hook:         %s/%s (%s)\n", res.hooks, jerry_git_hook(i), how);
	}
	return 0;
}

static json_t *decided_json(unsigned decided)
{
	json_t *arr = json_array();
	for (unsigned i = 0; arr && jerry_merge_field(i); i++)
		if (decided & (1u << i))
			out_json_push(&arr, out_json_string(jerry_merge_field(i)));
	return arr;
}

static json_t *sync_json(const jerry_sync_result *r)
{
	json_t *o = json_object(), *merged = json_array(), *ren = json_array(), *probs = json_array();
	char from[24], to[24], uid[24];
	for (size_t i = 0; merged && i < r->nmerged; i++) {
		json_t *m = json_object();
		if (m && (json_object_set_new(m, "id", out_json_string(r->merged[i].id)) ||
			  json_object_set_new(m, "version", json_integer((json_int_t)r->merged[i].version)) ||
			  json_object_set_new(m, "decided", decided_json(r->merged[i].decided)))) {
			json_decref(m);
			m = NULL;
		}
		out_json_push(&merged, m);
	}
	for (size_t i = 0; ren && i < r->nrenumbered; i++) {
		json_t *m = json_object();
		jerry_id_format(from, sizeof(from), r->renumbered[i].from);
		jerry_id_format(to, sizeof(to), r->renumbered[i].to);
		snprintf(uid, sizeof(uid), "%llu", (unsigned long long)r->renumbered[i].uid);
		if (m && (json_object_set_new(m, "from", out_json_string(from)) ||
			  json_object_set_new(m, "to", out_json_string(to)) ||
			  json_object_set_new(m, "uid", out_json_string(uid)))) {
			json_decref(m);
			m = NULL;
		}
		out_json_push(&ren, m);
	}
	for (size_t i = 0; probs && i < r->nproblems; i++) {
		json_t *m = json_object();
		if (m && (json_object_set_new(m, "kind", out_json_string(r->problems[i].kind)) ||
			  json_object_set_new(m, "id", out_json_string(r->problems[i].path)) ||
			  json_object_set_new(m, "message", out_json_string(r->problems[i].message)))) {
			json_decref(m);
			m = NULL;
		}
		out_json_push(&probs, m);
	}
	if (!o || !merged || !ren || !probs ||
	    json_object_set_new(o, "remote", out_json_string(r->remote)) ||
	    json_object_set_new(o, "commit", r->commit[0] ? out_json_string(r->commit) : json_null()) ||
	    json_object_set_new(o, "rounds", json_integer(r->rounds)) ||
	    json_object_set_new(o, "incoming", json_integer((json_int_t)r->incoming)) ||
	    json_object_set_new(o, "outgoing", json_boolean(r->outgoing)) ||
	    json_object_set_new(o, "pushed", json_boolean(r->pushed)) ||
	    json_object_set_new(o, "merged", merged) || json_object_set_new(o, "renumbered", ren) ||
	    json_object_set_new(o, "problems", probs)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * What a sync did, as text or --json; its exit status.  kept: it merged
 * here, then failed to push (the error follows on stderr).
 */
static int sync_report(struct cli *cli, const jerry_sync_result *r, int kept)
{
	char fields[256], from[24], to[24];
	if (cli->json)
		return out_json(cli, sync_json(r));
	if (kept)
		printf("merged with %s: %zu file%s in, changes kept here, not pushed\n", r->remote,
		       r->incoming, r->incoming == 1 ? "" : "s");
	else
		printf("synced with %s: %zu file%s in, %s\n", r->remote, r->incoming,
		       r->incoming == 1 ? "" : "s",
		       r->pushed ? "changes pushed" : r->outgoing ? "changes kept here" : "nothing to push");
	for (size_t i = 0; i < r->nmerged; i++) {
		decided_text(fields, sizeof(fields), r->merged[i].decided);
		if (r->merged[i].decided)
			printf("merged %s (version %lld): both sides changed %s, decided by the merge rules\n",
			       r->merged[i].id, (long long)r->merged[i].version, fields);
		else
			printf("merged %s (version %lld)\n", r->merged[i].id, (long long)r->merged[i].version);
	}
	for (size_t i = 0; i < r->nrenumbered; i++) {
		jerry_id_format(from, sizeof(from), r->renumbered[i].from);
		jerry_id_format(to, sizeof(to), r->renumbered[i].to);
		printf("renumbered %s \xe2\x86\x92 %s: %s had another %s\n", from, to, r->remote, from);
	}
	for (size_t i = 0; i < r->nproblems; i++)
		printf("problem: %s\n", r->problems[i].message);
	if (r->nproblems)
		printf("the merge made %zu problem%s no command would: fix %s by hand "
		       "('jerry dep remove', 'jerry update --parent'); 'jerry check' lists %s\n",
		       r->nproblems, r->nproblems == 1 ? "" : "s", r->nproblems == 1 ? "it" : "them",
		       r->nproblems == 1 ? "it" : "them");
	return 0;
}

int cmd_sync(struct cli *cli, const struct cli_args *args)
{
	jerry_sync_result *r = NULL;
	jerry_error err;
	int status;
	jerry_sync_options o = {args->npos ? args->pos[0] : NULL, -1};
	jerry_error_clear(&err);
	for (size_t i = 0; i < args->nopts; i++) {
		const char *t = args->opts[i].arg;
		if (args->opts[i].id != OPT_TIMEOUT)
			continue;
		if (!strcmp(t, "0"))
			o.timeout_ms = 0;
		else if (jerry_duration_parse(&o.timeout_ms, t) != 0)
			return out_fail(cli, JERRY_EINVALID, "write a time like 90s, 5m or 1h, or 0 for none",
					"'%.64s' is not a time limit", t);
	}
	int rc = jerry_sync_with(&r, cli->store, &o, &err);
	if (rc && !r)
		return out_error(cli, rc, &err);
	if (rc) {
		/* Merged here, not pushed: what the merge did, then why the push failed. */
		status = sync_report(cli, r, 1);
		jerry_sync_result_free(r);
		return status ? status : out_error(cli, rc, &err);
	}
	if (r->incoming || r->nrenumbered || r->pushed)
		out_committed_store(cli, 0, &err, "the store was synced with %s", r->remote);
	status = sync_report(cli, r, 0);
	jerry_sync_result_free(r);
	return status;
}

