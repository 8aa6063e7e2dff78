/*
 * cmd_update.c - every command that changes existing items: update,
 * start, block, done, cancel, reopen (these five take several IDs, each
 * on its own) and note.  They differ only in how the jerry_change is
 * filled; one code path sends it through jerry_update(), which applies it
 * under the item's lock (the state machine, --if-version and claims are
 * the library's business), and one prints the result.
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
		case OPT_CASCADE: c->cascade = 1; break;
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

/*
 * A closed item (done, cancelled): what a cascade cancelled with it, and
 * the parent it leaves with no open child - said, never closed here.
 */
static int out_closed(struct cli *cli, int rc, const jerry_error *err, const jerry_item *item,
		      const int64_t *below, size_t nbelow, int cascade, const jerry_item *parent)
{
	out_committed(cli, rc, err, item);
	if (cli->json) {
		static const char *const keys[] = {"cancelled_below", "parent_ready_to_close"};
		json_t *arr = json_array(), *up = parent ? json_string(parent->id) : json_null();
		for (size_t i = 0; arr && i < nbelow; i++) {
			char id[32];
			jerry_id_format(id, sizeof(id), below[i]);
			out_json_push(&arr, json_string(id));
		}
		/* Without a cascade, only parent_ready_to_close: the keys from the second. */
		size_t first = cascade ? 0 : 1;
		char *vals[2] = {arr ? json_dumps(arr, JSON_COMPACT) : NULL,
				 up ? json_dumps(up, JSON_COMPACT | JSON_ENCODE_ANY) : NULL};
		char *text = vals[first] && vals[1] ?
			jerry_item_json_with(item, 0, keys + first, (const char *const *)vals + first,
					     2 - first) : NULL;
		json_decref(arr);
		json_decref(up);
		free(vals[0]);
		free(vals[1]);
		return out_json_text(cli, text);
	}
	printf("%s %s (version %lld)\n", item->id, jerry_status_name(item->status),
	       (long long)item->version);
	for (size_t i = 0; i < nbelow; i++) {
		char id[32];
		jerry_id_format(id, sizeof(id), below[i]);
		printf("%s cancelled with it\n", id);
	}
	/* Only an item in progress can be done: say how to get there. */
	if (parent && parent->status == JERRY_STATUS_IN_PROGRESS)
		printf("%s has no open children left: close it with 'jerry done %s'\n", parent->id,
		       parent->id);
	else if (parent)
		printf("%s has no open children left: close it with 'jerry start %s' and "
		       "'jerry done %s'\n", parent->id, parent->id, parent->id);
	return 0;
}

/* The one way a change reaches the store. */
static int apply(struct cli *cli, jerry_store *store, const char *id, const jerry_change *c)
{
	jerry_item *item = NULL;
	jerry_error err;
	int64_t *below = NULL;
	jerry_item *parent = NULL;
	size_t nbelow = 0;
	int status;

	jerry_error_clear(&err);
	int rc = jerry_update_cascade(&item, &below, &nbelow, store, id, c, &err);
	int closed = item && (rc == 0 || rc == JERRY_EDURABLE) && c->status &&
		     (item->status == JERRY_STATUS_DONE || item->status == JERRY_STATUS_CANCELLED);
	if (closed) {
		/*
		 * Only advice, read after the commit: if the index cannot be
		 * read now, the item is closed all the same and the next
		 * `jerry summary` lists the parent.
		 */
		jerry_error ignored;
		if (jerry_parent_closable(&parent, store, item, &ignored))
			parent = NULL;
		status = out_closed(cli, rc, &err, item, below, nbelow, c->cascade, parent);
	} else {
		status = out_changed(cli, rc, &err, item);
	}
	free(below);
	jerry_item_free(parent);
	jerry_item_free(item);
	return status;
}

int cmd_update(struct cli *cli, const struct cli_args *args)
{
	struct change ch;
	int status = gather(&ch, cli, args);
	if (!status && ch.fields == 0)
		status = out_usage(cli, "nothing to update: give at least one field to change");
	if (!status)
		status = apply(cli, cli->store, args->pos[0], &ch.c);
	change_release(&ch);
	return status;
}

static int apply_one(struct cli *cli, jerry_store *store, const char *id, const void *c)
{
	return apply(cli, store, id, c);
}

/* start, block, done, cancel, reopen: each of the IDs given, on its own. */
int cmd_transition(struct cli *cli, const struct cli_args *args)
{
	struct change ch;
	int status = gather(&ch, cli, args);
	if (!status && ch.c.has_if_version && args->npos > 1)
		status = out_usage(cli, "--if-version goes with one ID: each item has its own version");
	if (!status) {
		ch.c.status = cli->cmd->status;
		/* reopen is start for a done item only, decided under the item's lock */
		ch.c.from_status = cli->cmd->from_status;
		status = out_each(cli, cli->store, args->pos, args->npos, apply_one, &ch.c);
	}
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
		status = apply(cli, cli->store, args->pos[0], &ch.c);
	change_release(&ch);
	return status;
}
