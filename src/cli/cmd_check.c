/*
 * cmd_check.c - `jerry check [--repair]` and `jerry reindex`: the whole
 * store at once.  check exits 7 while any problem is left unrepaired, so
 * `jerry check && deploy` does what it says.  Notices (a dead writer's
 * temp file) are printed but never change the exit status.
 */
#include "cli.h"
#include "output.h"

static json_t *problem_json(const jerry_problem *p)
{
	json_t *o = json_object();
	if (o && (json_object_set_new(o, "kind", out_json_string(p->kind)) ||
		  json_object_set_new(o, "path", out_json_string(p->path)) ||
		  json_object_set_new(o, "message", out_json_string(p->message)) ||
		  json_object_set_new(o, "repaired", json_boolean(p->repaired)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* A JSON array of problems or notices; NULL when out of memory. */
static json_t *problems_json(const jerry_problem *ps, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++) {
		json_t *p = problem_json(&ps[i]);
		if (!p || json_array_append_new(arr, p)) {
			json_decref(arr);
			arr = NULL;
		}
	}
	return arr;
}

static int print_report(const struct cli *cli, const jerry_report *r, size_t open)
{
	if (cli->json) {
		json_t *root = json_object();
		if (root && (json_object_set_new(root, "ok", json_boolean(open == 0)) ||
			     json_object_set_new(root, "items", json_integer((json_int_t)r->items)) ||
			     json_object_set_new(root, "problems",
						 problems_json(r->problems, r->nproblems)) ||
			     json_object_set_new(root, "notices",
						 problems_json(r->notices, r->nnotices)))) {
			json_decref(root);
			root = NULL;
		}
		return out_json(cli, root);
	}
	size_t repaired = 0, removed = 0;
	for (size_t i = 0; i < r->nproblems; i++) {
		const jerry_problem *p = &r->problems[i];
		printf("%s  %s  %s%s\n", p->kind, p->path, p->message, p->repaired ? " [repaired]" : "");
		repaired += p->repaired != 0;
	}
	for (size_t i = 0; i < r->nnotices; i++) {
		const jerry_problem *p = &r->notices[i];
		printf("%s  %s  %s%s\n", p->kind, p->path, p->message,
		       p->repaired ? " [removed]" : " [not a problem]");
		removed += p->repaired != 0;
	}
	printf("%zu items checked, %zu problem%s", r->items, r->nproblems,
	       r->nproblems == 1 ? "" : "s");
	if (repaired)
		printf(", %zu repaired", repaired);
	if (r->nnotices)
		printf(", %zu notice%s", r->nnotices, r->nnotices == 1 ? "" : "s");
	if (removed)
		printf(" (%zu removed)", removed);
	putchar('\n');
	return 0;
}

int cmd_check(struct cli *cli, const struct cli_args *args)
{
	jerry_store *store = cli->store;
	jerry_report *report = NULL;
	jerry_error err;
	int repair = 0, status;

	jerry_error_clear(&err);
	for (size_t i = 0; i < args->nopts; i++)
		if (args->opts[i].id == OPT_REPAIR)
			repair = 1;
	int rc = jerry_check(&report, store, repair, &err);
	if ((rc && rc != JERRY_EDURABLE) || !report) {
		status = out_error(cli, rc, &err);
		goto out;
	}
	size_t open = 0;
	for (size_t i = 0; i < report->nproblems; i++)
		open += !report->problems[i].repaired;
	size_t repaired = report->nproblems - open;
	/* A durability warning is reported by out_finish(), after the report. */
	if (repaired || rc == JERRY_EDURABLE)
		out_committed_store(cli, rc, &err, "%zu problem%s repaired", repaired,
				    repaired == 1 ? " was" : "s were");
	status = print_report(cli, report, open);
	if (!status && open)
		status = jerry_code_exit_status(JERRY_ECORRUPT);
out:
	jerry_report_free(report);
	return status;
}

int cmd_reindex(struct cli *cli, const struct cli_args *args)
{
	jerry_store *store = cli->store;
	jerry_error err;
	size_t count = 0;
	int status = 0;

	(void)args;
	jerry_error_clear(&err);
	int rc = jerry_reindex(&count, store, &err);
	if (rc && rc != JERRY_EDURABLE) {
		status = out_error(cli, rc, &err);
	} else {
		out_committed_store(cli, rc, &err, "the index was rebuilt (%zu items)", count);
		if (cli->json) {
			json_t *o = json_object();
			if (o && json_object_set_new(o, "items", json_integer((json_int_t)count))) {
				json_decref(o);
				o = NULL;
			}
			status = out_json(cli, o);
		} else {
			printf("reindexed %zu items\n", count);
		}
	}
	return status;
}
