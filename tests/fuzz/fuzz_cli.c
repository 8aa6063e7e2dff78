/*
 * fuzz_cli.c - libFuzzer target for the command line: the option parser
 * of every command, and the parsers of the values people type (IDs,
 * numbers, durations, times).  The input is split on NUL bytes into
 * words; the first byte picks the command.  Anything may be refused - the
 * target checks that nothing crashes, leaks or reads out of bounds, and
 * that what the parser accepts is consistent.  Run it with
 * -close_fd_mask=2: usage errors are the common case.
 */
#include "cli/cli.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 64

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void values(const char *w)
{
	int64_t n, ms;
	uint64_t u;
	char id[32];
	if (jerry_id_parse(&n, w, NULL) == 0) {
		assert(n >= 1);
		jerry_id_format(id, sizeof(id), n);
		int64_t again;
		assert(jerry_id_parse(&again, id, NULL) == 0 && again == n);
	}
	if (jerry_duration_parse(&ms, w) == 0)
		assert(ms > 0);
	if (jerry_time_parse(&ms, w) == 0) {
		char t[40];
		jerry_time_format(t, sizeof(t), ms);
	}
	(void)cli_parse_uint(&u, w, 1000000000u);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	size_t ncmds = 0;
	while (cli_commands[ncmds].name)
		ncmds++;
	if (size < 1 || ncmds == 0)
		return 0;
	const struct cli_cmd *cmd = &cli_commands[data[0] % ncmds];

	char *copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	char *argv[MAX_WORDS + 1];
	int argc = 0;
	for (char *p = copy; p < copy + size - 1 && argc < MAX_WORDS;) {
		argv[argc++] = p;
		p += strlen(p) + 1;
	}
	argv[argc] = NULL;

	struct cli cli;
	struct cli_args args;
	int help = 0;
	memset(&cli, 0, sizeof(cli));
	cli.cmd = cmd;
	cli.json = data[0] & 0x80;
	if (cli_parse(&args, &cli, cmd, argc, argv, &help) == 0) {
		assert(args.npos <= (size_t)argc);
		for (size_t i = 0; i < args.nopts; i++)
			if (args.opts[i].arg)
				values(args.opts[i].arg);
		for (size_t i = 0; i < args.npos; i++)
			values(args.pos[i]);
		cli_args_release(&args);
	}
	for (int i = 0; i < argc; i++)
		values(argv[i]);
	free(copy);
	return 0;
}
