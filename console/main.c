/* presence-console: the operators' console over the presence database. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "batch.h"
#include "grant.h"
#include "log.h"
#include "store.h"
#include "tokcmd.h"
#include "ui.h"
#include "view.h"

/* What the command line asks for. */
struct options {
	struct store_config	 cfg;
	const char		*command;	/* NULL, "export", "import", "token" */
	const char		*file;		/* import's FILE */
	const char		*action;	/* token's issue, list or revoke */
	const char		*token[GRANT_FIELDS]; /* NAME and issue's options */
	size_t			 batch;
	int			 batch_set;
	int			 resume;	/* import --resume */
	int			 json;		/* token list --json */
};

enum {
	OPT_STORE = 256,	/* a store key: the option's name is the key */
	OPT_READ_ONLY,
	OPT_BATCH,
	OPT_RESUME,
	OPT_SCOPE,
	OPT_USER,
	OPT_EXPIRES,
	OPT_JSON,
};

static const struct option main_options[] = {
	{ "db",		required_argument,	NULL,	OPT_STORE },
	{ "map-size",	required_argument,	NULL,	OPT_STORE },
	{ "map-max",	required_argument,	NULL,	OPT_STORE },
	{ "durability",	required_argument,	NULL,	OPT_STORE },
	{ "read-only",	no_argument,		NULL,	OPT_READ_ONLY },
	{ "batch",	required_argument,	NULL,	OPT_BATCH },
	{ "resume",	no_argument,		NULL,	OPT_RESUME },
	{ "scope",	required_argument,	NULL,	OPT_SCOPE },
	{ "user",	required_argument,	NULL,	OPT_USER },
	{ "expires",	required_argument,	NULL,	OPT_EXPIRES },
	{ "json",	no_argument,		NULL,	OPT_JSON },
	{ "help",	no_argument,		NULL,	'h' },
	{ "version",	no_argument,		NULL,	'V' },
	{ NULL,		0,			NULL,	0 }
};

/*
 * What a fault in the mapped database needs, made before the handler is
 * installed, since a handler may only use it: a line per signal, and the
 * terminal's modes from before the interactive console changed them.
 */
static char			fatal_bus[PATH_MAX + 256];
static char			fatal_segv[PATH_MAX + 256];
static size_t			fatal_bus_len, fatal_segv_len;
static struct termios		fatal_tty;
static volatile sig_atomic_t	fatal_tty_saved;

/*
 * SIGBUS or SIGSEGV: a read of data.mdb past its end (a file cut short
 * while the console runs) or of a scribbled page below the roots the
 * open checked.  Put the terminal's modes back (endwin is not safe
 * here; tcsetattr is), say what happened, naming the database, and die
 * of the same signal with its default action (SA_RESETHAND put it back),
 * so the shell and core dumps see the real cause.  Async-signal-safe.
 */
static void
main_on_fault(int sig)
{
	if (fatal_tty_saved) {
		tcsetattr(STDIN_FILENO, TCSANOW, &fatal_tty);
		if (write(STDERR_FILENO, "\r\n", 2) < 0) {
			/* the line below fails the same way */
		}
	}
	if (write(STDERR_FILENO, sig == SIGBUS ? fatal_bus : fatal_segv,
	    sig == SIGBUS ? fatal_bus_len : fatal_segv_len) < 0) {
		/* nothing more can be said */
	}
	raise(sig);
}

/* Write the fault line for signal name into buf; its length. */
static size_t
main_fault_line(char *buf, size_t size, const char *name, const char *path)
{
	int	n;

	n = snprintf(buf, size, "presence-console: fatal signal %s reading "
	    "database '%s': data.mdb is damaged or was cut short; restore it "
	    "from a complete copy (see presence-console(1), BACKUP)\n", name,
	    path);
	if (n < 0)
		return 0;
	if ((size_t)n < size)
		return (size_t)n;
	buf[size - 2] = '\n';	/* a path too long to open anyway */
	return size - 1;
}

/* Make the fault lines for the database at path, then catch the faults. */
static void
main_faults_setup(const char *path)
{
	struct sigaction	sa;

	fatal_bus_len = main_fault_line(fatal_bus, sizeof fatal_bus,
	    "SIGBUS", path);
	fatal_segv_len = main_fault_line(fatal_segv, sizeof fatal_segv,
	    "SIGSEGV", path);
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = main_on_fault;
	sa.sa_flags = SA_RESETHAND;
	if (sigaction(SIGBUS, &sa, NULL) != 0 ||
	    sigaction(SIGSEGV, &sa, NULL) != 0)
		log_die(1, "cannot set up signal handling: %s",
		    strerror(errno));
}

/* Print the usage summary to fp. */
static void
main_usage(FILE *fp)
{
	fprintf(fp,
"usage: presence-console [OPTION...]                  the interactive console\n"
"       presence-console [OPTION...] export           JSON Lines on stdout\n"
"       presence-console [OPTION...] import [--batch N] [--resume] FILE\n"
"       presence-console [OPTION...] token issue NAME --scope SCOPE[,SCOPE]\n"
"                                    [--user ID] [--expires DURATION]\n"
"       presence-console [OPTION...] token list [--json]\n"
"       presence-console [OPTION...] token revoke NAME\n"
"\n"
"  --db PATH          the database environment (PRESENCE_DB; default %s)\n"
"  --read-only        open the database read-only; hide create, delete and\n"
"                     the tokens\n"
"  --batch N          import: commit every N lines (default: all or nothing);\n"
"                     sequence numbers are then given anew\n"
"  --resume           import: skip presences stored already with the same\n"
"                     content (to go on after a stopped import); one stored\n"
"                     with different content is a bad line\n"
"  --scope SCOPES     token issue: Presence.Read or Presence.ReadWrite (with\n"
"                     --user), Presence.Read.All, Presence.ReadWrite.All\n"
"  --user ID          token issue: the presence id the token is bound to\n"
"  --expires DURATION token issue: 90d, 12h, 30m or seconds (default: never)\n"
"  --json             token list: one JSON object a line\n"
"  --map-size SIZE    initial map size (PRESENCE_MAP_SIZE)\n"
"  --map-max SIZE     largest map size (PRESENCE_MAP_MAX)\n"
"  --durability MODE  durable or nosync (PRESENCE_DURABILITY)\n"
"  --help             show this help and exit\n"
"  --version          show the version and exit\n"
"\n"
"Keys: arrows or j/k, PgUp/PgDn, Home/End or g/G, Enter inspects, c creates,\n"
"d deletes, / finds an id prefix and n the next match, t manages the API's\n"
"tokens, s shows the change-notification subscriptions (d deletes one), ?\n"
"helps, q quits; in inspect p sets the preferred presence, u clears it, Tab\n"
"selects a session and x clears it.  token issue prints only the secret on\n"
"stdout.\n"
"NO_COLOR turns colors off.  See presence-console(1).\n"
"\n"
"Exit status: 0 on success; 1 on failure (the database cannot be opened, a\n"
"bad import line, a refused write); 2 for a usage error; 3 when data.mdb is\n"
"damaged or incomplete (restore a complete copy).\n",
	    LOCALSTATEDIR "/lib/presence");
}

/* Report a command-line problem and exit with status 2. */
static void __attribute__((noreturn))
main_bad_usage(const char *what, const char *arg)
{
	log_die(2, "%s '%s'\ntry 'presence-console --help'", what, arg);
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

/* Whether word (which may be NULL) is name. */
static int
main_is(const char *word, const char *name)
{
	return word != NULL && strcmp(word, name) == 0;
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
		case OPT_RESUME:	o->resume = 1; break;
		case OPT_SCOPE:		o->token[GRANT_SCOPES] = optarg; break;
		case OPT_USER:		o->token[GRANT_USER] = optarg; break;
		case OPT_EXPIRES:	o->token[GRANT_EXPIRES] = optarg; break;
		case OPT_JSON:		o->json = 1; break;
		case 'h':		main_usage(stdout); exit(0);
		case 'V':		printf("presence-console %s\n",
					    PACKAGE_VERSION); exit(0);
		default:		fprintf(stderr, "try 'presence-console "
					    "--help'\n"); exit(2);
		}
	}
	if (optind < argc)
		o->command = argv[optind++];
	if (main_is(o->command, "import") && optind < argc)
		o->file = argv[optind++];
	if (main_is(o->command, "token") && optind < argc)
		o->action = argv[optind++];
	if ((main_is(o->action, "issue") || main_is(o->action, "revoke")) &&
	    optind < argc)
		o->token[GRANT_NAME] = argv[optind++];
	if (optind < argc)
		main_bad_usage("unexpected argument", argv[optind]);
}

/* Refuse the options that belong to another subcommand than o's. */
static void
main_check_options(const struct options *o)
{
	int	issue = main_is(o->command, "token") &&
		    main_is(o->action, "issue");

	if (o->batch_set && !main_is(o->command, "import"))
		main_bad_usage("option only for import", "--batch");
	if (o->resume && !main_is(o->command, "import"))
		main_bad_usage("option only for import", "--resume");
	if (o->token[GRANT_SCOPES] != NULL && !issue)
		main_bad_usage("option only for token issue", "--scope");
	if (o->token[GRANT_USER] != NULL && !issue)
		main_bad_usage("option only for token issue", "--user");
	if (o->token[GRANT_EXPIRES] != NULL && !issue)
		main_bad_usage("option only for token issue", "--expires");
	if (o->json && !(main_is(o->command, "token") &&
	    main_is(o->action, "list")))
		main_bad_usage("option only for token list", "--json");
}

/* Check the token subcommand's words. */
static void
main_check_token(struct options *o)
{
	if (o->action == NULL)
		main_bad_usage("token needs a command", "issue, list or revoke");
	if (main_is(o->action, "list")) {
		o->cfg.read_only = 1;
		return;
	}
	if (!main_is(o->action, "issue") && !main_is(o->action, "revoke"))
		main_bad_usage("unknown token command", o->action);
	if (o->token[GRANT_NAME] == NULL)
		main_bad_usage(main_is(o->action, "issue") ?
		    "token issue needs a name" : "token revoke needs a name",
		    "NAME");
	if (main_is(o->action, "issue") && o->token[GRANT_SCOPES] == NULL)
		main_bad_usage("token issue needs a scope", "--scope");
	if (o->cfg.read_only)
		main_bad_usage("token issue and revoke cannot run with",
		    "--read-only");
}

/* Check the subcommand against the options given with it. */
static void
main_check(struct options *o)
{
	main_check_options(o);
	if (o->command == NULL)
		return;
	if (main_is(o->command, "export"))
		o->cfg.read_only = 1;
	else if (main_is(o->command, "import")) {
		if (o->file == NULL)
			main_bad_usage("import needs a file", "FILE");
		if (o->cfg.read_only)
			main_bad_usage("import cannot run with", "--read-only");
	} else if (main_is(o->command, "token"))
		main_check_token(o);
	else
		main_bad_usage("unknown command", o->command);
}

/* Open the database the options name, or exit. */
static struct store *
main_open(const struct options *o)
{
	struct store	*st;
	int		 rc;

	if ((rc = store_open(&st, &o->cfg)) != 0) {
		log_warn("cannot open database '%s': %s", o->cfg.path,
		    store_strerror(rc));
		if (!store_error_is_damage(rc))
			exit(1);
		log_die(3, "restore data.mdb from a complete copy (see "
		    "presence-console(1), BACKUP)");
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

/* The interactive console's views, each in a file of its own. */
static const struct view *const main_views[VIEW_COUNT] = {
	[VIEW_LIST]	= &view_list,
	[VIEW_INSPECT]	= &view_inspect,
	[VIEW_FORM]	= &view_form,
	[VIEW_HELP]	= &view_help,
	[VIEW_TOKENS]	= &view_tokens,
	[VIEW_ISSUE]	= &view_issue,
	[VIEW_PREFER]	= &view_prefer,
	[VIEW_SAY]	= &view_say,
	[VIEW_SUBSCRIPTIONS] = &view_subscriptions,
};

/* Run the interactive console, which needs a terminal on both ends. */
static int
main_interactive(struct options *o)
{
	const char	*no_color = getenv("NO_COLOR");
	struct store	*st;
	int		 status;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		log_warn("the console needs a terminal (export, import and "
		    "token work without one)");
		return 1;
	}
	setlocale(LC_ALL, "");
	st = main_open(o);
	if (tcgetattr(STDIN_FILENO, &fatal_tty) == 0)
		fatal_tty_saved = 1;
	status = ui_run(st, o->cfg.read_only,
	    no_color == NULL || no_color[0] == '\0', main_views, VIEW_LIST);
	store_close(st);
	return status;
}

/*
 * Run a token subcommand.  issue's text is checked before the database
 * is opened, so a usage error never creates one.
 */
static int
main_token(struct options *o)
{
	struct token	 t;
	struct store	*st;
	int64_t		 now = presence_now();
	int		 status;

	if (main_is(o->action, "issue") &&
	    tokcmd_prepare(o->token, now, &t, stderr) != 0)
		return 2;
	st = main_open(o);
	if (main_is(o->action, "issue"))
		status = tokcmd_issue(st, &t, stdout, stderr);
	else if (main_is(o->action, "list"))
		status = tokcmd_list(st, o->json, now, stdout, stderr);
	else
		status = tokcmd_revoke(st, o->token[GRANT_NAME], stdout,
		    stderr);
	store_close(st);
	return status;
}

/* Parse the command line and run the console or a subcommand. */
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
	main_faults_setup(o.cfg.path);
	if (o.command == NULL)
		return main_interactive(&o);
	if (main_is(o.command, "token"))
		return main_token(&o);
	if (main_is(o.command, "export")) {
		st = main_open(&o);
		status = batch_export(st, stdout, stderr);
	} else {
		st = main_open_import(&o);
		status = batch_import(st, o.file, o.batch, o.resume, stderr,
		    &counts);
	}
	store_close(st);
	return status;
}
