/*
 * cmd_update.c - every command that changes one existing item: update,
 * start, block, done, cancel, reopen and note.  They differ only in how the
 * jerry_change is filled; one code path sends it through jerry_update(),
 * which applies it under the item's lock (the state machine, --if-version
 * and claims are the library's business), and one prints the result.
 */
#include "cli.h"
#include "output.h"

#include <stdlib.h>
#include <string.h>

/* What one command line asks for, and the memory behind it. */
struct change {
	jerry_change c;
	const char **add, **remove;
	char *input;                   /* text read from stdin for "-" */
	int fields;                    /* how many fields it changes   */
};

static void change_release(struct change *ch)
{
	free(ch->add);
	free(ch->remove);
	free(ch->input);
}

/* Fill ch from the options; returns 0 or an exit status (already reported). */
static int gather(struct change *ch, const struct cli *cli, const struct cli_args *args)
{
	jerry_change *c = &ch->c;
	jerry_error err;
	int rc;

	memset(ch, 0, sizeof(*ch));
	ch->add = calloc(args->nopts + 1, sizeof(*ch->add));
	ch->remove = calloc(args->nopts + 1, sizeof(*ch->remove));
	if (!ch->add || !ch->remove)
		return out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	c->add_labels = ch->add;
	c->remove_labels = ch->remove;
	for (size_t i = 0; i < args->nopts; i++) {
		const char *v = args->opts[i].arg;
		uint64_t version;
		switch (args->opts[i].id) {
		case OPT_TITLE: c->title = v; break;
		case OPT_DESCRIPTION: c->description = v; break;
		case OPT_TYPE: c->type = v; break;
		case OPT_PRIORITY: c->priority = v; break;
		case OPT_STATUS: c->status = v; break;
		case OPT_ASSIGNEE: c->assignee = v; break;
		case OPT_PARENT: c->parent = v; break;
		case OPT_ADD_LABEL: ch->add[c->nadd_labels++] = v; break;
		case OPT_REMOVE_LABEL: ch->remove[c->nremove_labels++] = v; break;
		case OPT_REASON: c->block_reason = v; break;
		case OPT_FORCE: c->force = 1; break;
		case OPT_IF_VERSION:
			if (cli_parse_uint(&version, v, INT64_MAX))
				return out_usage(cli, "--if-version '%.64s' is not a whole number", v);
			c->has_if_version = 1;
			c->if_version = (int64_t)version;
			break;
		default: break;
		}
	}
	ch->fields = !!c->title + !!c->description + !!c->type + !!c->priority + !!c->status +
		     !!c->assignee + !!c->parent + (c->nadd_labels > 0) + (c->nremove_labels > 0);
	jerry_error_clear(&err);
	if ((rc = cli_text_arg(&ch->input, &c->description, &err)))
		return out_error(cli, rc, &err);
	return 0;
}

/* The one way a change reaches the store. */
static int apply(struct cli *cli, jerry_store *store, const char *id, const jerry_change *c)
{
	jerry_item *item = NULL;
	jerry_error err;

	jerry_error_clear(&err);
	int rc = jerry_update(&item, store, id, c, &err);
	int status = out_changed(cli, rc, &err, item);
	jerry_item_free(item);
	return status;
}

/* Open the store and apply; for the commands with nothing to check first. */
static int open_apply(struct cli *cli, const char *id, const jerry_change *c)
{
	jerry_store *store = NULL;
	int status = cli_open(&store, cli);
	if (!status)
		status = apply(cli, store, id, c);
	jerry_store_free(store);
	return status;
}

int cmd_update(struct cli *cli, const struct cli_args *args)
{
	struct change ch;
	int status = gather(&ch, cli, args);
	if (!status && ch.fields == 0)
		status = out_usage(cli, "nothing to update: give at least one field to change");
	if (!status)
		status = open_apply(cli, args->pos[0], &ch.c);
	change_release(&ch);
	return status;
}

/*
 * `reopen` is `start` for a done item only: the state machine alone would
 * also let it unblock a blocked one.  The check reads the item first; if it
 * changes in between, the state machine still refuses what is illegal.
 */
static int reopen_guard(struct cli *cli, jerry_store *store, const char *id)
{
	jerry_item *item = NULL;
	jerry_error err;
	int status = 0;

	jerry_error_clear(&err);
	int rc = jerry_show(&item, store, id, &err);
	if (rc) {
		status = out_error(cli, rc, &err);
	} else if (item->status != JERRY_STATUS_DONE) {
		jerry_status from = item->status;
		size_t off = 0;
		jerry_error_clear(&err);
		err.code = JERRY_EREFUSED;
		snprintf(err.item, sizeof(err.item), "%s", item->id);
		snprintf(err.message, sizeof(err.message), "cannot reopen '%s': it is %s, not done",
			 item->id, jerry_status_name(from));
		for (int s = 0; s < JERRY_STATUS__COUNT; s++) {
			if (!jerry_status_can_move(from, (jerry_status)s))
				continue;
			int n = snprintf(err.allowed + off, sizeof(err.allowed) - off, "%s%s",
					 off ? ", " : "", jerry_status_name((jerry_status)s));
			if (n < 0 || (size_t)n >= sizeof(err.allowed) - off)
				break;
			off += (size_t)n;
		}
		if (from == JERRY_STATUS_CANCELLED)
			snprintf(err.hint, sizeof(err.hint),
				 "cancelled is final; create a new item instead");
		else
			snprintf(err.hint, sizeof(err.hint), "only a done item can be reopened; "
				 "from %s an item can move to: %s", jerry_status_name(from), err.allowed);
		status = out_error(cli, JERRY_EREFUSED, &err);
	}
	jerry_item_free(item);
	return status;
}

int cmd_transition(struct cli *cli, const struct cli_args *args)
{
	struct change ch;
	jerry_store *store = NULL;
	int status = gather(&ch, cli, args);
	if (!status) {
		ch.c.status = cli->cmd->status;
		status = cli_open(&store, cli);
	}
	if (!status && strcmp(cli->cmd->name, "reopen") == 0)
		status = reopen_guard(cli, store, args->pos[0]);
	if (!status)
		status = apply(cli, store, args->pos[0], &ch.c);
	jerry_store_free(store);
	change_release(&ch);
	return status;
}

int cmd_note(struct cli *cli, const struct cli_args *args)
{
	struct change ch;
	int status = gather(&ch, cli, args);
	if (!status) {
		jerry_error err;
		jerry_error_clear(&err);
		ch.c.note = args->pos[1];
		int rc = cli_text_arg(&ch.input, &ch.c.note, &err);
		if (rc)
			status = out_error(cli, rc, &err);
	}
	if (!status)
		status = open_apply(cli, args->pos[0], &ch.c);
	change_release(&ch);
	return status;
}
