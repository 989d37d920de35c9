/*
 * Fault injection: presence-fcgi with tests/fault/shim.so preloaded runs a
 * fixed sequence of requests while the N-th write or sync of a file fails
 * (EIO, ENOSPC; once, or from then on), or the N-th memory allocation
 * fails, for every N the sequence reaches.  Each case checks that
 *
 *   - the request during which the fault fired is answered 5xx (or the
 *     process exits without answering), never acknowledged;
 *   - every other answer is the one the model of the database expects,
 *     or a 5xx followed by the process exiting (it refuses to serve from
 *     a broken environment); the process never dies of a signal;
 *   - after a restart without the shim every acknowledged write is there,
 *     every refused one is not, and mdb_stat and mdb_dump read the
 *     environment;
 *   - for allocation failures, the process leaks nothing: it ends with no
 *     more live allocations than the run without a fault.
 *
 * Allocation cases run "warm" (after a first request, the steady state)
 * and "cold" (from a process's first request); FAULT_CASES (200) bounds
 * how many, spread evenly.  The responder runs one thread, so that the
 * N-th call is the same call in every run; FAULT_ONLY=N runs warm case N
 * alone and keeps its directory.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "codec.h"
#include "fcgiclient.h"
#include "store.h"
#include "tap.h"
#include "tmpdir.h"

#ifndef PRESENCE_FCGI
#error "PRESENCE_FCGI must name the presence-fcgi binary"
#endif
#ifndef FAULT_SHIM
#error "FAULT_SHIM must name tests/fault/shim.so"
#endif

#define COLL		"/communications/presences"
#define TIMEOUT_MS	10000
#define NIDS		6
#define STEPS		11

/* The presences the sequence works on: three loaded first, three it makes. */
static const char *const ids[NIDS] = {
	"11111111-1111-4111-8111-111111111111",
	"22222222-2222-4222-8222-222222222222",
	"33333333-3333-4333-8333-333333333333",
	"aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
	"bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb",
	"cccccccc-cccc-4ccc-8ccc-cccccccccccc",
};
enum { P1, P2, P3, A, B, C };

/* One request of the sequence. */
struct step {
	const char	*method;
	int		 id;		/* index into ids, or -1 */
	const char	*activity;	/* for a create */
	int		 list;		/* GET the collection */
	int		 bad;		/* a body that is not JSON */
};

static const struct step steps[STEPS] = {
	{ "POST", A, "first", 0, 0 },
	{ "GET", A, NULL, 0, 0 },
	{ "POST", B, "second", 0, 0 },
	{ "DELETE", A, NULL, 0, 0 },
	{ "POST", C, "third", 0, 0 },
	{ "GET", -1, NULL, 1, 0 },
	{ "DELETE", B, NULL, 0, 0 },
	{ "POST", A, "again", 0, 0 },
	{ "GET", B, NULL, 0, 0 },
	{ "POST", -1, NULL, 0, 1 },
	{ "DELETE", P2, NULL, 0, 0 },
};

/* What the database holds: per id, present, absent or unknown. */
enum state { ABSENT, PRESENT, UNKNOWN };

struct model {
	enum state	 state[NIDS];
	const char	*activity[NIDS];
};

/* What one case saw. */
struct outcome {
	int		 status[STEPS];	/* or FC_ECONNECT / FC_ELOST */
	int		 fired_request;	/* 1-based request the fault hit, or 0 */
	char		 fired[128];	/* the shim's line */
	unsigned long	 io, mallocs, live;	/* from the exit line */
	int		 restarts;
	int		 warm;		/* a request ran before the sequence */
	int		 died;		/* the signal a responder died of, or 0 */
	char		 why[512];	/* the first thing wrong, or "" */
};

/*
 * json-c 0.16 inside a request, when one of its allocations fails, case by
 * case (the shim names the call and the exported function that made it):
 *
 *   - strdup in json_tokener_parse_ex: the tokener copies a member name
 *     without checking and hashes the NULL: the worker dies of SIGSEGV.
 *     Nothing can catch that; the case must show what the kill loop
 *     guarantees: the request is not acknowledged, the responder restarts
 *     and every acknowledged write is there, no refused one is.
 *   - strdup in json_object_object_add_ex: the member's key copy fails,
 *     the tokener ignores the result, the member is dropped and its value
 *     leaked.  The codec sees fewer members than names and answers 503;
 *     the case is checked as any other, but for the one node json-c
 *     leaks.
 *   - any other failure in json-c (a node, a list, a string buffer): the
 *     tokener stops without an error, or a string comes out short; the
 *     codec's counts show it and the request gets 503, checked as any
 *     other case.
 */
#define JSONC_NAME_CRASH	"(strdup in json_tokener_parse_ex)"
#define JSONC_MEMBER_DROP	"(strdup in json_object_object_add_ex)"

static unsigned	 jsonc_crashes, jsonc_drops;

/* Whether the fault that fired is json-c's call named by call. */
static int
jsonc_case(const struct outcome *o, const char *call)
{
	return strstr(o->fired, "in libjson-c") != NULL &&
	    strstr(o->fired, call) != NULL;
}

static char	 tmp[PATH_MAX];
static char	 token[TOKEN_SECRET_LEN + 1];
static char	 mdb_stat[PATH_MAX], mdb_dump[PATH_MAX];
static pid_t	 running;
static char	 sock[PATH_MAX];
static int	 notify_fd = -1;	/* notify.lock of the database served */
static unsigned	 ncases;

/* Write a path under the test's directory into out. */
static void
tmp_path(char out[PATH_MAX], const char *name)
{
	int	 n = snprintf(out, PATH_MAX, "%s/%s", tmp, name);

	if (n < 0 || n >= PATH_MAX)
		tap_bail("path too long: %s/%s", tmp, name);
}

/* Note the first thing that went wrong in a case. */
static void __attribute__((format(printf, 2, 3)))
why(struct outcome *o, const char *fmt, ...)
{
	va_list	 ap;

	if (o->why[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(o->why, sizeof o->why, fmt, ap);
	va_end(ap);
}

/*
 * Start presence-fcgi on db, with the shim and the FAULT_* settings in env
 * (NULL-ended "NAME=value"; NULL: no shim), and wait for its socket.
 */
static int
start(const char *db, char *const env[])
{
	char	 log[PATH_MAX], lock[PATH_MAX + 16];
	pid_t	 pid;
	int	 fd;
	long long end;
	size_t	 i;

	/*
	 * Hold notify.lock, so that the responder's delivery thread stays
	 * passive: its reads, at times of its own, would change what LMDB
	 * allocates and writes for the requests.
	 */
	if (notify_fd >= 0)
		close(notify_fd);
	snprintf(lock, sizeof lock, "%s/notify.lock", db);
	if ((notify_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0660)) < 0 ||
	    flock(notify_fd, LOCK_EX | LOCK_NB) != 0)
		tap_bail("cannot lock '%s': %s", lock, strerror(errno));
	tmp_path(sock, "fcgi.sock");
	unlink(sock);
	tmp_path(log, "fcgi.err");
	if ((pid = fork()) < 0)
		tap_bail("cannot fork: %s", strerror(errno));
	if (pid == 0) {
		if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)) >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		/* One thread: the N-th call is then the same call every run. */
		putenv("PRESENCE_THREADS=1");
		for (i = 0; env != NULL && env[i] != NULL; i++)
			putenv(env[i]);
		execl(PRESENCE_FCGI, "presence-fcgi", "--listen", sock, "--db",
		    db, (char *)NULL);
		_exit(127);
	}
	running = pid;
	end = fc_now_ms() + 10000;
	while (fc_now_ms() < end) {
		if ((fd = fc_connect(sock)) >= 0) {
			close(fd);
			return 0;
		}
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			running = 0;
			return -1;
		}
		fc_sleep_ms(5);
	}
	return -1;
}

/*
 * Stop the running responder with SIGTERM (when still running) and
 * return its wait status, or -1 when it had to be killed.
 */
static int
stop(void)
{
	long long	 end = fc_now_ms() + 10000;
	int		 status;

	if (running == 0)
		return 0;
	kill(running, SIGTERM);
	while (fc_now_ms() < end) {
		if (waitpid(running, &status, WNOHANG) == running) {
			running = 0;
			return status;
		}
		fc_sleep_ms(5);
	}
	kill(running, SIGKILL);
	waitpid(running, NULL, 0);
	running = 0;
	return -1;
}

/* Whether the running responder exited; its wait status into *status. */
static int
exited(int *status)
{
	if (running == 0 || waitpid(running, status, WNOHANG) != running)
		return 0;
	running = 0;
	return 1;
}

/* Send one request; the status, FC_ECONNECT or FC_ELOST; body into out. */
static int
send_one(const char *method, const char *uri, const char *body, char *out,
    size_t outmax)
{
	struct fc_reply	 r;
	int		 status;

	status = fc_request(sock, method, uri,
	    body != NULL ? "application/json" : NULL, body, TIMEOUT_MS, &r);
	if (out != NULL)
		out[0] = '\0';
	if (status > 0) {
		if (out != NULL)
			snprintf(out, outmax, "%s", r.body);
		fc_reply_release(&r);
	}
	return status;
}

/* The status the model expects for step s. */
static int
expected(const struct model *m, const struct step *s)
{
	if (s->bad)
		return 400;
	if (s->list)
		return 200;
	if (strcmp(s->method, "POST") == 0)
		return m->state[s->id] == ABSENT ? 201 : 409;
	if (strcmp(s->method, "GET") == 0)
		return m->state[s->id] == PRESENT ? 200 : 404;
	return m->state[s->id] == PRESENT ? 204 : 404;
}

/* A 200 list must be strict JSON naming every presence the model has. */
static void
check_list(const struct model *m, const char *reply, struct outcome *o,
    int i)
{
	struct fault		 fault;
	int			 k;

	if (codec_json_check(reply, strlen(reply), &fault) != 0)
		why(o, "request %d: the list is not JSON: %s", i + 1,
		    fault.message);
	for (k = 0; k < NIDS; k++)
		if (m->state[k] == PRESENT && strstr(reply, ids[k]) == NULL)
			why(o, "request %d: the list lacks %s", i + 1, ids[k]);
}

/* Send step s and fold its answer into the model. */
static int
run_step(struct model *m, const struct step *s, struct outcome *o, int i)
{
	char	 uri[128], body[256], reply[8192];
	int	 status, want = expected(m, s), unknown;

	body[0] = '\0';
	if (s->id >= 0 && strcmp(s->method, "POST") != 0)
		snprintf(uri, sizeof uri, COLL "/%s", ids[s->id]);
	else
		snprintf(uri, sizeof uri, "%s", COLL);
	if (s->bad)
		snprintf(body, sizeof body, "{\"availability\":");
	else if (strcmp(s->method, "POST") == 0)
		snprintf(body, sizeof body, "{\"id\":\"%s\",\"availability\":"
		    "\"Available\",\"activity\":\"%s\"}", ids[s->id],
		    s->activity);
	status = send_one(s->method, uri, body[0] != '\0' ? body : NULL,
	    reply, sizeof reply);
	o->status[i] = status;
	if (status == 200 && s->list)
		check_list(m, reply, o, i);
	unknown = m->state[s->id >= 0 ? s->id : 0] == UNKNOWN;
	if (status >= 500 || status < 0) {
		/* Not acknowledged.  Without an answer (the process went
		 * away mid-request) a write may or may not have happened;
		 * after a 5xx it must not have (checked after the case). */
		if (status == FC_ELOST && s->id >= 0 &&
		    strcmp(s->method, "GET") != 0)
			m->state[s->id] = UNKNOWN;
		return status;
	}
	if (status != want && !(unknown && s->id >= 0)) {
		why(o, "request %d (%s %s) answered %d, want %d", i + 1,
		    s->method, uri, status, want);
		return status;
	}
	if (status == 201) {
		m->state[s->id] = PRESENT;
		m->activity[s->id] = s->activity;
	} else if (status == 204 || (status == 404 && s->id >= 0 &&
	    strcmp(s->method, "GET") != 0))
		m->state[s->id] = ABSENT;
	else if (status == 409 || status == 200)
		if (s->id >= 0 && m->state[s->id] == UNKNOWN)
			m->state[s->id] = PRESENT;
	return status;
}

/* Read the shim's log: the line that fired, and the exit line. */
static void
read_shim_log(const char *path, struct outcome *o)
{
	FILE	*f;
	char	 line[256];
	unsigned long	 n, r;

	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "fired ", 6) == 0 && o->fired[0] == '\0') {
			line[strcspn(line, "\n")] = '\0';
			snprintf(o->fired, sizeof o->fired, "%.100s", line + 6);
			if (sscanf(line, "fired malloc %lu request %lu", &n,
			    &r) == 2 || sscanf(line, "fired %*s %lu %*s request "
			    "%lu", &n, &r) == 2)
				/* start() connected once to see it listen,
				 * and a warm-up request may have run */
				o->fired_request = (int)r - 1 - o->warm;
		} else if (strncmp(line, "exit ", 5) == 0)
			sscanf(line, "exit io %lu malloc %lu live %lu", &o->io,
			    &o->mallocs, &o->live);
	}
	fclose(f);
}

/* Copy the template database into dir. */
static void
copy_db(const char *from, const char *dir)
{
	char	 cmd[4 * PATH_MAX + 64];

	snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir '%s' && "
	    "cp '%s/data.mdb' '%s/'", dir, dir, from, dir);
	if (system(cmd) != 0)
		tap_bail("cannot copy the template database");
}

/* Run a tool on db, quietly; whether it succeeded. */
static int
tool_ok(const char *tool, const char *args, const char *db)
{
	char	 cmd[4 * PATH_MAX];

	snprintf(cmd, sizeof cmd, "'%s' %s '%s' >/dev/null 2>&1", tool, args,
	    db);
	return system(cmd) == 0;
}

/* Read every record of db through the storage API; 0 or a STORE_E* code. */
static int
walk(struct store *st, size_t *count)
{
	struct presence	 rows[16];
	char		 after[GUID_LEN + 1] = "";
	size_t		 n;
	int		 more = 1, err = 0;

	*count = 0;
	while (more && err == 0) {
		err = store_page(st, after, 0, rows, 16, &n, &more);
		if (err == 0 && n > 0)
			memcpy(after, rows[n - 1].id, sizeof after);
		*count += n;
	}
	return err;
}

/*
 * After a case: open the database afresh, as a restarted responder does,
 * and compare every record with the model; every few cases also run
 * mdb_stat and mdb_dump over it.
 */
static void
check_after(const char *db, const struct model *m, struct outcome *o)
{
	struct store_config	 cfg;
	struct store		*st;
	struct presence		 p;
	size_t			 count, present = 0, unknown = 0;
	int			 i, err;

	store_config_init(&cfg);
	cfg.path = db;
	if ((err = store_open(&st, &cfg)) != 0) {
		why(o, "the database does not open after it: %s",
		    store_strerror(err));
		return;
	}
	for (i = 0; i < NIDS; i++) {
		err = store_get(st, ids[i], &p);
		present += m->state[i] == PRESENT;
		unknown += m->state[i] == UNKNOWN;
		if (m->state[i] == PRESENT && err != 0)
			why(o, "acknowledged presence %s is lost: %s", ids[i],
			    store_strerror(err));
		else if (m->state[i] == ABSENT && err != STORE_ENOTFOUND)
			why(o, "presence %s should be absent: %s", ids[i],
			    err == 0 ? "it is there" : store_strerror(err));
		else if (err == 0 && m->state[i] == PRESENT &&
		    m->activity[i] != NULL && strcmp(p.activity, m->activity[i]))
			why(o, "presence %s reads '%s', not '%s'", ids[i],
			    p.activity, m->activity[i]);
		else if (err != 0 && err != STORE_ENOTFOUND)
			why(o, "presence %s cannot be read: %s", ids[i],
			    store_strerror(err));
	}
	if ((err = walk(st, &count)) != 0)
		why(o, "a record does not decode: %s", store_strerror(err));
	else if (count < present || count > present + unknown)
		why(o, "the database holds %zu presences, the model %zu (+%zu)",
		    count, present, unknown);
	store_close(st);
	if (ncases % 8 == 0 && !tool_ok(mdb_stat, "-e -a", db))
		why(o, "mdb_stat -e -a fails on the database");
	if (ncases % 8 == 0 && !tool_ok(mdb_dump, "-a", db))
		why(o, "mdb_dump -a fails on the database");
}

/* Wait up to 50 ms for the responder to exit, and check how it did. */
static void
settle(struct outcome *o)
{
	long long	 end = fc_now_ms() + 50;
	int		 status;

	while (running != 0 && fc_now_ms() < end) {
		if (exited(&status)) {
			/* It refused to go on: it must exit, not die
			 * (judged in run_case, which knows the fault). */
			if (WIFSIGNALED(status))
				o->died = WTERMSIG(status);
			return;
		}
		fc_sleep_ms(2);
	}
}

/* Start a responder without the shim after the shimmed one exited. */
static int
restart(const char *db, const char *log, struct outcome *o)
{
	o->restarts++;
	read_shim_log(log, o);
	if (start(db, NULL) == 0)
		return 0;
	why(o, "presence-fcgi does not restart");
	return -1;
}

/*
 * Run the sequence against a copy of the template with env's FAULT_*
 * settings; restart without the shim whenever the process exits.
 */
static void
run_case(char *const env[], int warm, const char *template, struct model *m,
    struct outcome *o)
{
	char	 db[PATH_MAX], log[PATH_MAX];
	int	 i, status;

	memset(o, 0, sizeof *o);
	o->warm = warm;
	memset(m, 0, sizeof *m);
	m->state[P1] = m->state[P2] = m->state[P3] = PRESENT;
	tmp_path(db, "case");
	tmp_path(log, "shim.log");
	unlink(log);
	copy_db(template, db);
	if (start(db, env) != 0) {
		why(o, "presence-fcgi does not start with the shim");
		return;
	}
	if (warm && send_one("GET", COLL, NULL, NULL, 0) != 200)
		why(o, "the warm-up request failed");
	for (i = 0; i < STEPS && o->restarts <= STEPS; i++) {
		status = run_step(m, &steps[i], o, i);
		if (status >= 500 || status < 0)
			settle(o);	/* give a refusing process time to exit */
		if (running == 0 && (restart(db, log, o) != 0))
			return;
		if (status == FC_ECONNECT)
			i--;		/* not sent: send it to the new process */
	}
	status = stop();
	if (status == -1)
		why(o, "presence-fcgi did not stop on SIGTERM");
	else if (WIFSIGNALED(status))
		why(o, "presence-fcgi died of signal %d", WTERMSIG(status));
	else if (o->restarts == 0 && WEXITSTATUS(status) != 0)
		why(o, "presence-fcgi exited %d on SIGTERM", WEXITSTATUS(status));
	read_shim_log(log, o);
	if (o->died != 0 && !(o->died == SIGSEGV &&
	    jsonc_case(o, JSONC_NAME_CRASH) && o->restarts == 1))
		why(o, "presence-fcgi died of signal %d", o->died);
	check_after(db, m, o);
}

/*
 * The checks every fault case makes about the request the fault hit; with
 * strict, it must not have been acknowledged (a failed write or sync must
 * reach the client; an allocation that failed may have been retried).
 */
static void
check_fired(struct outcome *o, int strict)
{
	int	 r = o->fired_request, status;

	if (o->fired[0] == '\0') {
		why(o, "the fault never fired");
		return;
	}
	if (r < 1 || r > STEPS) {
		why(o, "the fault fired outside the sequence (%s)", o->fired);
		return;
	}
	status = o->status[r - 1];
	if (strict && status >= 200 && status < 300 &&
	    strcmp(steps[r - 1].method, "GET") != 0)
		why(o, "request %d was acknowledged (%d) though %s", r, status,
		    o->fired);
}

/* The request the fault hit must have been answered 503. */
static void
check_refused(struct outcome *o)
{
	int	 r = o->fired_request;

	if (r >= 1 && r <= STEPS && o->status[r - 1] != 503)
		why(o, "request %d answered %d, not 503, after json-c dropped "
		    "a member", r, o->status[r - 1]);
}

/* Report one case as a test point, with what went wrong. */
static void
report(const struct outcome *o, const char *what)
{
	char	 statuses[128];
	size_t	 n = 0;
	int	 i;

	ncases++;
	for (i = 0; i < STEPS; i++)
		n += (size_t)snprintf(statuses + n, sizeof statuses - n, "%s%d",
		    i > 0 ? " " : "", o->status[i]);
	if (!ok(o->why[0] == '\0', "%s", what)) {
		printf("#   %s\n", o->why);
		printf("#   fault: %s\n", o->fired[0] != '\0' ? o->fired : "none");
		printf("#   answers: %s; restarts: %d\n", statuses, o->restarts);
	}
}

/* Make the template: a token and three presences, no shim. */
static void
make_template(const char *db)
{
	struct store_config	 cfg;
	struct store		*st;
	struct token		 t;
	struct fault		 fault;
	char			 body[256];
	int			 i, err;

	mkdir(db, 0700);
	store_config_init(&cfg);
	cfg.path = db;
	if ((err = store_open(&st, &cfg)) != 0)
		tap_bail("cannot open '%s': %s", db, store_strerror(err));
	memset(&t, 0, sizeof t);
	snprintf(t.name, sizeof t.name, "fault");
	t.scopes = TOKEN_SCOPE_READWRITE_ALL | TOKEN_SCOPE_READ_ALL;
	if ((err = store_token_issue(st, &t, token, &fault)) != 0)
		tap_bail("cannot issue a token: %s", store_strerror(err));
	store_close(st);
	setenv("PRESENCE_TEST_TOKEN", token, 1);
	if (start(db, NULL) != 0)
		tap_bail("presence-fcgi does not start");
	for (i = P1; i <= P3; i++) {
		snprintf(body, sizeof body, "{\"id\":\"%s\",\"availability\":"
		    "\"Available\",\"activity\":\"loaded\"}", ids[i]);
		if (send_one("POST", COLL, body, NULL, 0) != 201)
			tap_bail("cannot load presence %s", ids[i]);
	}
	if (stop() != 0)
		tap_bail("presence-fcgi did not stop cleanly");
}

/* The shim's settings for one case, in env (static storage). */
static char *const *
fault_env(const char *kind, unsigned long n, const char *err, int persist,
    int warm)
{
	static char	 preload[PATH_MAX + 64], nth[64], errv[64], pers[64];
	static char	 logv[PATH_MAX + 16], asan[256], arm[64];
	static char	*env[9];
	const char	*old = getenv("ASAN_OPTIONS");
	char		 log[PATH_MAX];
	size_t		 i = 0;

	tmp_path(log, "shim.log");
	snprintf(preload, sizeof preload, "LD_PRELOAD=%s", FAULT_SHIM);
	snprintf(nth, sizeof nth, "FAULT_%s_NTH=%lu", kind, n);
	snprintf(errv, sizeof errv, "FAULT_IO_ERRNO=%s", err);
	snprintf(pers, sizeof pers, "FAULT_IO_PERSIST=%d", persist);
	snprintf(logv, sizeof logv, "FAULT_LOG=%s", log);
	/* Warm: the probe connection and the warm-up request go uncounted. */
	snprintf(arm, sizeof arm, "FAULT_ARM_AFTER=%d", warm ? 2 : 0);
	/* Sanitizer builds: the shim comes before the runtime, on purpose. */
	snprintf(asan, sizeof asan, "ASAN_OPTIONS=%s%sverify_asan_link_order=0",
	    old != NULL ? old : "", old != NULL && *old != '\0' ? ":" : "");
	env[i++] = preload;
	env[i++] = nth;
	env[i++] = errv;
	env[i++] = pers;
	env[i++] = logv;
	env[i++] = asan;
	env[i++] = arm;
	env[i] = NULL;
	return env;
}

/* Every N the sequence reaches, for one errno, once or persisting. */
static void
sweep_io(const char *template, const char *err, int persist,
    unsigned long total, unsigned long step)
{
	struct model	 m;
	struct outcome	 o;
	char		 what[320];
	unsigned long	 n;

	for (n = 1; n <= total; n += step) {
		run_case(fault_env("IO", n, err, persist, 0), 0, template, &m,
		    &o);
		check_fired(&o, 1);
		snprintf(what, sizeof what, "%s at file write or sync %lu of "
		    "%lu%s: %s", err, n, total, persist ? " and after" : "",
		    o.fired[0] != '\0' ? o.fired : "not reached");
		report(&o, what);
	}
}

/*
 * Every N of the allocations the sequence makes (step apart): warm, after
 * a first request has run (the steady state), or cold, from the first
 * request on.
 */
static void
sweep_malloc(const char *template, int warm, unsigned long first,
    unsigned long total, unsigned long live0, unsigned long step)
{
	struct model	 m;
	struct outcome	 o;
	char		 what[320];
	unsigned long	 n;
	int		 leaked;

	for (n = first; n <= total; n += step) {
		run_case(fault_env("MALLOC", n, "EIO", 0, warm), warm, template,
		    &m, &o);
		check_fired(&o, 0);
		leaked = jsonc_case(&o, JSONC_MEMBER_DROP);	/* one node */
		if (o.restarts == 0 && o.live > live0 + leaked)
			why(&o, "%lu allocations live at exit, %lu without "
			    "the fault: a leak", o.live, live0);
		if (leaked)
			check_refused(&o);
		snprintf(what, sizeof what, "%s allocation %lu of %lu fails: "
		    "%s%s", warm ? "warm:" : "cold:", n, total,
		    o.fired[0] != '\0' ? o.fired : "not reached",
		    jsonc_case(&o, JSONC_NAME_CRASH) ? ": json-c crashes, a "
		    "restart loses nothing acknowledged" : leaked ? ": json-c "
		    "drops the member, answered 503" : "");
		jsonc_crashes += jsonc_case(&o, JSONC_NAME_CRASH);
		jsonc_drops += leaked;
		report(&o, what);
	}
}

/*
 * A stop that lands between a thread's wait and its accept (the shim holds
 * the thread there and sends SIGTERM) is a stop like any other: exit 0,
 * nothing logged.  libfcgi's accept then fails with a stale errno.
 */
static void
check_stop_before_accept(const char *template)
{
	static char	 threads[] = "PRESENCE_THREADS=4";
	static char	 wake[] = "FAULT_STOP_AT_WAKE=1";
	char		*env[12], db[PATH_MAX], log[PATH_MAX], err[PATH_MAX];
	char *const	*shim = fault_env("IO", 0, "EIO", 0, 0);
	char		 line[256];
	long long	 end;
	size_t		 i = 0;
	FILE		*f;
	int		 status = -1, logged = 0, fired = 0;

	for (; shim[i] != NULL; i++)
		env[i] = shim[i];
	env[i++] = threads;
	env[i++] = wake;
	env[i] = NULL;
	tmp_path(db, "case");
	tmp_path(log, "shim.log");
	tmp_path(err, "fcgi.err");
	unlink(log);
	unlink(err);
	copy_db(template, db);
	if (start(db, env) != 0)
		tap_bail("presence-fcgi does not start with the shim");
	end = fc_now_ms() + 10000;
	while (running != 0 && !exited(&status) && fc_now_ms() < end)
		fc_sleep_ms(5);
	if (running != 0)
		status = stop();
	if ((f = fopen(err, "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL) {
			printf("#   its stderr: %s", line);
			logged = 1;
		}
		fclose(f);
	}
	if ((f = fopen(log, "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL)
			fired |= strcmp(line, "stop at wake\n") == 0;
		fclose(f);
	}
	ok(fired, "the shim sent SIGTERM between a wait and its accept");
	ok(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    !logged, "4 threads, SIGTERM between a wait and its accept: "
	    "exit status 0, nothing logged");
}

/* The step that keeps a sweep to about max cases. */
static unsigned long
step_for(unsigned long total, unsigned long max)
{
	return total <= max ? 1 : (total + max - 1) / max;
}

int
main(void)
{
	char		 template[PATH_MAX];
	const char	*env_stat = getenv("MDB_STAT");
	struct model	 m;
	struct outcome	 o;
	unsigned long	 io_total, warm_total, cold_total, live0, max;

	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access(FAULT_SHIM, R_OK) != 0)
		tap_bail("'%s' is not built", FAULT_SHIM);
	snprintf(mdb_stat, sizeof mdb_stat, "%s",
	    env_stat != NULL && *env_stat != '\0' ? env_stat : "mdb_stat");
	snprintf(mdb_dump, sizeof mdb_dump, "%.*smdb_dump",
	    (int)(strrchr(mdb_stat, '/') != NULL ?
	    strrchr(mdb_stat, '/') - mdb_stat + 1 : 0), mdb_stat);
	tmpdir_make("fault", tmp);
	tmp_path(template, "template");
	make_template(template);
	max = getenv("FAULT_CASES") != NULL ?
	    strtoul(getenv("FAULT_CASES"), NULL, 10) : 200;

	/* Count what the sequence does, with no fault. */
	run_case(fault_env("IO", 0, "EIO", 0, 0), 0, template, &m, &o);
	report(&o, "the sequence runs with the shim counting");
	io_total = o.io;
	cold_total = o.mallocs;
	run_case(fault_env("MALLOC", 0, "EIO", 0, 1), 1, template, &m, &o);
	report(&o, "the sequence runs warm with the shim counting");
	warm_total = o.mallocs;
	live0 = o.live;
	ok(io_total > 0 && warm_total > 0, "the shim counts %lu file writes "
	    "and syncs, %lu allocations (%lu from a cold start)", io_total,
	    warm_total, cold_total);

	check_stop_before_accept(template);

	if (getenv("FAULT_ONLY") != NULL) {	/* reproduce one warm case */
		unsigned long n = strtoul(getenv("FAULT_ONLY"), NULL, 10);

		sweep_malloc(template, 1, n, n, live0, 1);
		printf("# kept %s\n", tmp);
		return tap_done();
	}
	sweep_io(template, "EIO", 0, io_total, 1);
	sweep_io(template, "ENOSPC", 0, io_total, 1);
	sweep_io(template, "EIO", 1, io_total, step_for(io_total, 4));
	sweep_malloc(template, 1, 1, warm_total, live0,
	    step_for(warm_total, max));
	/* From a cold start: the allocations only a process's first
	 * request makes (libraries initialising themselves). */
	sweep_malloc(template, 0, 1, cold_total - warm_total, (unsigned long)-1,
	    step_for(cold_total - warm_total, 10));
	printf("# %u fault cases: %lu file writes and syncs (EIO, ENOSPC, "
	    "persisting EIO), %lu allocations warm, %lu cold\n", ncases,
	    io_total, warm_total, cold_total);
	printf("# json-c 0.16: %u cases crash on its unchecked strdup of a "
	    "member name (nothing acknowledged lost), %u drop a member "
	    "(answered 503)\n", jsonc_crashes, jsonc_drops);
	if (tap_failed == 0)
		tmpdir_remove(tmp);
	return tap_done();
}
