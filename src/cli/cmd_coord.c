/*
 * cmd_coord.c - coordination between agents: claim (and claim --next),
 * heartbeat, release, dep add|rm|tree, ready, blocked, search.  The rules
 * live in the library (src/app/coord.c); this file turns flags into calls
 * and results into text or JSON.
 */
#include "cli.h"
#include "output.h"
#include "table.h"
#include "../util/strbuf.h"

#include <stdlib.h>
#include <string.h>

static int lease_of(const struct cli *cli, const struct cli_args *args, int64_t *lease)
{
	*lease = 0;
	for (size_t i = 0; i < args->nopts; i++) {
		if (args->opts[i].id != OPT_LEASE)
			continue;
		if (jerry_duration_parse(lease, args->opts[i].arg) != 0)
			return out_fail(cli, JERRY_EINVALID, "write a lease like 90s, 30m, 2h or 1d",
					"'%.64s' is not a lease length", args->opts[i].arg);
	}
	return 0;
}

static int has_opt(const struct cli_args *args, int id)
{
	for (size_t i = 0; i < args->nopts; i++)
		if (args->opts[i].id == id)
			return 1;
	return 0;
}

/* `WORK-007 claimed by NAME until TIME (in_progress, version 3)` */
static int out_claimed(const struct cli *cli, int rc, const jerry_error *err,
		       const jerry_item *item, const char *verb)
{
	if ((rc && rc != JERRY_EDURABLE) || !item)
		return out_error(cli, rc, err);
	if (cli->json || !item->claim.by)
		return out_changed(cli, rc, err, item);
	out_committed(cli, rc, err, item);
	char until[40];
	jerry_time_format(until, sizeof(until), item->claim.expires_ms);
	printf("%s %s by %s until %s (%s, version %lld)\n", item->id, verb, item->claim.by, until,
	       jerry_status_name(item->status), (long long)item->version);
	/* A claim's second line: what a caller that cannot keep a name passes as --claim. */
	if (!(cli->cmd->flags & CLI_RENEW) && item->claim.token)
		printf("token: %s\n", item->claim.token);
	return 0;
}

/* What `claim ID` and `heartbeat ID...` do to each item. */
struct claim_how {
	int64_t lease;
	int heartbeat, force;
};

static int claim_one(struct cli *cli, jerry_store *store, const char *id, const void *arg)
{
	const struct claim_how *how = arg;
	jerry_item *item = NULL;
	jerry_error err;
	int rc;
	jerry_error_clear(&err);
	if (how->heartbeat)
		rc = jerry_claim_heartbeat(&item, store, id, how->lease, &err);
	else
		rc = jerry_claim_take(&item, store, id, how->lease, how->force ? JERRY_CLAIM_FORCE : 0,
				      &err);
	int status = out_claimed(cli, rc, &err, item, "claimed");
	jerry_item_free(item);
	return status;
}

/*
 * `claim ID`, `claim --next` and `heartbeat ID...` (which shares the
 * table's handler).  A claim takes one item - an agent commits to one
 * piece of work at a time (ADR 0016); a heartbeat renews each item given.
 */
int cmd_claim(struct cli *cli, const struct cli_args *args)
{
	jerry_store *store = cli->store;
	jerry_item *item = NULL;
	jerry_error err;
	struct claim_how how = {0, 0, 0};
	int next = has_opt(args, OPT_NEXT), rc, status;

	jerry_error_clear(&err);
	if ((status = lease_of(cli, args, &how.lease)))
		return status;
	how.heartbeat = (cli->cmd->flags & CLI_RENEW) != 0;
	if (next && args->npos > 0)
		return out_usage(cli, "give either an ID or --next, not both");
	if (!next && args->npos == 0)
		return out_usage(cli, "which item? give an ID, or --next for the best ready one");
	if (!next && (has_opt(args, OPT_TYPE) || has_opt(args, OPT_LABEL)))
		return out_usage(cli, "--type and --label go with --next");
	if (!next && has_opt(args, OPT_ANY_LABEL))
		return out_usage(cli, "--any-label goes with --next and --label");
	if (!next && has_opt(args, OPT_CONTAINERS))
		return out_usage(cli, "--containers goes with --next");
	if (!next && (has_opt(args, OPT_SKIP) || has_opt(args, OPT_ANY)))
		return out_usage(cli, "--skip and --any go with --next");
	/* --next takes only ready items, whose dependencies are all done. */
	how.force = has_opt(args, OPT_FORCE);
	if (next && how.force)
		return out_usage(cli, "--force goes with an ID, not --next");
	if (next) {
		struct cli_filter cf;
		if ((status = cli_filter_fill(&cf, cli, args))) {
			cli_filter_release(&cf);
			return status;
		}
		rc = jerry_claim_next(&item, store, &cf.f, how.lease, &err);
		cli_filter_release(&cf);
		status = out_claimed(cli, rc, &err, item, "claimed");
		jerry_item_free(item);
	} else {
		status = out_each(cli, store, args->pos, args->npos, claim_one, &how);
	}
	return status;
}

static int release_one(struct cli *cli, jerry_store *store, const char *id, const void *arg)
{
	const int *flags = arg;
	jerry_item *item = NULL;
	jerry_error err;
	int status;

	jerry_error_clear(&err);
	int rc = jerry_claim_release(&item, store, id, *flags, 0, &err);
	if ((!rc || rc == JERRY_EDURABLE) && item && !cli->json) {
		status = out_committed(cli, rc, &err, item);
		printf("%s released (%s, version %lld)\n", item->id, jerry_status_name(item->status),
		       (long long)item->version);
	} else {
		status = out_changed(cli, rc, &err, item);
	}
	jerry_item_free(item);
	return status;
}

/* Give items back, claimed or not: each of the IDs given, on its own. */
int cmd_release(struct cli *cli, const struct cli_args *args)
{
	jerry_store *store = cli->store;
	int flags = has_opt(args, OPT_FORCE) ? JERRY_CLAIM_FORCE : 0;
	return out_each(cli, store, args->pos, args->npos, release_one, &flags);
}

/* ---- dependencies ---------------------------------------------------------- */

static int dep_tree(struct cli *cli, jerry_store *store, const char *id)
{
	jerry_dep_node *nodes = NULL;
	size_t n = 0;
	jerry_error err;
	jerry_error_clear(&err);
	int rc = jerry_dep_tree(&nodes, &n, store, id, &err);
	if (rc)
		return out_error(cli, rc, &err);
	int status = 0;
	if (cli->json) {
		status = out_json_text(cli, jerry_dep_tree_json(nodes, n, 0));
	} else {
		for (size_t i = 0; i < n; i++) {
			const jerry_item *it = nodes[i].item;
			printf("%*s%s  %s  %s\n", nodes[i].depth * 2, "", it->id,
			       jerry_status_name(it->status), it->title ? it->title : "");
		}
	}
	jerry_dep_nodes_free(nodes, n);
	return status;
}

int cmd_dep(struct cli *cli, const struct cli_args *args)
{
	const char *sub = args->pos[0];
	const char **on = NULL;
	size_t non = 0;
	int add = strcmp(sub, "add") == 0, rm = strcmp(sub, "rm") == 0 || strcmp(sub, "remove") == 0;
	int tree = strcmp(sub, "tree") == 0;
	jerry_store *store = cli->store;
	jerry_item *item = NULL;
	jerry_error err;
	int status, rc;

	if (!add && !rm && !tree)
		return out_usage(cli, "unknown dep action '%.32s': use add, rm or tree", sub);
	if (args->npos < 2)
		return out_usage(cli, "which item? 'jerry dep %s ID%s'", sub, tree ? "" : " --on OTHER");
	if (tree && has_opt(args, OPT_ON))
		return out_usage(cli, "'dep tree' takes no --on");
	if (!tree && !has_opt(args, OPT_ON))
		return out_usage(cli, "'dep %s' needs --on OTHER", sub);
	if (!(on = calloc(args->nopts + 1, sizeof(*on))))
		return out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < args->nopts; i++)
		if (args->opts[i].id == OPT_ON)
			on[non++] = args->opts[i].arg;
	if (tree) {
		status = dep_tree(cli, store, args->pos[1]);
	} else {
		/* Several --on: one change, all of them or none. */
		jerry_error_clear(&err);
		rc = add ? jerry_dep_add_many(&item, store, args->pos[1], on, non, &err)
			 : jerry_dep_remove_many(&item, store, args->pos[1], on, non, &err);
		if ((!rc || rc == JERRY_EDURABLE) && item && !cli->json) {
			status = out_committed(cli, rc, &err, item);
			printf("%s depends on ", item->id);
			if (item->ndepends == 0)
				printf("nothing");
			for (size_t i = 0; i < item->ndepends; i++) {
				char dep[32];
				jerry_id_format(dep, sizeof(dep), item->depends_on[i]);
				printf("%s%s", i ? ", " : "", dep);
			}
			printf(" (version %lld)\n", (long long)item->version);
		} else {
			status = out_changed(cli, rc, &err, item);
		}
		jerry_item_free(item);
	}
	free(on);
	return status;
}

/* ---- ready, blocked, search ------------------------------------------------ */

int cmd_ready(struct cli *cli, const struct cli_args *args)
{
	struct cli_filter cf;
	jerry_store *store = cli->store;
	jerry_item **items = NULL;
	size_t n = 0;
	jerry_error err;
	int status;

	jerry_error_clear(&err);
	if ((status = cli_filter_fill(&cf, cli, args))) {
		cli_filter_release(&cf);
		return status;
	}
	int rc = jerry_ready(&items, &n, store, &cf.f, &err);
	/* Ready items carry no live claim: a claim still recorded is a stale one. */
	status = rc ? out_error(cli, rc, &err) : out_ready_table(cli, items, n);
	jerry_item_array_free(items, n);
	cli_filter_release(&cf);
	return status;
}

/* `blocked --json`: each item with "waiting_on": [{id, status}], the item texts spliced in. */
static int blocked_json(struct cli *cli, const jerry_waiting *items, size_t n)
{
	json_t *arr = json_array();
	char **texts = calloc(n ? n : 1, sizeof(*texts));
	if (!texts) {
		json_decref(arr);
		return out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		texts[i] = jerry_waiting_json(&items[i], 0);
		out_json_push(&arr, out_json_slot(i));
	}
	/* a NULL text or arr is out of memory */
	int status = out_json_spliced(cli, arr, texts, n);
	free(texts);
	return status;
}

/*
 * One waiting item's lines under its row: what it waits on, and for one
 * marked blocked, why (the note its block left), read from the whole item.
 */
static int waiting_lines(struct cli *cli, struct tbl *t, struct tbl_row *r, const jerry_waiting *w)
{
	struct jr_sb line = JR_SB_INIT;
	int bad = 0;
	for (size_t d = 0; !bad && d < w->nblockers; d++) {
		const jerry_item *dep = w->blockers[d].item;
		char did[32];
		jerry_id_format(did, sizeof(did), w->blockers[d].num);
		jr_sb_release(&line);
		bad = jr_sb_addf(&line, "    waits on %s (%s) %s", did,
				 dep ? jerry_status_name(dep->status) : "missing",
				 dep && dep->title ? dep->title : "") ||
		      tbl_line(t, r, line.buf);
	}
	if (!bad && w->item->status == JERRY_STATUS_BLOCKED) {
		jerry_item *whole = NULL;
		jerry_error err;
		jerry_error_clear(&err);
		int rc = jerry_show(&whole, cli->store, w->item->id, &err);
		if (rc) {
			jr_sb_release(&line);
			return out_error(cli, rc, &err);
		}
		const char *why = jerry_item_reason(whole, JERRY_STATUS_BLOCKED);
		jr_sb_release(&line);
		bad = jr_sb_addf(&line, "    marked blocked%s%s", why ? ": " : "", why ? why : "") ||
		      tbl_line(t, r, line.buf);
		jerry_item_free(whole);
	}
	jr_sb_release(&line);
	return bad ? out_fail(cli, JERRY_ENOMEM, NULL, "out of memory") : 0;
}

/* What a blocked item waits on: its unfinished dependencies, with their status. */
int cmd_blocked(struct cli *cli, const struct cli_args *args)
{
	jerry_waiting *items = NULL;
	size_t n = 0;
	jerry_error err;
	struct tbl t;
	int status = 0, rc;

	(void)args;
	jerry_error_clear(&err);
	memset(&t, 0, sizeof(t));
	if ((rc = jerry_waiting_on(&items, &n, cli->store, &err))) {
		status = out_error(cli, rc, &err);
		goto out;
	}
	if (cli->json) {
		status = blocked_json(cli, items, n);
		goto out;
	}
	if (n == 0) {
		out_none(cli, "nothing waits");
		goto out;
	}
	/* ID, STATUS, TITLE without a header; under each row what it waits on. */
	if (tbl_init(&t, 3, n)) {
		status = out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
		goto out;
	}
	t.color_col = 1;
	for (size_t i = 0; !status && i < n; i++) {
		const jerry_item *it = items[i].item;
		struct tbl_row *r = tbl_row(&t);
		if (!r || tbl_cell(&t, r, 0, it->id) || tbl_cell(&t, r, 1, jerry_status_name(it->status)) ||
		    tbl_cell(&t, r, 2, it->title)) {
			status = out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
			break;
		}
		if (cli->color)
			r->color = out_status_color(it->status);
		status = waiting_lines(cli, &t, r, &items[i]);
	}
	if (!status && tbl_print(&t, stdout, tbl_columns()))
		status = out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
out:
	tbl_release(&t);
	jerry_waiting_free(items, n);
	return status;
}

int cmd_search(struct cli *cli, const struct cli_args *args)
{
	jerry_store *store = cli->store;
	jerry_item **items = NULL;
	size_t n = 0;
	jerry_error err;
	int status;

	jerry_error_clear(&err);
	int rc = jerry_search(&items, &n, store, args->pos[0], has_opt(args, OPT_ALL), &err);
	status = rc ? out_error(cli, rc, &err) : out_table(cli, items, n);
	jerry_item_array_free(items, n);
	return status;
}
