/*
 * cmd_list.c - `jerry list`: summaries from the index, filtered and sorted
 * by the library; this file only turns flags into a jerry_filter.  The
 * filter options of `ready` and `claim --next` come through here too.
 */
#include "cli.h"
#include "output.h"
#include "../util/strbuf.h"

#include <stdlib.h>
#include <string.h>

#define LIMIT_MAX 1000000000u

/* The values given for one option, in order, appended to vals at *used. */
static const char *const *collect(const struct cli_args *args, int id, const char **vals,
				  size_t *used, size_t *n)
{
	const char **start = vals + *used;
	*n = 0;
	for (size_t i = 0; i < args->nopts; i++)
		if (args->opts[i].id == id)
			start[(*n)++] = args->opts[i].arg;
	*used += *n;
	return start;
}

int cli_filter_fill(struct cli_filter *cf, const struct cli *cli, const struct cli_args *args)
{
	jerry_filter *f = &cf->f;
	size_t used = 0;

	memset(cf, 0, sizeof(*cf));
	/* Every option value lands in at most one list: nopts slots are enough. */
	cf->vals = calloc(args->nopts + 1, sizeof(*cf->vals));
	if (!cf->vals)
		return out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	f->status_list = collect(args, OPT_STATUS, cf->vals, &used, &f->nstatus_list);
	f->types = collect(args, OPT_TYPE, cf->vals, &used, &f->ntypes);
	f->labels = collect(args, OPT_LABEL, cf->vals, &used, &f->nlabels);
	f->assignees = collect(args, OPT_ASSIGNEE, cf->vals, &used, &f->nassignees);
	f->priorities = collect(args, OPT_PRIORITY, cf->vals, &used, &f->npriorities);
	f->parents = collect(args, OPT_PARENT, cf->vals, &used, &f->nparents);
	f->skip = collect(args, OPT_SKIP, cf->vals, &used, &f->nskip);
	for (size_t i = 0; i < args->nopts; i++) {
		const char *v = args->opts[i].arg;
		uint64_t limit;
		switch (args->opts[i].id) {
		case OPT_ANY_LABEL: f->any_label = 1; break;
		case OPT_CONTAINERS: f->containers = 1; break;
		case OPT_ANY: f->any_assignee = 1; break;
		case OPT_MINE: f->mine = 1; break;
		case OPT_UNASSIGNED: f->unassigned = 1; break;
		case OPT_ALL: f->all = 1; break;
		case OPT_SORT: f->sort = v; break;
		case OPT_LIMIT:
			if (cli_parse_uint(&limit, v, LIMIT_MAX) || limit == 0)
				return out_usage(cli, "--limit '%.64s' is not a positive whole number", v);
			f->limit = (size_t)limit;
			break;
		default: break;
		}
	}
	if (f->any_label && f->nlabels == 0)
		return out_usage(cli, "--any-label goes with --label");
	return 0;
}

void cli_filter_release(struct cli_filter *cf)
{
	free(cf->vals);
	cf->vals = NULL;
}

/* ---- list --tree ----------------------------------------------------------- */

struct by_num {
	int64_t num;
	size_t pos;
};

static int cmp_num(const void *a, const void *b)
{
	const struct by_num *x = a, *y = b;
	return (x->num > y->num) - (x->num < y->num);
}

/*
 * Lay items out as a tree into order[] and depth[] (n each): an item goes
 * under its parent when the parent is in the list too, else at the top (its
 * parent is filtered out, or it has none).  Siblings keep the list's order.
 * An item in a parent cycle (only by hand edits) still shows once, at the
 * top.  0, or -1 when out of memory.
 */
static int tree_build(jerry_item **order, size_t *depth, jerry_item *const *items, size_t n)
{
	size_t cap = n ? n : 1;
	struct by_num *nums = calloc(cap, sizeof(*nums));
	size_t *parent = calloc(cap, sizeof(*parent)), *first = calloc(cap + 1, sizeof(*first));
	size_t *kids = calloc(cap, sizeof(*kids)), *filled = calloc(cap, sizeof(*filled));
	size_t *stack = calloc(cap, sizeof(*stack)), *d = calloc(cap, sizeof(*d));
	char *seen = calloc(cap, 1);
	int rc = nums && parent && first && kids && filled && stack && d && seen ? 0 : -1;
	for (size_t i = 0; !rc && i < n; i++)
		nums[i] = (struct by_num){items[i]->num, i};
	if (!rc)
		qsort(nums, n, sizeof(*nums), cmp_num);
	/* parent[i] == n: at the top.  kids[first[p] .. first[p + 1]): p's children. */
	for (size_t i = 0; !rc && i < n; i++) {
		struct by_num key = {items[i]->parent, 0}, *hit = NULL;
		if (items[i]->parent > 0)
			hit = bsearch(&key, nums, n, sizeof(*nums), cmp_num);
		parent[i] = hit && hit->pos != i ? hit->pos : n;
		if (parent[i] < n)
			first[parent[i] + 1]++;
	}
	for (size_t p = 0; !rc && p < n; p++)
		first[p + 1] += first[p];
	for (size_t i = 0; !rc && i < n; i++)
		if (parent[i] < n)
			kids[first[parent[i]] + filled[parent[i]]++] = i;
	/* Depth first from each top item, then from whatever a cycle left. */
	size_t k = 0;
	for (size_t pass = 0; !rc && pass < 2; pass++) {
		for (size_t r = 0; r < n; r++) {
			if (seen[r] || (pass == 0 && parent[r] < n))
				continue;
			size_t top = 0;
			stack[top++] = r;
			seen[r] = 1;
			d[r] = 0;
			while (top) {
				size_t i = stack[--top];
				order[k] = items[i];
				depth[k++] = d[i];
				/* Pushed in reverse, so the first child comes out first. */
				for (size_t c = first[i + 1]; c > first[i]; c--) {
					size_t ch = kids[c - 1];
					if (seen[ch])
						continue;
					seen[ch] = 1;
					d[ch] = d[i] + 1;
					stack[top++] = ch;
				}
			}
		}
	}
	free(nums);
	free(parent);
	free(first);
	free(kids);
	free(filled);
	free(stack);
	free(d);
	free(seen);
	return rc;
}

/*
 * --json: the top items, each with a "children" array of the same shape
 * (an empty array for a leaf).  Each item's text is the library's, with
 * the text of its children's array (jerry_item_json_with), so the deepest
 * are made first; items nest no deeper than their types rank, so a text
 * is read again by the library a few times at most, never here.
 */
static int tree_json(const struct cli *cli, jerry_item *const *order, const size_t *depth,
		     size_t n)
{
	static const char *const key[] = {"children"};
	char **texts = calloc(n ? n : 1, sizeof(*texts));
	size_t ntop = 0;
	int ok = texts != NULL;
	for (size_t i = n; ok && i-- > 0;) {
		/* [the texts of the items one level down, up to the next at i's depth] */
		struct jr_sb kids = JR_SB_INIT;
		const char *sep = "";
		jr_sb_addch(&kids, '[');
		for (size_t j = i + 1; j < n && depth[j] > depth[i]; j++) {
			if (depth[j] != depth[i] + 1)
				continue;
			ok = ok && texts[j];
			jr_sb_addstr(&kids, sep);
			jr_sb_addstr(&kids, texts[j] ? texts[j] : "");
			free(texts[j]);
			texts[j] = NULL;
			sep = ",";
		}
		jr_sb_addch(&kids, ']');
		char *value = jr_sb_detach(&kids, NULL);
		texts[i] = ok && value ? jerry_item_json_with(order[i], 0, key,
							       (const char *const *)&value, 1)
				       : NULL;
		ok = texts[i] != NULL;
		free(value);
	}
	/* What is left are the top items' texts, in order. */
	for (size_t i = 0; ok && i < n; i++)
		if (texts[i])
			texts[ntop++] = texts[i];
	if (!ok) {
		for (size_t i = 0; texts && i < n; i++)
			free(texts[i]);
		free(texts);
		return out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	}
	return out_json_texts(cli, texts, ntop);
}

/* The table, each title indented two spaces a level. */
static int tree_table(const struct cli *cli, jerry_item **order, const size_t *depth, size_t n)
{
	char **saved = calloc(n ? n : 1, sizeof(*saved));
	size_t done = 0;
	int status = 0;
	if (!saved)
		return out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	for (; done < n; done++) {
		const char *title = order[done]->title ? order[done]->title : "";
		size_t pad = 2 * depth[done], len = strlen(title);
		char *indented = malloc(pad + len + 1);
		if (!indented) {
			status = out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
			break;
		}
		memset(indented, ' ', pad);
		memcpy(indented + pad, title, len + 1);
		saved[done] = order[done]->title;
		order[done]->title = indented;
	}
	if (!status)
		status = out_table(cli, order, n);
	for (size_t i = 0; i < done; i++) {
		free(order[i]->title);
		order[i]->title = saved[i];
	}
	free(saved);
	return status;
}

static int out_tree(const struct cli *cli, jerry_item *const *items, size_t n)
{
	jerry_item **order = calloc(n ? n : 1, sizeof(*order));
	size_t *depth = calloc(n ? n : 1, sizeof(*depth));
	int status;
	if (!order || !depth || tree_build(order, depth, items, n)) {
		status = out_fail(cli, JERRY_ENOMEM, NULL, "out of memory");
	} else if (cli->json) {
		status = tree_json(cli, order, depth, n);
	} else {
		status = tree_table(cli, order, depth, n);
	}
	free(order);
	free(depth);
	return status;
}

int cmd_list(struct cli *cli, const struct cli_args *args)
{
	struct cli_filter cf;
	jerry_store *store = cli->store;
	jerry_item **items = NULL;
	size_t n = 0;
	jerry_error err;
	int rc, status, tree = 0;

	jerry_error_clear(&err);
	for (size_t i = 0; i < args->nopts; i++)
		tree |= args->opts[i].id == OPT_TREE;
	if ((status = cli_filter_fill(&cf, cli, args))) {
		cli_filter_release(&cf);
		return status;
	}
	rc = jerry_list(&items, &n, store, &cf.f, &err);
	if (rc)
		status = out_error(cli, rc, &err);
	else
		status = tree ? out_tree(cli, items, n) : out_table(cli, items, n);
	jerry_item_array_free(items, n);
	cli_filter_release(&cf);
	return status;
}
