/* presence-console: the operators' console over the presence database. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "store.h"
#include "ui.h"

/* What the command line asks for. */
struct options {
	struct store_config	 cfg;
	const char		*command;	/* NULL, "export" or "import" */
	const char		*file;		/* import's FILE */
	size_t			 batch;
	int			 batch_set;
};

enum {
	OPT_STORE = 256,	/* a store key: the option's name is the key */
	OPT_READ_ONLY,
	OPT_BATCH,
};

static const struct option main_options[] = {
	{ "db",		required_argument,	NULL,	OPT_STORE },
	{ "map-size",	required_argument,	NULL,	OPT_STORE },
	{ "map-max",	required_argument,	NULL,	OPT_STORE },
	{ "durability",	required_argument,	NULL,	OPT_STORE },
	{ "read-only",	no_argument,		NULL,	OPT_READ_ONLY },
	{ "batch",	required_argument,	NULL,	OPT_BATCH },
	{ "help",	no_argument,		NULL,	'h' },
	{ "version",	no_argument,		NULL,	'V' },
	{ NULL,		0,			NULL,	0 }
};

/* Print the usage summary to fp. */
static void
main_usage(FILE *fp)
{
	fprintf(fp,
"usage: presence-console [OPTION...]                  the interactive console\n"
"       presence-console [OPTION...] export           JSON Lines on stdout\n"
"       presence-console [OPTION...] import [--batch N] FILE\n"
"\n"
"  --db PATH          the database environment (PRESENCE_DB; default %s)\n"
"  --read-only        open the database read-only; hide create and delete\n"
"  --batch N          import: commit every N lines (default: all or nothing)\n"
"  --map-size SIZE    initial map size (PRESENCE_MAP_SIZE)\n"
"  --map-max SIZE     largest map size (PRESENCE_MAP_MAX)\n"
"  --durability MODE  durable or nosync (PRESENCE_DURABILITY)\n"
"  --help             show this help and exit\n"
"  --version          show the version and exit\n"
"\n"
"Keys: arrows or j/k, PgUp/PgDn, Home/End or g/G, Enter inspects, c creates,\n"
"d deletes, / finds an id prefix and n the next match, ? helps, q quits.\n"
"NO_COLOR turns colors off.  See presence-console(1).\n",
	    LOCALSTATEDIR "/lib/presence");
}

/* Report a command-line problem and exit with status 2. */
static void __attribute__((noreturn))
main_bad_usage(const char *what, const char *arg)
{
	fprintf(stderr, "presence-console: %s '%s'\n", what, arg);
	fprintf(stderr, "try 'presence-console --help'\n");
	exit(2);
}

/* Parse a positive batch size. */
static size_t
main_parse_batch(const char *s)
{
	unsigned long long	 v;
	char			*end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v == 0 ||
	    v > SIZE_MAX)
		main_bad_usage("invalid batch size", s);
	return (size_t)v;
}

/* Parse the options and the subcommand into *o. */
static void
main_parse(struct options *o, int argc, char **argv)
{
	const char	*bad = NULL;
	int		 c, index;

	if (store_config_env(&o->cfg, &bad) != 0)
		main_bad_usage("invalid value in environment variable", bad);
	while ((c = getopt_long(argc, argv, "hV", main_options, &index)) != -1) {
		switch (c) {
		case OPT_STORE:
			if (store_config_set(&o->cfg, main_options[index].name,
			    optarg) != 0)
				main_bad_usage("invalid value for option",
				    main_options[index].name);
			break;
		case OPT_READ_ONLY:	o->cfg.read_only = 1; break;
		case OPT_BATCH:
			o->batch = main_parse_batch(optarg);
			o->batch_set = 1;
			break;
		case 'h':		main_usage(stdout); exit(0);
		case 'V':		printf("presence-console %s\n",
					    PACKAGE_VERSION); exit(0);
		default:		fprintf(stderr, "try 'presence-console "
					    "--help'\n"); exit(2);
		}
	}
	if (optind < argc)
		o->command = argv[optind++];
	if (o->command != NULL && strcmp(o->command, "import") == 0 &&
	    optind < argc)
		o->file = argv[optind++];
	if (optind < argc)
		main_bad_usage("unexpected argument", argv[optind]);
}

/* Check the subcommand against the options given with it. */
static void
main_check(struct options *o)
{
	if (o->command == NULL) {
		if (o->batch_set)
			main_bad_usage("option only for import", "--batch");
	} else if (strcmp(o->command, "export") == 0) {
		if (o->batch_set)
			main_bad_usage("option only for import", "--batch");
		o->cfg.read_only = 1;
	} else if (strcmp(o->command, "import") == 0) {
		if (o->file == NULL)
			main_bad_usage("import needs a file", "FILE");
		if (o->cfg.read_only)
			main_bad_usage("import cannot run with", "--read-only");
	} else
		main_bad_usage("unknown command", o->command);
}

/* Open the database the options name, or exit. */
static struct store *
main_open(const struct options *o)
{
	struct store	*st;
	int		 rc;

	if ((rc = store_open(&st, &o->cfg)) != 0) {
		fprintf(stderr, "presence-console: cannot open database '%s': "
		    "%s\n", o->cfg.path, store_strerror(rc));
		exit(1);
	}
	return st;
}

/*
 * Open the database for an import of path, with a map already large
 * enough for the file, so the load does not run again each time the map
 * would have to grow under it.
 */
static struct store *
main_open_import(struct options *o)
{
	struct store_stat	 facts;
	struct stat		 sb;
	struct store		*st = main_open(o);
	size_t			 want;

	if (strcmp(o->file, "-") == 0 || stat(o->file, &sb) != 0 ||
	    store_stat(st, &facts) != 0)
		return st;
	want = facts.map_used + (size_t)sb.st_size;
	if (want <= facts.map_size || facts.map_size >= o->cfg.map_max)
		return st;
	store_close(st);
	o->cfg.map_size = want < o->cfg.map_max ? want : o->cfg.map_max;
	return main_open(o);
}

/* Run the interactive console, which needs a terminal on both ends. */
static int
main_interactive(struct options *o)
{
	const char	*no_color = getenv("NO_COLOR");
	struct store	*st;
	int		 status;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "presence-console: the console needs a "
		    "terminal (export and import work without one)\n");
		return 1;
	}
	setlocale(LC_ALL, "");
	st = main_open(o);
	status = ui_run(st, o->cfg.read_only,
	    no_color == NULL || no_color[0] == '\0');
	store_close(st);
	return status;
}

/* Parse the command line and run the console, export or import. */
int
main(int argc, char **argv)
{
	struct options		 o;
	struct batch_counts	 counts;
	struct store		*st;
	int			 status;

	memset(&o, 0, sizeof o);
	store_config_init(&o.cfg);
	main_parse(&o, argc, argv);
	main_check(&o);
	if (o.command == NULL)
		return main_interactive(&o);
	if (strcmp(o.command, "export") == 0) {
		st = main_open(&o);
		status = batch_export(st, stdout, stderr);
	} else {
		st = main_open_import(&o);
		status = batch_import(st, o.file, o.batch, stderr, &counts);
	}
	store_close(st);
	return status;
}
