/* presence-fcgi: the FastCGI responder that serves the presence API. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "auth.h"
#include "deliver.h"
#include "error.h"
#include "guid.h"
#include "handler.h"
#include "log.h"
#include "outbound.h"
#include "policy.h"
#include "store.h"
#include "token.h"
#include "watch.h"
#include "worker.h"

#define LISTEN_BACKLOG	128

/* Exit statuses, as --help and README list them. */
#define EXIT_FAILURE_RUN	1	/* cannot start or go on serving */
#define EXIT_USAGE		2	/* a bad option or environment value */
#define EXIT_DAMAGED		3	/* data.mdb is damaged: restore it */

/* The settings that are not the store's. */
struct options {
	size_t		 max_body;
	const char	*base;
	const char	*listen;
	unsigned	 threads;
	unsigned	 read_timeout;	/* seconds */
	const char	*auth;		/* the mode's name, or NULL */
	const char	*remote_user_scopes;
	int		 trust_forwarded_proto;
	const char	*notify_allow;	/* the allow-list's text, or NULL */
	const char	*tenant_id;
};

enum {
	OPT_MAX_BODY = 256,
	OPT_BASE,
	OPT_LISTEN,
	OPT_AUTH,
	OPT_THREADS,
	OPT_REMOTE_USER_SCOPES,
	OPT_READ_TIMEOUT,
	OPT_TRUST_FORWARDED_PROTO,
	OPT_NOTIFY_ALLOW,
	OPT_TENANT_ID,
	OPT_STORE,	/* any of the store's keys: the option's name is the key */
};

static const struct option long_options[] = {
	{ "db",			required_argument,	NULL,	OPT_STORE },
	{ "map-size",		required_argument,	NULL,	OPT_STORE },
	{ "map-max",		required_argument,	NULL,	OPT_STORE },
	{ "max-readers",	required_argument,	NULL,	OPT_STORE },
	{ "durability",		required_argument,	NULL,	OPT_STORE },
	{ "value-mode",		required_argument,	NULL,	OPT_STORE },
	{ "max-body",		required_argument,	NULL,	OPT_MAX_BODY },
	{ "base",		required_argument,	NULL,	OPT_BASE },
	{ "listen",		required_argument,	NULL,	OPT_LISTEN },
	{ "threads",		required_argument,	NULL,	OPT_THREADS },
	{ "auth",		required_argument,	NULL,	OPT_AUTH },
	{ "remote-user-scopes",	required_argument,	NULL,
	    OPT_REMOTE_USER_SCOPES },
	{ "read-timeout",	required_argument,	NULL,	OPT_READ_TIMEOUT },
	{ "trust-forwarded-proto", no_argument,		NULL,
	    OPT_TRUST_FORWARDED_PROTO },
	{ "notify-allow",	required_argument,	NULL,	OPT_NOTIFY_ALLOW },
	{ "notify-backlog",	required_argument,	NULL,	OPT_STORE },
	{ "tenant-id",		required_argument,	NULL,	OPT_TENANT_ID },
	{ "help",		no_argument,		NULL,	'h' },
	{ "version",		no_argument,		NULL,	'V' },
	{ NULL,			0,			NULL,	0 }
};

/* What --help says about each option, in long_options' order. */
static const struct {
	const char	*arg;
	const char	*env;
	const char	*text;
} option_help[] = {
	{ "PATH", "PRESENCE_DB", "database environment directory" },
	{ "SIZE", "PRESENCE_MAP_SIZE", "initial map size (suffix K, M, G or T)" },
	{ "SIZE", "PRESENCE_MAP_MAX", "largest size the map may grow to" },
	{ "N", "PRESENCE_MAX_READERS", "reader slots shared by all processes" },
	{ "MODE", "PRESENCE_DURABILITY", "durable (default) or nosync" },
	{ "MODE", "PRESENCE_VALUE_MODE", "any (default) or graph" },
	{ "BYTES", "PRESENCE_MAX_BODY",
	    "largest request body, suffix K or M (default 65536)" },
	{ "PREFIX", "PRESENCE_BASE",
	    "mount prefix to strip (default: from the CGI variables)" },
	{ "PATH", "PRESENCE_LISTEN",
	    "bind a Unix socket (mode 0660) instead of using fd 0" },
	{ "N", "PRESENCE_THREADS",
	    "threads serving requests (default 16; 1 under mod_fcgid)" },
	{ "MODE", "PRESENCE_AUTH", "tokens (default), remote-user or none" },
	{ "LIST", "PRESENCE_REMOTE_USER_SCOPES",
	    "scopes every REMOTE_USER is granted" },
	{ "SECONDS", "PRESENCE_READ_TIMEOUT",
	    "close a connection stalled this long (default 30)" },
	{ NULL, "PRESENCE_TRUST_FORWARDED_PROTO",
	    "believe X-Forwarded-Proto: https (set to 1 behind a TLS proxy)" },
	{ "LIST", "PRESENCE_NOTIFY_ALLOW",
	    "where notifications may go (default: public https hosts)" },
	{ "N", "PRESENCE_NOTIFY_BACKLOG",
	    "notifications waiting per subscription (default 1000)" },
	{ "GUID", "PRESENCE_TENANT_ID",
	    "tenantId of notifications (default the nil GUID)" },
	{ NULL, NULL, "show this help and exit" },
	{ NULL, NULL, "show the version and exit" },
};

/*
 * The lines a fault in the mapped database writes, one per signal, made
 * before the handler is installed: a handler may only write them.
 */
static char	fatal_bus[PATH_MAX + 256], fatal_segv[PATH_MAX + 256];
static size_t	fatal_bus_len, fatal_segv_len;

/*
 * SIGBUS or SIGSEGV: a read of data.mdb past its end (a file cut short
 * under the running process) or of a scribbled page below the roots the
 * open checked.  Say so, naming the database, then die of the same
 * signal with its default action (SA_RESETHAND put it back), so the web
 * server, systemd and core dumps still see the real cause.  Only write
 * and raise: async-signal-safe.
 */
static void
fatal_on_signal(int sig)
{
	if (write(STDERR_FILENO, sig == SIGBUS ? fatal_bus : fatal_segv,
	    sig == SIGBUS ? fatal_bus_len : fatal_segv_len) < 0) {
		/* nothing more can be said */
	}
	raise(sig);
}

/* Write the fault line for signal name into buf; its length. */
static size_t
fatal_line(char *buf, size_t size, const char *name, const char *path)
{
	int	n;

	n = snprintf(buf, size, "%spresence-fcgi: fatal signal %s reading "
	    "database '%s': data.mdb is damaged or was cut short; restore it "
	    "from a complete copy (see README, Backup)\n",
	    log_priority_prefix(LOG_PRIO_ERROR), name, path);
	if (n < 0)
		return 0;
	if ((size_t)n < size)
		return (size_t)n;
	buf[size - 2] = '\n';	/* a path too long to open anyway */
	return size - 1;
}

/* Make the fault lines for the database at path, then catch the faults. */
static int
fatal_signals_setup(const char *path)
{
	struct sigaction	 sa;

	fatal_bus_len = fatal_line(fatal_bus, sizeof fatal_bus, "SIGBUS",
	    path);
	fatal_segv_len = fatal_line(fatal_segv, sizeof fatal_segv, "SIGSEGV",
	    path);
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = fatal_on_signal;
	sa.sa_flags = SA_RESETHAND;
	if (sigaction(SIGBUS, &sa, NULL) != 0 ||
	    sigaction(SIGSEGV, &sa, NULL) != 0)
		return -1;
	return 0;
}

/* Print the usage, each option with its environment variable. */
static void
usage(FILE *out)
{
	char	 left[64];
	size_t	 i;

	fprintf(out, "usage: presence-fcgi [option ...]\n"
	    "Serve the presence API over FastCGI: on the listening socket "
	    "on fd 0,\nor on a Unix socket of its own with --listen.\n\n");
	for (i = 0; long_options[i].name != NULL; i++) {
		snprintf(left, sizeof left, "--%s%s%s", long_options[i].name,
		    option_help[i].arg != NULL ? " " : "",
		    option_help[i].arg != NULL ? option_help[i].arg : "");
		fprintf(out, "  %-26s %s\n", left, option_help[i].text);
		if (option_help[i].env != NULL)
			fprintf(out, "  %-26s (environment: %s)\n", "",
			    option_help[i].env);
	}
	fprintf(out, "\nOptions override the environment.\n\n"
	    "Exit status: 0 after SIGTERM; 1 when it cannot start or go on "
	    "serving (the\ndatabase cannot be opened, a fatal database "
	    "failure); 2 for a bad option or\nenvironment value; 3 when "
	    "data.mdb is damaged or incomplete (restore a\ncomplete copy).\n");
}

/* Parse a byte count with an optional K or M suffix, 1..the body limit. */
static int
parse_bytes(const char *s, size_t *out)
{
	unsigned long long	 n;
	char			*end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0 || n > HANDLER_MAX_BODY_LIMIT)
		return -1;
	if (*end == 'K' || *end == 'k') {
		n *= 1024;
		end++;
	} else if (*end == 'M' || *end == 'm') {
		n *= 1024 * 1024;
		end++;
	}
	if (*end != '\0' || n == 0 || n > HANDLER_MAX_BODY_LIMIT)
		return -1;
	*out = (size_t)n;
	return 0;
}

/* Parse a whole number from 1 to max (a count, or seconds); 0 or -1. */
static int
parse_count(const char *s, unsigned long max, unsigned *out)
{
	unsigned long	 v;
	char		*end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* Apply the environment: the store's variables and our own. */
static void
options_env(struct options *opt, struct store_config *cfg)
{
	const char	*bad = NULL, *v;

	if (store_config_env(cfg, &bad) != 0)
		log_die(2, "invalid value in environment variable '%s'",
		    bad != NULL ? bad : "PRESENCE_*");
	if ((v = getenv("PRESENCE_MAX_BODY")) != NULL && *v != '\0' &&
	    parse_bytes(v, &opt->max_body) != 0)
		log_die(2, "invalid value in environment variable '%s'",
		    "PRESENCE_MAX_BODY");
	if ((v = getenv("PRESENCE_BASE")) != NULL && *v != '\0')
		opt->base = v;
	if ((v = getenv("PRESENCE_LISTEN")) != NULL && *v != '\0')
		opt->listen = v;
	if ((v = getenv("PRESENCE_AUTH")) != NULL && *v != '\0')
		opt->auth = v;
	if ((v = getenv("PRESENCE_THREADS")) != NULL && *v != '\0' &&
	    parse_count(v, WORKER_THREADS_MAX, &opt->threads) != 0)
		log_die(2, "invalid value in environment variable '%s'",
		    "PRESENCE_THREADS");
	if ((v = getenv("PRESENCE_REMOTE_USER_SCOPES")) != NULL && *v != '\0')
		opt->remote_user_scopes = v;
	if ((v = getenv("PRESENCE_READ_TIMEOUT")) != NULL && *v != '\0' &&
	    parse_count(v, WATCH_TIMEOUT_MAX, &opt->read_timeout) != 0)
		log_die(2, "invalid value in environment variable '%s'",
		    "PRESENCE_READ_TIMEOUT");
	if ((v = getenv("PRESENCE_NOTIFY_ALLOW")) != NULL && *v != '\0')
		opt->notify_allow = v;
	if ((v = getenv("PRESENCE_TENANT_ID")) != NULL && *v != '\0')
		opt->tenant_id = v;
	if ((v = getenv("PRESENCE_TRUST_FORWARDED_PROTO")) != NULL &&
	    *v != '\0') {
		if (strcmp(v, "1") == 0)
			opt->trust_forwarded_proto = 1;
		else if (strcmp(v, "0") != 0)
			log_die(2, "invalid value in environment variable "
			    "'%s'", "PRESENCE_TRUST_FORWARDED_PROTO");
	}
}

/* Apply the command line over the environment. */
static void
options_argv(struct options *opt, struct store_config *cfg, int argc,
    char **argv)
{
	int	 c, index;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", long_options,
	    &index)) != -1) {
		switch (c) {
		case OPT_STORE:
			if (store_config_set(cfg, long_options[index].name,
			    optarg) != 0)
				log_die(2, "invalid value for --%s: '%s'",
				    long_options[index].name, optarg);
			break;
		case OPT_MAX_BODY:
			if (parse_bytes(optarg, &opt->max_body) != 0)
				log_die(2, "invalid value for --max-body: '%s'",
				    optarg);
			break;
		case OPT_BASE:
			opt->base = optarg;
			break;
		case OPT_LISTEN:
			opt->listen = optarg;
			break;
		case OPT_AUTH:
			opt->auth = optarg;
			break;
		case OPT_THREADS:
			if (parse_count(optarg, WORKER_THREADS_MAX,
			    &opt->threads) != 0)
				log_die(2, "invalid value for --threads: '%s'",
				    optarg);
			break;
		case OPT_REMOTE_USER_SCOPES:
			opt->remote_user_scopes = optarg;
			break;
		case OPT_READ_TIMEOUT:
			if (parse_count(optarg, WATCH_TIMEOUT_MAX,
			    &opt->read_timeout) != 0)
				log_die(2, "invalid value for --read-timeout: "
				    "'%s'", optarg);
			break;
		case OPT_TRUST_FORWARDED_PROTO:
			opt->trust_forwarded_proto = 1;
			break;
		case OPT_NOTIFY_ALLOW:
			opt->notify_allow = optarg;
			break;
		case OPT_TENANT_ID:
			opt->tenant_id = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("presence-fcgi %s\n", PACKAGE_VERSION);
			exit(0);
		case ':':
			log_die(2, "option '%s' needs a value", argv[optind - 1]);
		default:
			log_die(2, "unknown option '%s': see --help",
			    argv[optind - 1]);
		}
	}
	if (optind != argc)
		log_die(2, "unexpected argument '%s'", argv[optind]);
}

/*
 * Settle how callers are authenticated: the mode, and in remote-user mode
 * the scopes its users get (required there).  none is said loudly.
 */
static void
auth_setup(const struct options *opt, struct auth_config *auth)
{
	struct fault		 fault;
	const char		*mode = opt->auth != NULL ? opt->auth : "tokens";

	memset(auth, 0, sizeof *auth);
	if (auth_mode_parse(mode, &auth->mode) != 0)
		log_die(2, "invalid value for --auth: '%s' (tokens, remote-user or "
		    "none)", mode);
	if (opt->remote_user_scopes != NULL) {
		memset(&fault, 0, sizeof fault);
		if (token_scopes_parse(opt->remote_user_scopes,
		    &auth->remote_user_scopes, &fault) != 0)
			log_die(2, "invalid value for --remote-user-scopes: '%s': %s",
			    opt->remote_user_scopes, fault.message);
	}
	if (auth->mode == AUTH_REMOTE_USER && auth->remote_user_scopes == 0)
		log_die(2, "--auth remote-user needs --remote-user-scopes LIST "
		    "(or PRESENCE_REMOTE_USER_SCOPES)");
	if (auth->mode == AUTH_NONE)
		log_at(LOG_PRIO_WARNING, "warning: authentication is off "
		    "(--auth none): anyone who can reach this responder may "
		    "read, create and delete every presence; use it for local "
		    "development only");
}

/*
 * Settle where notifications go and what tenant they name; the tenant id
 * is kept in canonical form in tenant.
 */
static void
notify_setup(const struct options *opt, struct notify_policy *pol,
    char tenant[GUID_LEN + 1])
{
	char	why[POLICY_WHY_MAX];

	if (policy_parse(opt->notify_allow, pol, why) != 0)
		log_die(2, "invalid value for --notify-allow: '%s': %s",
		    opt->notify_allow, why);
	snprintf(tenant, GUID_LEN + 1, "%s", DELIVER_TENANT_DEFAULT);
	if (opt->tenant_id != NULL && guid_parse(opt->tenant_id,
	    strlen(opt->tenant_id), tenant) != 0)
		log_die(2, "invalid value for --tenant-id: '%s' (a GUID)",
		    opt->tenant_id);
	if (outbound_init() != 0)
		log_die(1, "cannot initialise libcurl");
}

/*
 * Log a backlog bound this open changed in the database: it holds for
 * every process from now on, those started before with another included.
 */
static void
backlog_note(const struct store *st)
{
	uint64_t	found, bound = store_notify_backlog(st, &found);

	if (found != 0 && found != bound)
		log_at(LOG_PRIO_WARNING, "notify-backlog: the database's "
		    "bound changes from %llu to %llu, for every process",
		    (unsigned long long)found, (unsigned long long)bound);
}

/* Bind and listen on a Unix socket at path, mode 0660 from the start. */
static int
listen_unix(const char *path)
{
	struct sockaddr_un	 sun;
	struct stat		 sb;
	mode_t			 mask;
	int			 fd, rc;

	if (strlen(path) >= sizeof sun.sun_path)
		log_die(1, "socket path '%s' is too long", path);
	if (lstat(path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode))
			log_die(1, "cannot listen on '%s': not a socket", path);
		if (unlink(path) != 0)
			log_die(1, "cannot remove '%s': %s", path, strerror(errno));
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		log_die(1, "cannot make a socket: %s", strerror(errno));
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	mask = umask(0117);
	rc = bind(fd, (struct sockaddr *)&sun, sizeof sun);
	umask(mask);
	if (rc != 0)
		log_die(1, "cannot bind '%s': %s", path, strerror(errno));
	if (chmod(path, 0660) != 0)
		log_die(1, "cannot set the mode of '%s': %s", path, strerror(errno));
	if (listen(fd, LISTEN_BACKLOG) != 0)
		log_die(1, "cannot listen on '%s': %s", path, strerror(errno));
	return fd;
}

/*
 * The listening socket: our own with --listen, else fd 0 from the web
 * server or spawner.  It is made non-blocking so that a process sharing
 * it with others never sleeps in accept() where a signal cannot end it.
 */
static int
listener_open(const char *path)
{
	socklen_t	 len;
	int		 fd = 0, on = 0, flags;

	if (path != NULL)
		fd = listen_unix(path);
	else {
		len = sizeof on;
		if (getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) != 0 ||
		    !on)
			log_die(2, "standard input is not a listening socket: start "
			    "from a web server or spawner, or use --listen PATH");
	}
	if ((flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		log_die(1, "cannot make the listening socket non-blocking: %s",
		    strerror(errno));
	return fd;
}

/* Parse the settings, open the store and the socket, and serve. */
int
main(int argc, char **argv)
{
	struct options		 opt;
	struct store_config	 cfg;
	struct store		*st = NULL;
	struct app		 app;
	struct notify_policy	 pol;
	struct deliverer	*deliverer = NULL;
	char			 tenant[GUID_LEN + 1];
	int			 listen_fd, err, rc;

	log_init();
	memset(&opt, 0, sizeof opt);
	opt.max_body = HANDLER_MAX_BODY_DEFAULT;
	opt.threads = WORKER_THREADS_DEFAULT;
	opt.read_timeout = WATCH_TIMEOUT_DEFAULT;
	store_config_init(&cfg);
	options_env(&opt, &cfg);
	options_argv(&opt, &cfg, argc, argv);
	memset(&app, 0, sizeof app);
	auth_setup(&opt, &app.auth);
	notify_setup(&opt, &pol, tenant);
	if (worker_signals_setup() != 0 || fatal_signals_setup(cfg.path) != 0)
		log_die(1, "cannot set up signal handling: %s", strerror(errno));
	if ((err = store_open(&st, &cfg)) != 0) {
		if (store_error_is_damage(err))
			log_die(EXIT_DAMAGED, "cannot open database '%s': %s; "
			    "refusing to serve it: restore data.mdb from a "
			    "complete copy (see README, Backup)", cfg.path,
			    store_strerror(err));
		log_die(EXIT_FAILURE_RUN, "cannot open database '%s': %s",
		    cfg.path, store_strerror(err));
	}
	if (FCGX_Init() != 0)
		log_die(1, "cannot initialise libfcgi");
	listen_fd = listener_open(opt.listen);
	if (store_created(st))
		log_at(LOG_PRIO_INFO, "created a new, empty database in '%s' "
		    "(no data.mdb, or an empty one, was there)", cfg.path);
	backlog_note(st);
	app.store = st;
	app.max_body = opt.max_body;
	app.base = opt.base != NULL && *opt.base != '\0' ? opt.base : NULL;
	if (opt.trust_forwarded_proto)
		app.request_flags |= REQUEST_TRUST_FORWARDED_PROTO;
	app.notify = &pol;
	if (deliver_start(&deliverer, st, &pol, tenant) != 0)
		log_die(1, "cannot start delivering notifications: %s",
		    strerror(errno));
	rc = worker_run(&app, listen_fd, opt.threads, opt.read_timeout);
	deliver_stop(deliverer);
	store_close(st);
	policy_release(&pol);
	if (opt.listen != NULL) {
		close(listen_fd);
		unlink(opt.listen);
	}
	return rc;
}
