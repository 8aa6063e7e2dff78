/*
 * commands.c - the command table: the one place that says which commands
 * exist, what they take and what they do.  `jerry help`, `jerry help CMD`,
 * `jerry CMD --help` and every usage error read it; the man page
 * (doc/jerry.1) and the completions (completions/) follow it by hand, so
 * change all three together.

 */
#include "cli.h"

#include <string.h>

const struct cli_opt cli_global_opts[] = {
	{ OPT_JSON, "json", 0, NULL, "machine output: one JSON document on stdout, errors as JSON" },
	{ OPT_DATA, "data", 0, "DIR", "the data directory itself (overrides JERRY_DATA)" },
	{ OPT_LOCK_TIMEOUT, "lock-timeout", 0, "MS", "how long to wait for a lock (default 10000)" },
	{ OPT_AS, "as", 0, "NAME", "act under this name (overrides JERRY_INSTANCE)" },
	{ OPT_EXACT_TIME, "exact-time", 0, NULL, "times in text as exact UTC stamps, not \"3m ago\"" },
	{ OPT_HELP, "help", 'h', NULL, "show help and exit", .answer = 1 },
	{ OPT_VERSION, "version", 0, NULL, "show the version and exit", .answer = 1 },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt no_opts[] = {
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt sync_opts[] = {
	{ OPT_TIMEOUT, "timeout", 0, "DURATION", "stop a git still running after this: 90s, 5m (default), 0 for none" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt create_opts[] = {
	{ OPT_TYPE, "type", 't', "TYPE", "epic, feature, story, task (default), subtask, bug, spike" },
	{ OPT_PRIORITY, "priority", 'p', "PRIORITY", "critical, high, medium (default), low" },
	{ OPT_LABEL, "label", 'l', "LABEL", "add a label", CLI_REPEAT },
	{ OPT_DESCRIPTION, "description", 'd', "TEXT", "the description; '-' reads standard input" },
	{ OPT_PARENT, "parent", 0, "ID", "the parent item" },
	{ OPT_ASSIGNEE, "assignee", 0, "NAME", "who does it" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt list_opts[] = {
	{ OPT_STATUS, "status", 's', "S,...", "any of these statuses (default: the open ones)", CLI_REPEAT },
	{ OPT_TYPE, "type", 't', "T,...", "any of these types", CLI_REPEAT },
	{ OPT_LABEL, "label", 'l', "L,...", "items with all of these labels", CLI_REPEAT },
	{ OPT_ANY_LABEL, "any-label", 0, NULL, "with --label: any of the labels is enough" },
	{ OPT_ASSIGNEE, "assignee", 0, "NAME", "items assigned to NAME (or to any NAME given)", CLI_REPEAT },
	{ OPT_PRIORITY, "priority", 'p', "P,...", "any of these priorities", CLI_REPEAT },
	{ OPT_PARENT, "parent", 0, "ID,...", "children of any of these items", CLI_REPEAT },
	{ OPT_ALL, "all", 'a', NULL, "include done and cancelled items" },
	{ OPT_SORT, "sort", 0, "KEY", "id (default), priority, updated, created, status, title" },
	{ OPT_LIMIT, "limit", 'n', "N", "show at most N items" },
	{ OPT_TREE, "tree", 0, NULL, "show the hierarchy: children under their parent" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt update_opts[] = {
	{ OPT_TITLE, "title", 0, "TITLE", "a new title" },
	{ OPT_DESCRIPTION, "description", 'd', "TEXT", "a new description; '-' reads stdin, '' clears" },
	{ OPT_TYPE, "type", 't', "TYPE", "a new type" },
	{ OPT_PRIORITY, "priority", 'p', "PRIORITY", "a new priority" },
	{ OPT_STATUS, "status", 's', "STATUS", "a new status (through the state machine)" },
	{ OPT_ASSIGNEE, "assignee", 0, "NAME", "a new assignee; '' clears" },
	{ OPT_ADD_LABEL, "add-label", 0, "LABEL", "add a label", CLI_REPEAT },
	{ OPT_REMOVE_LABEL, "remove-label", 0, "LABEL", "remove a label", CLI_REPEAT },
	{ OPT_PARENT, "parent", 0, "ID", "a new parent; '' clears" },
	{ OPT_IF_VERSION, "if-version", 0, "N", "change only if the item is still at version N" },
	{ OPT_FORCE, "force", 'f', NULL, "act despite another's live claim or open dependencies (recorded)" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt transition_opts[] = {
	{ OPT_IF_VERSION, "if-version", 0, "N", "change only if the item is still at version N" },
	{ OPT_FORCE, "force", 'f', NULL, "act despite another's live claim or open dependencies (recorded)" },
	{ OPT_CLAIM, "claim", 0, "TOKEN", "prove you hold its claim: the token 'jerry claim' gave" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt done_opts[] = {
	{ OPT_REASON, "reason", 'r', "TEXT", "why; recorded as a note \"done: TEXT\"" },
	{ OPT_IF_VERSION, "if-version", 0, "N", "change only if the item is still at version N" },
	{ OPT_FORCE, "force", 'f', NULL, "act despite another's live claim or open items below it (recorded)" },
	{ OPT_CLAIM, "claim", 0, "TOKEN", "prove you hold its claim: the token 'jerry claim' gave" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt cancel_opts[] = {
	{ OPT_REASON, "reason", 'r', "TEXT", "why; recorded as a note \"cancelled: TEXT\"" },
	{ OPT_CASCADE, "cascade", 0, NULL, "cancel the open items below it too, each recorded" },
	{ OPT_IF_VERSION, "if-version", 0, "N", "change only if the item is still at version N" },
	{ OPT_FORCE, "force", 'f', NULL, "act despite a live claim; cancel it alone although items below are open (recorded)" },
	{ OPT_CLAIM, "claim", 0, "TOKEN", "prove you hold its claim: the token 'jerry claim' gave" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt block_opts[] = {
	{ OPT_REASON, "reason", 'r', "TEXT", "why; recorded as a note" },
	{ OPT_IF_VERSION, "if-version", 0, "N", "change only if the item is still at version N" },
	{ OPT_FORCE, "force", 'f', NULL, "act although another holds a live claim" },
	{ OPT_CLAIM, "claim", 0, "TOKEN", "prove you hold its claim: the token 'jerry claim' gave" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt note_opts[] = {
	{ OPT_IF_VERSION, "if-version", 0, "N", "add only if the item is still at version N" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt check_opts[] = {
	{ OPT_REPAIR, "repair", 0, NULL, "fix what can be fixed without losing data" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt claim_opts[] = {
	{ OPT_NEXT, "next", 0, NULL, "claim the best ready item instead of a given one" },
	{ OPT_TYPE, "type", 't', "T,...", "with --next: any of these types", CLI_REPEAT },
	{ OPT_LABEL, "label", 'l', "L,...", "with --next: items with all of these labels", CLI_REPEAT },
	{ OPT_ANY_LABEL, "any-label", 0, NULL, "with --label: any of the labels is enough" },
	{ OPT_CONTAINERS, "containers", 0, NULL, "with --next: epics, features and items with open children too" },
	{ OPT_LEASE, "lease", 0, "DURATION", "how long the claim lasts: 90s, 30m (default), 2h" },
	{ OPT_FORCE, "force", 'f', NULL, "claim it although its dependencies are not done (recorded)" },
	{ OPT_SKIP, "skip", 0, "ID", "with --next: never this item (one you just released)", CLI_REPEAT },
	{ OPT_ANY, "any", 0, NULL, "with --next: also items assigned to someone else" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt lease_opts[] = {
	{ OPT_LEASE, "lease", 0, "DURATION", "the new lease, from now: 90s, 30m (default), 2h" },
	{ OPT_CLAIM, "claim", 0, "TOKEN", "prove you hold its claim: the token 'jerry claim' gave" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt release_opts[] = {
	{ OPT_FORCE, "force", 'f', NULL, "give it back although another holds a live claim (recorded)" },
	{ OPT_CLAIM, "claim", 0, "TOKEN", "prove you hold its claim: the token 'jerry claim' gave" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt dep_opts[] = {
	{ OPT_ON, "on", 0, "OTHER", "the item that must be done first (add, rm); several: all at once", CLI_REPEAT },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt ready_opts[] = {
	{ OPT_TYPE, "type", 't', "T,...", "any of these types", CLI_REPEAT },
	{ OPT_LABEL, "label", 'l', "L,...", "items with all of these labels", CLI_REPEAT },
	{ OPT_ANY_LABEL, "any-label", 0, NULL, "with --label: any of the labels is enough" },
	{ OPT_CONTAINERS, "containers", 0, NULL, "epics, features and items with open children too" },
	{ OPT_LIMIT, "limit", 'n', "N", "show at most N items" },
	{ OPT_ASSIGNEE, "assignee", 0, "NAME", "items assigned to NAME (or to any NAME given)", CLI_REPEAT },
	{ OPT_MINE, "mine", 0, NULL, "items assigned to you (or to any --assignee given)" },
	{ OPT_UNASSIGNED, "unassigned", 0, NULL, "items assigned to no one (or to any --assignee given)" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt search_opts[] = {
	{ OPT_ALL, "all", 'a', NULL, "include done and cancelled items" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt log_opts[] = {
	{ OPT_SINCE, "since", 0, "SPAN", "only changes in this span: 30m, 1h, 1d, 1w" },
	{ OPT_BY, "by", 0, "NAME", "only changes by NAME (or by any NAME given)", CLI_REPEAT },
	{ OPT_ITEM, "item", 0, "ID", "only changes to ID (or to any ID given)", CLI_REPEAT },
	{ OPT_LIMIT, "limit", 'n', "N", "show at most N changes (default 50)" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt summary_opts[] = {
	{ OPT_SINCE, "since", 0, "SPAN", "what changed in this span: 1h, 1d (default), 1w" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt serve_opts[] = {
	{ OPT_PORT, "port", 0, "N", "the port (default 8237; 0: any free one)" },
	{ OPT_LISTEN, "listen", 0, "ADDR", "listen on this address instead of 127.0.0.1 and [::1] (warns)" },
	{ OPT_OPEN, "open", 0, NULL, "open the board in a browser (xdg-open)" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt export_opts[] = {
	{ OPT_STATUS, "status", 's', "S,...", "any of these statuses (default: the open ones)", CLI_REPEAT },
	{ OPT_TYPE, "type", 't', "T,...", "any of these types", CLI_REPEAT },
	{ OPT_LABEL, "label", 'l', "L,...", "items with all of these labels", CLI_REPEAT },
	{ OPT_ANY_LABEL, "any-label", 0, NULL, "with --label: any of the labels is enough" },
	{ OPT_ASSIGNEE, "assignee", 0, "NAME", "items assigned to NAME (or to any NAME given)", CLI_REPEAT },
	{ OPT_PRIORITY, "priority", 'p', "P,...", "any of these priorities", CLI_REPEAT },
	{ OPT_PARENT, "parent", 0, "ID,...", "children of any of these items", CLI_REPEAT },
	{ OPT_ALL, "all", 'a', NULL, "every item, done and cancelled ones included" },
	{ OPT_HISTORY, "history", 0, NULL, "each item with its history (every recorded change)" },
	{ OPT_OUTPUT, "output", 'o', "FILE", "write FILE (replaced whole, atomically) instead of stdout" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct cli_opt import_opts[] = {
	{ OPT_FROM, "from", 0, "FORMAT", "jerry, beads, taskwarrior, github, backlog (default: told by the content)" },
	{ OPT_DRY_RUN, "dry-run", 'n', NULL, "say what would be created, updated and lost; write nothing" },
	{ 0, NULL, 0, NULL, NULL }
};

const struct cli_cmd cli_commands[] = {
	{ "init", "", "create a store here (or at --data / JERRY_DATA)",
	  no_opts, 0, 0, cmd_init },
	{ "create", "TITLE [-t TYPE] [-p PRIORITY] [-l LABEL]... [-d TEXT|-] [--parent ID] [--assignee NAME]",
	  "create an item and print its ID", create_opts, 1, 1, cmd_create, .flags = CLI_STORE,
	  .change_after = " was created", .extra_hint = " (quote a title with spaces)" },
	{ "show", "ID", "show one item", no_opts, 1, 1, cmd_show, .flags = CLI_STORE },
	{ "list", "[--status S,...]... [--type T,...]... [--label L,...]... [--any-label] [--assignee A]..."
		  " [--priority P,...]... [--parent ID,...]... [--all] [--sort KEY] [--limit N] [--tree]",
	  "list items (the open ones by default)", list_opts, 0, 0, cmd_list, .flags = CLI_STORE },
	{ "update", "ID [--title T] [--description T|-] [--type T] [--priority P] [--status S]"
		    " [--assignee A] [--add-label L]... [--remove-label L]... [--parent ID] [--if-version N]",
	  "change fields of an item", update_opts, 1, 1, cmd_update, .flags = CLI_STORE },
	{ "start", "ID... [--if-version N] [--force] [--claim TOKEN]", "move items to in_progress",
	  transition_opts, 1, CLI_IDS_MAX, cmd_transition, .flags = CLI_STORE, .status = "in_progress" },
	{ "block", "ID... [--reason TEXT] [--if-version N] [--force] [--claim TOKEN]", "move items to blocked",
	  block_opts, 1, CLI_IDS_MAX, cmd_transition, .flags = CLI_STORE, .status = "blocked" },
	{ "done", "ID... [--reason TEXT] [--if-version N] [--force] [--claim TOKEN]",
	  "move items to done (not while items below them are open)",
	  done_opts, 1, CLI_IDS_MAX, cmd_transition, .flags = CLI_STORE, .status = "done" },
	{ "cancel", "ID... [--reason TEXT] [--cascade] [--if-version N] [--force] [--claim TOKEN]",
	  "move items to cancelled (final)", cancel_opts, 1, CLI_IDS_MAX, cmd_transition, .flags = CLI_STORE, .status = "cancelled" },
	{ "reopen", "ID... [--if-version N] [--force] [--claim TOKEN]", "move done items back to in_progress",
	  transition_opts, 1, CLI_IDS_MAX, cmd_transition, .flags = CLI_STORE,
	  .status = "in_progress", .from_status = "done" },
	{ "note", "ID TEXT|-", "append a note to an item", note_opts, 2, 2, cmd_note, .flags = CLI_STORE,
	  .change_before = "a note was added to ", .change_after = "" },
	{ "check", "[--repair]", "examine the whole store for problems",
	  check_opts, 0, 0, cmd_check, .flags = CLI_STORE },
	{ "reindex", "", "rebuild the index from the item files", no_opts, 0, 0, cmd_reindex, .flags = CLI_STORE },
	{ "claim", "ID|--next [--type T,...]... [--label L,...]... [--any-label] [--containers]"
		   " [--skip ID]... [--any] [--lease DURATION] [--force]",
	  "claim an item (or the best ready one) for this agent", claim_opts, 0, 1, cmd_claim, .flags = CLI_STORE,
	  .change_after = " was claimed" },
	{ "heartbeat", "ID... [--lease DURATION] [--claim TOKEN]", "extend your claims on items",
	  lease_opts, 1, CLI_IDS_MAX, cmd_claim, .flags = CLI_STORE | CLI_RENEW,
	  .change_before = "the claim on ", .change_after = " was extended" },
	{ "release", "ID... [--force] [--claim TOKEN]",
	  "give items back, claimed or not: in progress returns to pending, ready again",
	  release_opts, 1, CLI_IDS_MAX, cmd_release, .flags = CLI_STORE,
	  .change_after = " was released" },
	{ "dep", "add ID --on OTHER... | rm ID --on OTHER... | tree ID",
	  "dependencies: ID cannot start before OTHER is done", dep_opts, 1, 2, cmd_dep, .flags = CLI_STORE,
	  .change_before = "the dependencies of ", .change_after = " were changed" },
	{ "ready", "[--type T,...]... [--label L,...]... [--any-label] [--containers] [--limit N]"
		   " [--assignee A]... [--mine] [--unassigned]",
	  "pending, unclaimed (or stale-claimed) work whose dependencies are done, best first",
	  ready_opts, 0, 0, cmd_ready, .flags = CLI_STORE },
	{ "blocked", "", "items that wait: blocked, or on unfinished dependencies",
	  no_opts, 0, 0, cmd_blocked, .flags = CLI_STORE },
	{ "search", "TEXT [--all]", "find items whose title, description or notes contain TEXT",
	  search_opts, 1, 1, cmd_search, .flags = CLI_STORE },
	{ "summary", "[--since SPAN]", "counts, recent changes, claims and what is next",
	  summary_opts, 0, 0, cmd_summary, .flags = CLI_STORE },
	{ "prime", "", "a short briefing for an agent starting a session",
	  no_opts, 0, 0, cmd_prime, .flags = CLI_STORE },
	{ "history", "ID", "every change to an item: who, when, what",
	  no_opts, 1, 1, cmd_history, .flags = CLI_STORE },
	{ "log", "[--since SPAN] [--by NAME]... [--item ID]... [--limit N]",
	  "every change in the project, newest first: who, when, what", log_opts, 0, 0, cmd_log, .flags = CLI_STORE },
	{ "mcp", "", "serve the Model Context Protocol on stdin/stdout: tools for agents",
	  no_opts, 0, 0, cmd_mcp },
	{ "serve", "[--port N] [--listen ADDR] [--open]",
	  "a live board of the store in a browser, until Ctrl-C", serve_opts, 0, 0, cmd_serve,
	  .flags = CLI_STORE },
	{ "merge-file", "BASE OURS THEIRS PATH",
	  "git's merge driver for the store's files: merge them field by field into OURS",
	  no_opts, 4, 4, cmd_merge_file },
	{ "git", "setup", "make git merge the store with jerry (driver and attributes)",
	  no_opts, 1, 1, cmd_git, .flags = CLI_STORE },
	{ "sync", "[--timeout DURATION] [REMOTE]",
	  "share the store through a git remote: fetch, merge, commit, push",
	  sync_opts, 0, 1, cmd_sync, .flags = CLI_STORE },
	{ "export", "[--all] [--status S,...]... [--type T,...]... [--label L,...]... [--any-label]"
		    " [--assignee A]... [--priority P,...]... [--parent ID,...]... [--history] [-o FILE]",
	  "write items as JSON Lines, one item a line, to stdout or FILE", export_opts, 0, 0,
	  cmd_export, .flags = CLI_STORE },
	{ "import", "FILE|DIR [--from FORMAT] [--dry-run]",
	  "bring items in from jerry export, beads, taskwarrior, gh or a Backlog.md folder",
	  import_opts, 1, 1, cmd_import, .flags = CLI_STORE },
	{ "help", "[COMMAND]", "show help for jerry or for a command", no_opts, 0, 1, NULL, .flags = CLI_HELP },
	{ .name = NULL }
};

const struct cli_cmd *cli_cmd_find(const char *name)
{
	for (const struct cli_cmd *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
