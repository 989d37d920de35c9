/*
 * Tests of the real presence-fcgi over a socket, spoken to with a small
 * FastCGI client: the libfcgi adapter, the body limit, signals, options,
 * read deadlines, and bearer tokens issued and revoked by this process
 * (another process than the responder's) on the shared database.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fcgiclient.h"
#include "store.h"
#include "tap.h"
#include "tmpdir.h"

#ifndef PRESENCE_FCGI
#error "PRESENCE_FCGI must name the presence-fcgi binary"
#endif

#define FOUNDING							\
	"{\n"								\
	"  \"@odata.type\": \"#microsoft.graph.presence\",\n"		\
	"  \"availability\": \"Availability value\",\n"			\
	"  \"activity\": \"Activity value\"\n"				\
	"}\n"

#define REPLY_MAX	65536
#define WAKEUP_REQUESTS	50	/* sequential requests the wakeup test sends */
#define WAIT_MS		5000

static char	 tmp[PATH_MAX];
static pid_t	 children[16];
static size_t	 nchildren;

/* The HTTP_AUTHORIZATION parameter every request sends. */
static char	 auth[64 + TOKEN_SECRET_LEN];

/* Open the store at db in this process, or bail out. */
static struct store *
db_open(const char *db)
{
	struct store_config	 cfg;
	struct store		*st;
	int			 err;

	store_config_init(&cfg);
	cfg.path = db;
	if ((err = store_open(&st, &cfg)) != 0)
		tap_bail("cannot open '%s': %s", db, store_strerror(err));
	return st;
}

/*
 * Issue a Presence.ReadWrite.All token named name into the database at
 * db and write its HTTP_AUTHORIZATION parameter into out.
 */
static void
issue(const char *db, const char *name, char out[64 + TOKEN_SECRET_LEN])
{
	struct fault		 fault;
	struct token		 t;
	struct store		*st = db_open(db);
	char			 secret[TOKEN_SECRET_LEN + 1];

	memset(&t, 0, sizeof t);
	snprintf(t.name, sizeof t.name, "%s", name);
	t.scopes = TOKEN_SCOPE_READWRITE_ALL;
	if (store_token_issue(st, &t, secret, &fault) != 0)
		tap_bail("cannot issue a token into '%s'", db);
	store_close(st);
	snprintf(out, 64 + TOKEN_SECRET_LEN, "HTTP_AUTHORIZATION=Bearer %s",
	    secret);
}

/* Sleep for a few milliseconds between polls. */
static void
nap(void)
{
	struct timespec	 ts = { 0, 10 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* Write tmp/name into out, which holds size bytes. */
static void
tmp_path(char *out, size_t size, const char *name)
{
	int	 n = snprintf(out, size, "%s/%s", tmp, name);

	if (n < 0 || (size_t)n >= size)
		tap_bail("path too long: %s/%s", tmp, name);
}

/* Kill every responder still running, by PID. */
static void
kill_children(void)
{
	size_t	 i;

	for (i = 0; i < nchildren; i++) {
		if (children[i] > 0) {
			kill(children[i], SIGKILL);
			waitpid(children[i], NULL, 0);
		}
	}
	nchildren = 0;
}

/* Wait up to ms for pid to exit; its wait status, or -1 if it did not. */
static int
wait_exit(pid_t pid, long long ms)
{
	long long	 end = fc_now_ms() + ms;
	size_t		 i;
	int		 status;

	do {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			for (i = 0; i < nchildren; i++)
				if (children[i] == pid)
					children[i] = 0;
			return status;
		}
		nap();
	} while (fc_now_ms() < end);
	return -1;
}

/*
 * Start presence-fcgi with argv (NULL-terminated, argv[0] ignored), with
 * fd 0 from stdin_fd (or /dev/null when -1), stdout and stderr into the
 * file log, and the environment variables in env ("NAME=value", NULL-ended).
 */
static pid_t
start(char *const argv[], int stdin_fd, const char *log, char *const env[])
{
	pid_t	 pid;
	int	 fd;
	size_t	 i;

	if ((pid = fork()) < 0)
		tap_bail("cannot fork: %s", strerror(errno));
	if (pid > 0) {
		if (nchildren < sizeof children / sizeof children[0])
			children[nchildren++] = pid;
		return pid;
	}
	if (stdin_fd < 0)
		stdin_fd = open("/dev/null", O_RDONLY);
	if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0 ||
	    dup2(stdin_fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		_exit(127);
	for (i = 0; env != NULL && env[i] != NULL; i++)
		putenv(env[i]);
	execv(PRESENCE_FCGI, argv);
	_exit(127);
}

/* Connect to path, retrying while the responder starts; the fd or -1. */
static int
connect_wait(const char *path)
{
	long long	 end = fc_now_ms() + WAIT_MS;
	int		 fd;

	do {
		if ((fd = fc_connect(path)) >= 0)
			return fd;
		nap();
	} while (fc_now_ms() < end);
	return -1;
}

/* Send body as stdin in pieces of at most piece bytes, then its end. */
static int
put_body(int fd, const char *body, size_t piece)
{
	size_t	 len = strlen(body), n;

	while (len > 0) {
		n = len < piece ? len : piece;
		if (fc_put_record(fd, FC_STDIN, body, n) != 0)
			return -1;
		body += n;
		len -= n;
	}
	return fc_put_record(fd, FC_STDIN, NULL, 0);
}

/*
 * Read a reply (fc_get_reply) and put its stdout text back together in out,
 * NUL-terminated and cut at REPLY_MAX; 0 or -1.
 */
static int
get_reply(int fd, char out[REPLY_MAX])
{
	struct fc_reply	 r;

	out[0] = '\0';
	if (fc_get_reply(fd, fc_now_ms() + WAIT_MS, &r) != 0)
		return -1;
	snprintf(out, REPLY_MAX, "%s\r\n\r\n%.*s", r.head, (int)r.body_len,
	    r.body);
	fc_reply_release(&r);
	return 0;
}

/* One whole request on a new connection; the reply's status or -1. */
static int
exchange(const char *sock, const char *const params[], const char *body,
    char out[REPLY_MAX])
{
	int	 fd, status = -1;

	if ((fd = connect_wait(sock)) < 0)
		return -1;
	if (fc_put_head(fd, params) == 0 &&
	    put_body(fd, body != NULL ? body : "", 7) == 0 &&
	    get_reply(fd, out) == 0)
		sscanf(out, "Status: %d", &status);
	close(fd);
	return status;
}

/* The number of sockets pid has open (its listener, plus connections). */
static int
count_sockets(pid_t pid)
{
	char		 dir[64], path[PATH_MAX], link[64];
	struct dirent	*de;
	DIR		*d;
	ssize_t		 n;
	int		 count = 0;

	snprintf(dir, sizeof dir, "/proc/%ld/fd", (long)pid);
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		n = readlink(path, link, sizeof link - 1);
		if (n > 0) {
			link[n] = '\0';
			count += strncmp(link, "socket:", 7) == 0;
		}
	}
	closedir(d);
	return count;
}

/* The voluntary context switches of every thread of pid, summed, or -1. */
static long
context_switches(pid_t pid)
{
	char		 dir[64], path[PATH_MAX], line[128];
	struct dirent	*de;
	DIR		*d;
	FILE		*f;
	long		 sum = 0, n;

	snprintf(dir, sizeof dir, "/proc/%ld/task", (long)pid);
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s/status", dir, de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;	/* the thread is gone */
		while (fgets(line, sizeof line, f) != NULL)
			if (sscanf(line, "voluntary_ctxt_switches: %ld", &n) == 1)
				sum += n;
		fclose(f);
	}
	closedir(d);
	return sum;
}

/*
 * With the default 16 threads waiting, a connection wakes one of them: were
 * every waiting thread woken to find nothing to accept, each request would
 * cost 15 context switches or more.
 */
static void
test_wakeups(pid_t pid, const char *sock)
{
	const char *const get[] = { "REQUEST_METHOD=GET",
	    "SCRIPT_NAME=/communications/presences", auth, NULL };
	char		 out[REPLY_MAX];
	long		 before, after;
	int		 i, served = 0;

	before = context_switches(pid);
	for (i = 0; i < WAKEUP_REQUESTS; i++)
		served += exchange(sock, get, NULL, out) == 200;
	after = context_switches(pid);
	is_int(served, WAKEUP_REQUESTS, "%d requests one after another",
	    WAKEUP_REQUESTS);
	ok(before >= 0 && after >= before &&
	    after - before < WAKEUP_REQUESTS * 8,
	    "they cost %ld context switches in the responder, under %d",
	    after - before, WAKEUP_REQUESTS * 8);
}

/* Run presence-fcgi to completion with argv; its wait status, output in out. */
static int
run(char *const argv[], char out[REPLY_MAX])
{
	char	 log[PATH_MAX];
	pid_t	 pid;
	int	 fd, status;
	ssize_t	 n;

	tmp_path(log, sizeof log, "run.log");
	unlink(log);
	pid = start(argv, -1, log, NULL);
	if ((status = wait_exit(pid, WAIT_MS)) == -1)
		return -1;
	out[0] = '\0';
	if ((fd = open(log, O_RDONLY)) >= 0) {
		n = read(fd, out, REPLY_MAX - 1);
		out[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	return status;
}

/* --help, --version, bad options, and no socket on fd 0. */
static void
test_command_line(void)
{
	static const char *const words[] = { "--db", "PRESENCE_DB",
	    "--map-size", "PRESENCE_MAP_SIZE", "--map-max", "PRESENCE_MAP_MAX",
	    "--durability", "PRESENCE_DURABILITY", "--value-mode",
	    "PRESENCE_VALUE_MODE", "--max-body", "PRESENCE_MAX_BODY",
	    "--base", "PRESENCE_BASE", "--listen", "PRESENCE_LISTEN",
	    "--auth", "PRESENCE_AUTH", "--remote-user-scopes",
	    "PRESENCE_REMOTE_USER_SCOPES", "--read-timeout",
	    "PRESENCE_READ_TIMEOUT", "--help", "--version", NULL };
	char *help[] = { "presence-fcgi", "--help", NULL };
	char *version[] = { "presence-fcgi", "--version", NULL };
	char *bad[] = { "presence-fcgi", "--no-such-option", NULL };
	char *body[] = { "presence-fcgi", "--max-body", "lots", NULL };
	char *read_timeout[] = { "presence-fcgi", "--read-timeout", "0", NULL };
	char		 out[REPLY_MAX], db[PATH_MAX + 8];
	char		*nosock[] = { "presence-fcgi", "--db", db, NULL };
	char *auth_bad[] = { "presence-fcgi", "--auth", "token", NULL };
	char *remote_bare[] = { "presence-fcgi", "--auth", "remote-user",
	    NULL };
	char *scopes_bad[] = { "presence-fcgi", "--auth", "remote-user",
	    "--remote-user-scopes", "Presence.Write", NULL };
	char *none[] = { "presence-fcgi", "--db", db, "--auth", "none",
	    NULL };
	size_t		 i;
	int		 status;

	status = run(help, out);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "--help exits 0");
	for (i = 0; words[i] != NULL; i++)
		ok(strstr(out, words[i]) != NULL, "--help names %s", words[i]);
	status = run(version, out);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "--version exits 0");
	is_str(out, "presence-fcgi " PACKAGE_VERSION "\n", "--version output");
	status = run(bad, out);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 2,
	    "an unknown option exits 2");
	status = run(body, out);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 2,
	    "a bad --max-body exits 2");
	is_str(out, "presence-fcgi: invalid value for --max-body: 'lots'\n",
	    "a bad --max-body: one line naming it");
	status = run(read_timeout, out);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 2 &&
	    strstr(out, "--read-timeout: '0'") != NULL,
	    "--read-timeout 0 exits 2, naming it: %s", out);
	tmp_path(db, sizeof db, "nosock");
	mkdir(db, 0700);
	status = run(nosock, out);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 2,
	    "no listening socket on fd 0: exits 2");
	ok(strncmp(out, "presence-fcgi: standard input is not a listening "
	    "socket", 55) == 0 && strchr(out, '\n') == out + strlen(out) - 1,
	    "no listening socket on fd 0: one line: %s", out);

	status = run(auth_bad, out);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 2 &&
	    strstr(out, "--auth: 'token'") != NULL,
	    "an unknown --auth mode exits 2, naming it: %s", out);
	status = run(remote_bare, out);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 2 &&
	    strstr(out, "--remote-user-scopes") != NULL,
	    "--auth remote-user without scopes exits 2: %s", out);
	status = run(scopes_bad, out);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 2 &&
	    strstr(out, "'Presence.Write'") != NULL,
	    "an unknown scope in --remote-user-scopes exits 2: %s", out);
	status = run(none, out);
	ok(strncmp(out, "presence-fcgi: warning: authentication is off "
	    "(--auth none)", 58) == 0,
	    "--auth none warns at start, first thing: %s", out);
}

/* Send params and no body at all; the reply's status, or -1 if none came. */
static int
exchange_no_body(const char *sock, const char *const params[],
    char out[REPLY_MAX])
{
	int	 fd, status = -1;

	if ((fd = connect_wait(sock)) < 0)
		return -1;
	if (fc_put_head(fd, params) == 0 && get_reply(fd, out) == 0)
		sscanf(out, "Status: %d", &status);
	close(fd);
	return status;
}

/* Requests through libfcgi: the Status line, headers, bodies, 413. */
static void
test_requests(const char *sock)
{
	char		 length[64];
	const char *const post[] = { "REQUEST_METHOD=POST",
	    "SCRIPT_NAME=/graph", "PATH_INFO=/v1.0/communications/presences",
	    "CONTENT_TYPE=application/json", length,
	    "HTTP_HOST=presence.test", auth, NULL };
	const char *const big[] = { "REQUEST_METHOD=POST",
	    "PATH_INFO=/communications/presences",
	    "CONTENT_TYPE=application/json", "CONTENT_LENGTH=100000", auth,
	    NULL };
	const char *const anonymous[] = { "REQUEST_METHOD=POST",
	    "PATH_INFO=/communications/presences",
	    "CONTENT_TYPE=application/json", "CONTENT_LENGTH=100", NULL };
	char		 out[REPLY_MAX];
	const char	*body;

	snprintf(length, sizeof length, "CONTENT_LENGTH=%zu", strlen(FOUNDING));
	is_int(exchange(sock, post, FOUNDING, out), 201,
	    "POST the founding example in 7-byte records: 201");
	ok(strncmp(out, "Status: 201 Created\r\n", 21) == 0,
	    "the reply starts with the Status line");
	ok(strstr(out, "\r\nContent-Type: application/json\r\n") != NULL,
	    "Content-Type: application/json");
	ok(strstr(out, "\r\nLocation: http://presence.test/graph/v1.0/"
	    "communications/presences/") != NULL, "Location under the mount");
	body = strstr(out, "\r\n\r\n");
	ok(body != NULL && strncmp(body + 4, "{\"@odata.type\":\"#microsoft."
	    "graph.presence\",\"id\":\"", 45) == 0,
	    "a blank line, then the presence");

	/* The body is never sent: an answer proves it was not waited for. */
	is_int(exchange_no_body(sock, big, out), 413,
	    "413 answered without reading the body");
	ok(strncmp(out, "Status: 413 Content Too Large\r\n", 31) == 0,
	    "413: the Status line");
	ok(strstr(out, "\"code\":\"requestTooLarge\"") != NULL,
	    "413: requestTooLarge");

	is_int(exchange_no_body(sock, anonymous, out), 401,
	    "401 answered without reading the body");
	ok(strstr(out, "\r\nWWW-Authenticate: Bearer realm=\"presence\"\r\n")
	    != NULL, "401: WWW-Authenticate");
	ok(strstr(out, "\"code\":\"InvalidAuthenticationToken\"") != NULL,
	    "401: InvalidAuthenticationToken");
}

/*
 * A token revoked by another process (this one) is refused by the
 * responder already running, on its very next request.
 */
static void
test_revoke(const char *sock, const char *db)
{
	char		 token[64 + TOKEN_SECRET_LEN], out[REPLY_MAX];
	const char *const get[] = { "REQUEST_METHOD=GET",
	    "PATH_INFO=/communications/presences", token, NULL };
	const char *const get_kept[] = { "REQUEST_METHOD=GET",
	    "PATH_INFO=/communications/presences", auth, NULL };
	struct store	*st;

	issue(db, "revoked-while-running", token);
	is_int(exchange(sock, get, NULL, out), 200,
	    "a token issued while the responder runs is taken");
	st = db_open(db);
	is_int(store_token_revoke(st, "revoked-while-running"), 0,
	    "revoke it from another process");
	store_close(st);
	is_int(exchange(sock, get, NULL, out), 401,
	    "the running responder refuses it on the next request");
	ok(strstr(out, "error=\"invalid_token\"") != NULL,
	    "with error=\"invalid_token\"");
	ok(strstr(out, token + 26) == NULL, "the reply holds no secret");
	is_int(exchange(sock, get_kept, NULL, out), 200,
	    "the other token still works");
}

/* SIGTERM while a request is in hand: it is answered, then exit 0. */
static void
test_term_in_hand(pid_t pid, const char *sock)
{
	char		 length[64];
	const char *const post[] = { "REQUEST_METHOD=POST",
	    "PATH_INFO=/communications/presences",
	    "CONTENT_TYPE=application/json", length, auth, NULL };
	char		 out[REPLY_MAX];
	long long	 end;
	int		 fd, status, accepted = 0, idle = 0;

	snprintf(length, sizeof length, "CONTENT_LENGTH=%zu", strlen(FOUNDING));
	for (end = fc_now_ms() + WAIT_MS; fc_now_ms() < end && !idle; nap())
		idle = count_sockets(pid) == 1;
	ok(idle, "the responder is idle: only its listener is open");
	if ((fd = connect_wait(sock)) < 0 || fc_put_head(fd, post) != 0)
		tap_bail("cannot start a request on '%s'", sock);
	for (end = fc_now_ms() + WAIT_MS; fc_now_ms() < end && !accepted; nap())
		accepted = count_sockets(pid) >= 2;
	ok(accepted, "the responder accepted the connection");
	kill(pid, SIGTERM);
	ok(put_body(fd, FOUNDING, 40) == 0 && get_reply(fd, out) == 0,
	    "the request in hand is answered after SIGTERM");
	ok(strncmp(out, "Status: 201 Created\r\n", 21) == 0,
	    "the request in hand: 201");
	close(fd);
	status = wait_exit(pid, WAIT_MS);
	ok(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "then the responder exits 0");
	ok(access(sock, F_OK) != 0, "and removes its socket");
}

/*
 * A connection the web server keeps open (nginx's fastcgi_keep_conn)
 * brings several requests; SIGTERM while it idles still stops the
 * responder at once.
 */
static void
test_keep_conn(pid_t pid, const char *sock)
{
	const char *const get[] = { "REQUEST_METHOD=GET",
	    "SCRIPT_NAME=/communications/presences",
	    "QUERY_STRING=$top=1", auth, NULL };
	const char *const post_text[] = { "REQUEST_METHOD=POST",
	    "SCRIPT_NAME=/communications/presences",
	    "CONTENT_TYPE=text/plain", "CONTENT_LENGTH=24", auth, NULL };
	char		 out[REPLY_MAX];
	struct pollfd	 pfd;
	long long	 t;
	int		 fd, i, status;

	if ((fd = connect_wait(sock)) < 0)
		tap_bail("cannot connect to '%s'", sock);
	/*
	 * A body refused unread (415) must not be taken for the next request:
	 * the responder reads it off before it finishes, so no reply comes
	 * while half of it is still on the way (one that did come would leave
	 * the rest on the connection).
	 */
	ok(fc_put_head_keep(fd, post_text, 1) == 0 &&
	    fc_put_record(fd, FC_STDIN, "{\"availability\"", 15) == 0,
	    "kept connection: half a body sent");
	pfd.fd = fd;
	pfd.events = POLLIN;
	ok(poll(&pfd, 1, 300) == 0,
	    "kept connection: no reply before the body's end");
	ok(put_body(fd, ":\"Busy\"}", 4) == 0 && get_reply(fd, out) == 0 &&
	    strncmp(out, "Status: 415 ", 12) == 0,
	    "kept connection: then the body refused unread");
	for (i = 0; i < 3; i++) {
		ok(fc_put_head_keep(fd, get, 1) == 0 && put_body(fd, "", 1) == 0 &&
		    get_reply(fd, out) == 0 &&
		    strncmp(out, "Status: 200 OK\r\n", 16) == 0,
		    "kept connection: request %d answered", i + 1);
	}
	t = fc_now_ms();
	kill(pid, SIGTERM);
	status = wait_exit(pid, 2000);
	ok(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "kept connection idle: SIGTERM exits 0 within 2 s (%lld ms)",
	    fc_now_ms() - t);
	close(fd);
}

/* A served, then idle responder exits 0 promptly on sig. */
static void
check_idle_stop(pid_t pid, const char *sock, int sig, const char *what)
{
	const char *const get[] = { "REQUEST_METHOD=GET",
	    "SCRIPT_NAME=/communications/presences", auth, NULL };
	char		 out[REPLY_MAX];
	long long	 t;
	int		 status;

	is_int(exchange(sock, get, NULL, out), 200, "%s: serves a list", what);
	t = fc_now_ms();
	kill(pid, sig);
	status = wait_exit(pid, 2000);
	ok(status != -1, "%s: exits within 2 s (%lld ms)", what, fc_now_ms() - t);
	ok(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "%s: exit status 0", what);
}

/*
 * Wait up to WAIT_MS for the responder to close fd; the milliseconds it
 * took, or -1 when it is still open.
 */
static long long
closed_after(int fd)
{
	struct pollfd	 pfd;
	long long	 start = fc_now_ms(), left;
	char		 c[512];
	ssize_t		 n;

	while ((left = start + WAIT_MS - fc_now_ms()) > 0) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		/* A reply is read past; the end of the stream is what counts. */
		if ((n = read(fd, c, sizeof c)) <= 0)
			return n < 0 && errno == EINTR ? -1 : fc_now_ms() - start;
	}
	return -1;
}

/* Wait until pid holds at least n sockets (its listener is one). */
static int
sockets_reach(pid_t pid, int n)
{
	long long	 end = fc_now_ms() + WAIT_MS;

	do {
		if (count_sockets(pid) >= n)
			return 1;
		nap();
	} while (fc_now_ms() < end);
	return 0;
}

/* Whether the file at path holds text. */
static int
log_has(const char *path, const char *text)
{
	char	 buf[REPLY_MAX];
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return strstr(buf, text) != NULL;
}

/*
 * --read-timeout 1 and one thread: a connection that sends one byte and
 * stops, and a kept connection left idle, are closed once it passes, and
 * the thread they held serves the next request.
 */
static void
test_read_timeout(const char *db)
{
	char		 sock[PATH_MAX], log[PATH_MAX], out[REPLY_MAX];
	char		*argv[] = { "presence-fcgi", "--listen", sock, "--db",
	    (char *)db, "--threads", "1", "--read-timeout", "1", NULL };
	const char *const get[] = { "REQUEST_METHOD=GET",
	    "SCRIPT_NAME=/communications/presences", auth, NULL };
	long long	 t;
	pid_t		 pid;
	int		 fd, status;

	tmp_path(sock, sizeof sock, "deadline.sock");
	tmp_path(log, sizeof log, "deadline.log");
	pid = start(argv, -1, log, NULL);
	if ((fd = connect_wait(sock)) < 0)
		tap_bail("presence-fcgi did not listen on '%s'", sock);
	ok(fc_write_all(fd, "\001", 1) == 0 && sockets_reach(pid, 2),
	    "one byte sent; the only thread took the connection");
	t = fc_now_ms();
	status = exchange(sock, get, NULL, out);
	is_int(status, 200, "the next request is served all the same (in "
	    "%lld ms)", fc_now_ms() - t);
	ok(closed_after(fd) >= 0, "the one-byte connection is closed");
	ok(log_has(log, "presence-fcgi: closed a connection that sent no "
	    "whole request within 1 s (--read-timeout)\n"),
	    "the responder logs why");
	close(fd);

	if ((fd = connect_wait(sock)) < 0)
		tap_bail("cannot connect to '%s'", sock);
	ok(fc_put_head_keep(fd, get, 1) == 0 && put_body(fd, "", 1) == 0 &&
	    get_reply(fd, out) == 0 && strncmp(out, "Status: 200 ", 12) == 0,
	    "kept connection: a request answered");
	t = fc_now_ms();
	status = exchange(sock, get, NULL, out);
	is_int(status, 200, "beside it, left idle, the next request is served "
	    "(in %lld ms)", fc_now_ms() - t);
	ok(closed_after(fd) >= 0, "the idle kept connection is closed");
	ok(!log_has(log, "idle"), "without a log line: an idle kept "
	    "connection timing out is routine");
	close(fd);
	kill(pid, SIGTERM);
	status = wait_exit(pid, WAIT_MS);
	ok(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "then SIGTERM: exit status 0");
}

/*
 * SIGTERM while a connection stalls mid-request, long before its read
 * deadline (30 s by default): the stalled read is given up after the
 * stop's grace (5 s) and the responder exits 0.
 */
static void
test_term_stalled(const char *db)
{
	char		 sock[PATH_MAX], log[PATH_MAX];
	char		*argv[] = { "presence-fcgi", "--listen", sock, "--db",
	    (char *)db, NULL };
	long long	 t;
	pid_t		 pid;
	int		 fd, status;

	tmp_path(sock, sizeof sock, "stalled.sock");
	tmp_path(log, sizeof log, "stalled.log");
	pid = start(argv, -1, log, NULL);
	if ((fd = connect_wait(sock)) < 0)
		tap_bail("presence-fcgi did not listen on '%s'", sock);
	ok(fc_write_all(fd, "\001", 1) == 0 && sockets_reach(pid, 2),
	    "a connection stalls after one byte");
	t = fc_now_ms();
	kill(pid, SIGTERM);
	status = wait_exit(pid, 2 * WAIT_MS);
	ok(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "SIGTERM beside it: exit status 0 within %d ms (%lld ms)",
	    2 * WAIT_MS, fc_now_ms() - t);
	ok(log_has(log, "presence-fcgi: closed a connection that was stalled "
	    "at the stop\n"), "the responder logs the stalled connection");
	ok(closed_after(fd) >= 0, "and it is closed");
	close(fd);
}

/* --listen: mode 0660, requests, SIGTERM in hand, and idle stops. */
static void
test_listen(void)
{
	char		 sock[PATH_MAX], db[PATH_MAX], log[PATH_MAX];
	char		 env_listen[PATH_MAX + 32], env_db[PATH_MAX + 32];
	char		*argv[] = { "presence-fcgi", "--listen", sock, "--db", db,
	    "--max-body", "1K", NULL };
	char		*bare[] = { "presence-fcgi", NULL };
	char		*env[] = { env_listen, env_db, NULL };
	struct stat	 sb;
	pid_t		 pid;
	int		 i, fd;

	tmp_path(sock, sizeof sock, "sock");
	tmp_path(db, sizeof db, "db");
	tmp_path(log, sizeof log, "responder.log");
	mkdir(db, 0700);
	issue(db, "responder-test", auth);
	pid = start(argv, -1, log, NULL);
	if ((fd = connect_wait(sock)) < 0)
		tap_bail("presence-fcgi did not listen on '%s'", sock);
	close(fd);
	ok(stat(sock, &sb) == 0 && S_ISSOCK(sb.st_mode) &&
	    (sb.st_mode & 0777) == 0660, "--listen socket has mode 0660");
	test_requests(sock);
	test_wakeups(pid, sock);
	test_revoke(sock, db);
	test_term_in_hand(pid, sock);

	snprintf(env_listen, sizeof env_listen, "PRESENCE_LISTEN=%s", sock);
	snprintf(env_db, sizeof env_db, "PRESENCE_DB=%s", db);
	for (i = 0; i < 3; i++) {
		pid = start(bare, -1, log, env);
		check_idle_stop(pid, sock, SIGTERM,
		    i == 0 ? "PRESENCE_LISTEN, SIGTERM" : "again, SIGTERM");
	}
	pid = start(bare, -1, log, env);
	test_keep_conn(pid, sock);
	test_read_timeout(db);
	test_term_stalled(db);
}

/* Started the spawner's way: the listening socket is fd 0. */
static void
test_stdin_socket(void)
{
	struct sockaddr_un	 sun;
	char			 db[PATH_MAX], log[PATH_MAX];
	char			*argv[] = { "presence-fcgi", "--db", db, NULL };
	pid_t			 pid;
	int			 fd;

	tmp_path(db, sizeof db, "db");
	tmp_path(log, sizeof log, "stdin.log");
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	tmp_path(sun.sun_path, sizeof sun.sun_path, "spawned");
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0 ||
	    listen(fd, 16) != 0)
		tap_bail("cannot listen on '%s'", sun.sun_path);
	pid = start(argv, fd, log, NULL);
	close(fd);
	check_idle_stop(pid, sun.sun_path, SIGTERM, "fd 0 socket, SIGTERM");
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	unlink(sun.sun_path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0 ||
	    listen(fd, 16) != 0)
		tap_bail("cannot listen on '%s'", sun.sun_path);
	pid = start(argv, fd, log, NULL);
	close(fd);
	check_idle_stop(pid, sun.sun_path, SIGINT, "fd 0 socket, SIGINT");
}

/* Run every test in a private directory and print the plan. */
int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	tmpdir_make("responder", tmp);
	test_command_line();
	test_listen();
	test_stdin_socket();
	kill_children();
	if (tap_failed == 0)
		tmpdir_remove(tmp);
	return tap_done();
}
