// SPDX-License-Identifier: GPL-2.0
/*
 * hmapctl: control hmap maps through /dev/hmap.
 *
 *   hmapctl [-j|-p] [-h] COMMAND ARGS...
 *
 * The options, the command table (commands may be abbreviated to any
 * unique prefix) and the help text.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "hmapctl.h"

bool json_output;
bool json_pretty;
const char *cmd_name;

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static const struct cmd cmds[] = {
	{ "create",	do_create },
	{ "list",	do_list },
	{ "put",	do_put },
	{ "get",	do_get },
	{ "del",	do_del },
	{ "dump",	do_dump },
	{ "clear",	do_clear },
	{ "destroy",	do_destroy },
	{ "stats",	do_stats },
	{ "snapshot",	do_snapshot },
	{ "help",	do_help },
};

#define NR_CMDS	(sizeof(cmds) / sizeof(cmds[0]))

static const char help_text[] =
"Usage: hmapctl [-j|-p] [-h] COMMAND ARGS...\n"
"\n"
"Commands (any unique prefix will do: cr, l, p, g, del, du, cl, des, st, sn):\n"
"  create NAME key_size N value_size N [max_entries N] [flags N]\n"
"         [shard_bits S] [evac_delay_ms MS]\n"
"  list\n"
"  put NAME KEY VALUE [any|noexist|exist]\n"
"  get NAME KEY\n"
"  del NAME KEY\n"
"  dump NAME [batch N]\n"
"  clear NAME\n"
"  destroy NAME\n"
"  stats NAME [shard I] [sample SECONDS]\n"
"  snapshot NAME [shard I]\n"
"  help\n"
"\n"
"Options:\n"
"  -j, --json     JSON output (errors as {\"error\": \"...\"} on stdout too)\n"
"  -p, --pretty   pretty-printed JSON output (implies -j)\n"
"  -h, --help     this text\n"
"\n"
"NAME: 1-31 characters from [A-Za-z0-9_.-], not starting with '.', not 'maps'.\n"
"N: decimal, or hex with 0x. max_entries 0 (the default) means the largest.\n"
"S: the map is 2^S shards, S 0..8 (default 0, one table); each shard holds\n"
"max_entries / 2^S entries. I: a shard, 0..2^S-1.\n"
"\n"
"KEY and VALUE are sized to the map's key_size and value_size:\n"
"  STRING          the bytes of STRING, zero-padded; longer is an error\n"
"  str STRING      the same, for strings that look like the forms below\n"
"  0xHEXDIGITS     bytes in hex, an even number of digits, zero-padded\n"
"  hex BB BB ...   byte words of 1-2 hex digits, zero-padded; the words are\n"
"                  taken while they are hex bytes and the key (value) is not\n"
"                  yet full, so 'put m hex 1 2 hex 3' with key_size 2 works\n"
"  VALUE may be left out when value_size is 0 (a set); put's flag defaults\n"
"  to any (insert or replace); noexist inserts only, exist replaces only.\n"
"\n"
"Output: get prints the value as a string when it is printable ASCII followed\n"
"only by zero bytes, else as hex bytes; dump prints one 'key: K value: V'\n"
"line per entry and a count line; stats and snapshot print 'name: value'.\n"
"stats prints 'off' (JSON null) for a run-time counter (lookups, hits, misses,\n"
"reader_retries) while run-time statistics are off; 'sample SECONDS' holds them\n"
"on for SECONDS (1..86400, needs CAP_SYS_ADMIN) and prints every counter as\n"
"its count during that window. stats and snapshot print shard_bits; for a map\n"
"of shards stats adds a table of the shards (JSON: \"shards\"); 'shard I'\n"
"prints shard I's figures alone.\n"
"\n"
"Exit status:\n"
"  0  success\n"
"  1  usage error (bad arguments: nothing was changed)\n"
"  2  no such map\n"
"  3  no such key\n"
"  4  already exists (create: the map; put noexist: the key)\n"
"  5  map full (max_entries reached, or in a map of shards the key's shard)\n"
"  6  permission denied (create, destroy and stats sample need CAP_SYS_ADMIN)\n"
"  7  device unavailable (cannot open /dev/hmap: module not loaded?)\n"
"  8  other error (the kernel's error is printed; also a shard the map lacks)\n"
"\n"
"Environment: HMAPCTL_DEVICE overrides the device path (/dev/hmap).\n"
"See hmapctl(8).\n";

int do_help(int argc, char **argv)
{
	if (argc > 0)
		return usage_error("unexpected argument '%s'", argv[0]);
	fputs(help_text, stdout);
	return EXIT_OK;
}

/* The command @arg names, exactly or as a unique prefix; NULL if none. */
static const struct cmd *find_cmd(const char *arg)
{
	const char *names[NR_CMDS + 1];
	int i;

	for (i = 0; i < (int)NR_CMDS; i++)
		names[i] = cmds[i].name;
	names[i] = NULL;
	i = match_keyword(arg, names);
	if (i >= 0)
		return &cmds[i];
	if (i == -2) {
		char list[128] = "";

		for (size_t k = 0; k < NR_CMDS; k++) {
			if (!is_prefix(arg, cmds[k].name))
				continue;
			if (list[0])
				strncat(list, ", ", sizeof(list) - strlen(list) - 1);
			strncat(list, cmds[k].name, sizeof(list) - strlen(list) - 1);
		}
		usage_error("ambiguous command '%s' (%s)", arg, list);
	} else {
		usage_error("unknown command '%s'", arg);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json",   no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help",   no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd *cmd;
	bool help = false;
	int c, ret;

	opterr = 0;
	/* '+': options end at the command, so KEY and VALUE may start with '-'. */
	while ((c = getopt_long(argc, argv, "+jph", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json_output = true;
			break;
		case 'p':
			json_output = true;
			json_pretty = true;
			break;
		case 'h':
			help = true;
			break;
		default:
			if (optopt)
				return usage_error("unknown option '-%c'", optopt);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	jw_set_pretty(json_pretty);
	if (help)
		return do_help(0, NULL);
	if (optind >= argc)
		return usage_error("missing COMMAND");

	cmd = find_cmd(argv[optind]);
	if (!cmd)
		return EXIT_USAGE;
	cmd_name = cmd->name;
	ret = cmd->fn(argc - optind - 1, argv + optind + 1);

	if (fflush(stdout) || ferror(stdout)) {
		if (errno != EPIPE && !ret) {
			cmd_name = NULL;
			json_output = false;
			ret = fail(EXIT_KERNEL, "write error: %s", strerror(errno));
		}
	}
	return ret;
}
