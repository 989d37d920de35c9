/*
 * The reliability tests' client, one program with a command per job:
 *
 *   load SOCK LOG SECONDS MAXOPS WORKER   create and delete presences,
 *                                          logging what was acknowledged
 *   verify SOCK LOG...                     check every log against the
 *                                          responder: GET each id, list all
 *   walk DBDIR                             read every record through the
 *                                          storage API, print the count
 *   token DBDIR NAME                       issue a Presence.ReadWrite.All
 *                                          token, print its secret (the
 *                                          PRESENCE_MAP_* variables apply)
 *   request SOCK METHOD URI [BODY]         send one request (a JSON body),
 *                                          print the status and the body
 *   silent SOCK SECONDS                    hold a connection that sends a
 *                                          request's first bytes, then nothing
 *   slow SOCK SECONDS                      send a request a byte at a time
 *   slowpost PORT PATH TOKEN BYTES MS      POST a create of BYTES bytes over
 *                                          HTTP to 127.0.0.1:PORT, a byte
 *                                          every MS ms until answered; print
 *                                          "sent" once the head is out, then
 *                                          the answer's status
 *   badparams SOCK CASE                    send a PARAMS record with huge
 *                                          lengths (CVE-2025-23016's shape)
 *   fds N PROGRAM ARG...                   run PROGRAM with N more open
 *                                          descriptors
 *
 * A load log has one line per event: "c ID ACTIVITY" before a create is
 * sent, "C ID" once it was answered 201, "d ID" before a delete, "D ID"
 * once answered 204, "L ID" when a delete of an acknowledged presence was
 * answered 404 (a lost write).  Statuses other than these leave the
 * outcome unknown, which verify allows either way.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fcgiclient.h"
#include "guid.h"
#include "presence.h"
#include "store.h"

#define COLL		"/communications/presences"
#define TIMEOUT_MS	10000
#define IDS_MAX		200000
#define SLOTS		(1u << 19)	/* hash slots, over twice IDS_MAX */

/* What the logs say about one id. */
struct known {
	char	 id[GUID_LEN + 1];
	char	 activity[64];
	int	 created;	/* acknowledged 201 */
	int	 delete_sent;	/* a delete was attempted */
	int	 deleted;	/* acknowledged 204 */
	int	 lost;		/* a delete of it was answered 404 */
	int	 listed;
};

static struct known	*known;
static size_t		 nknown;
static size_t		*slots;		/* index + 1 into known, 0: free */

/* Print a message to stderr and exit 2. */
static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list	 ap;

	fputs("client: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* A number from the command line. */
static long
number(const char *s)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		die("bad number '%s'", s);
	return v;
}

/* A GUID from a worker number, a counter and a random part. */
static void
make_id(unsigned worker, unsigned long n, char out[GUID_LEN + 1])
{
	unsigned	 r1 = (unsigned)random(), r2 = (unsigned)random();

	snprintf(out, GUID_LEN + 1, "%08x-%04x-4%03x-8%03x-%04x%08lx",
	    r1, worker & 0xffff, r2 & 0xfff, (r2 >> 12) & 0xfff,
	    (r1 >> 16) & 0xffff, n & 0xffffffffUL);
}

/* One create; logs the attempt and its acknowledgement. */
static int
load_create(const char *sock, FILE *log, unsigned worker, unsigned long n,
    char *ids[], size_t *nids)
{
	struct fc_reply	 r;
	char		 id[GUID_LEN + 1], body[256];
	int		 status;

	make_id(worker, n, id);
	snprintf(body, sizeof body, "{\"id\":\"%s\",\"availability\":"
	    "\"Available\",\"activity\":\"w%u-%lu\"}", id, worker, n);
	fprintf(log, "c %s w%u-%lu\n", id, worker, n);
	fflush(log);
	status = fc_request(sock, "POST", COLL, "application/json", body,
	    TIMEOUT_MS, &r);
	if (status > 0)
		fc_reply_release(&r);
	if (status == 201) {
		fprintf(log, "C %s\n", id);
		fflush(log);
		if ((ids[*nids] = strdup(id)) != NULL)
			(*nids)++;
	}
	return status;
}

/* One delete of an acknowledged create, chosen at random. */
static int
load_delete(const char *sock, FILE *log, char *ids[], size_t *nids)
{
	struct fc_reply	 r;
	char		 uri[128];
	size_t		 i = (size_t)random() % *nids;
	char		*id = ids[i];
	int		 status;

	ids[i] = ids[--(*nids)];
	snprintf(uri, sizeof uri, COLL "/%s", id);
	fprintf(log, "d %s\n", id);
	fflush(log);
	status = fc_request(sock, "DELETE", uri, NULL, NULL, TIMEOUT_MS, &r);
	if (status > 0)
		fc_reply_release(&r);
	if (status == 204)
		fprintf(log, "D %s\n", id);
	else if (status == 404)
		fprintf(log, "L %s\n", id);
	fflush(log);
	free(id);
	return status;
}

/* load: create and delete until the time or the count runs out. */
static int
cmd_load(int argc, char **argv)
{
	static char	*ids[IDS_MAX];
	const char	*sock;
	FILE		*log;
	long long	 end;
	unsigned long	 ops, max, n = 0, acked = 0, unknown = 0;
	unsigned	 worker;
	size_t		 nids = 0;
	int		 status;

	if (argc != 7)
		die("usage: load SOCK LOG SECONDS MAXOPS WORKER");
	sock = argv[2];
	end = fc_now_ms() + number(argv[4]) * 1000;
	max = (unsigned long)number(argv[5]);
	worker = (unsigned)number(argv[6]);
	if ((log = fopen(argv[3], "w")) == NULL)
		die("cannot open '%s': %s", argv[3], strerror(errno));
	srandom((unsigned)(time(NULL) ^ getpid() ^ (worker << 16)));
	for (ops = 0; ops < max && fc_now_ms() < end; ops++) {
		if (nids > 0 && (nids >= IDS_MAX - 1 || random() % 3 == 0))
			status = load_delete(sock, log, ids, &nids);
		else
			status = load_create(sock, log, worker, n++, ids, &nids);
		if (status == 201 || status == 204)
			acked++;
		else if (status == FC_ECONNECT)
			fc_sleep_ms(5);	/* every worker is being restarted */
		else
			unknown++;
	}
	fclose(log);
	while (nids > 0)
		free(ids[--nids]);
	printf("worker %u: %lu operations, %lu acknowledged, %lu unknown\n",
	    worker, ops, acked, unknown);
	return 0;
}

/* The hash slot where id is, or where it would go. */
static size_t *
known_slot(const char *id)
{
	unsigned	 h = 2166136261u;
	size_t		 i;

	for (i = 0; id[i] != '\0'; i++)
		h = (h ^ (unsigned char)id[i]) * 16777619u;
	for (i = h & (SLOTS - 1); slots[i] != 0; i = (i + 1) & (SLOTS - 1))
		if (strcmp(known[slots[i] - 1].id, id) == 0)
			break;
	return &slots[i];
}

/* The entry for id, or NULL when the logs never named it. */
static struct known *
known_find(const char *id)
{
	size_t	*slot = known_slot(id);

	return *slot != 0 ? &known[*slot - 1] : NULL;
}

/* The entry for id, added when new. */
static struct known *
known_get(const char *id)
{
	size_t	*slot = known_slot(id);

	if (*slot != 0)
		return &known[*slot - 1];
	if (nknown == IDS_MAX)
		die("more than %d ids in the logs", IDS_MAX);
	memset(&known[nknown], 0, sizeof known[nknown]);
	snprintf(known[nknown].id, sizeof known[nknown].id, "%s", id);
	*slot = ++nknown;
	return &known[nknown - 1];
}

/* Read one load log into known[]. */
static void
read_log(const char *path)
{
	FILE		*f;
	char		 line[256], id[GUID_LEN + 1], act[64];
	struct known	*k;
	char		 ev;

	if ((f = fopen(path, "r")) == NULL)
		die("cannot open '%s': %s", path, strerror(errno));
	while (fgets(line, sizeof line, f) != NULL) {
		act[0] = '\0';
		if (sscanf(line, "%c %36s %63s", &ev, id, act) < 2)
			die("bad line in '%s': %s", path, line);
		k = known_get(id);
		switch (ev) {
		case 'c': snprintf(k->activity, sizeof k->activity, "%s", act); break;
		case 'C': k->created = 1; break;
		case 'd': k->delete_sent = 1; break;
		case 'D': k->deleted = 1; break;
		case 'L': k->lost = 1; break;
		default: die("bad event in '%s': %s", path, line);
		}
	}
	fclose(f);
}

/* Whether a presence's JSON says activity act. */
static int
has_activity(const char *body, const char *act)
{
	char	 want[128];

	snprintf(want, sizeof want, "\"activity\":\"%s\"", act);
	return strstr(body, want) != NULL;
}

/* GET one id and compare with what the logs say; the number of faults. */
static int
verify_one(const char *sock, struct known *k, unsigned long counts[4])
{
	struct fc_reply	 r;
	char		 uri[128];
	int		 status, must, must_not, bad = 0;

	snprintf(uri, sizeof uri, COLL "/%s", k->id);
	status = fc_request(sock, "GET", uri, NULL, NULL, TIMEOUT_MS, &r);
	must = k->created && !k->delete_sent;
	must_not = k->deleted;
	if (status == 200 && !has_activity(r.body, k->activity)) {
		printf("# %s: read back with other values: %s\n", k->id, r.body);
		bad++;
	} else if (status != 200 && status != 404) {
		printf("# %s: GET answered %d\n", k->id, status);
		bad++;
	} else if (must && status != 200) {
		printf("# %s: acknowledged create is missing\n", k->id);
		bad++;
	} else if (must_not && status != 404) {
		printf("# %s: acknowledged delete is undone\n", k->id);
		bad++;
	} else if (k->lost) {
		printf("# %s: a delete found it missing\n", k->id);
		bad++;
	}
	counts[must ? 0 : must_not ? 1 : 2]++;
	if (status == 200 && !must && !must_not)
		counts[3]++;
	if (status > 0)
		fc_reply_release(&r);
	return bad;
}

/* Mark every id of one list page; the nextLink's path or "" at the end. */
static int
verify_page(const char *body, char *next, size_t nextmax, size_t *rows)
{
	const char	*p = body, *q;
	char		 id[GUID_LEN + 1];
	struct known	*k;
	int		 bad = 0;

	while ((p = strstr(p, "\"id\":\"")) != NULL) {
		p += 6;
		if ((q = strchr(p, '"')) == NULL || q - p != GUID_LEN)
			return -1;
		memcpy(id, p, GUID_LEN);
		id[GUID_LEN] = '\0';
		(*rows)++;
		if ((k = known_find(id)) == NULL) {
			printf("# listed presence %s was never sent\n", id);
			bad++;
		} else if (k->listed++) {
			printf("# presence %s listed twice\n", id);
			bad++;
		} else if (k->deleted) {
			printf("# deleted presence %s is listed\n", id);
			bad++;
		}
	}
	next[0] = '\0';
	if ((p = strstr(body, "\"@odata.nextLink\":\"")) != NULL) {
		p += 19;
		if (strncmp(p, "http://presence.test", 20) == 0)
			p += 20;
		if ((q = strchr(p, '"')) == NULL || (size_t)(q - p) >= nextmax)
			return -1;
		memcpy(next, p, (size_t)(q - p));
		next[q - p] = '\0';
	}
	return bad;
}

/* Walk every page of the list; the number of faults. */
static int
verify_list(const char *sock, size_t *rows, size_t *pages)
{
	struct fc_reply	 r;
	char		 uri[512] = COLL "?$top=97", next[512];
	int		 status, bad = 0, n;
	size_t		 i;

	for (;;) {
		status = fc_request(sock, "GET", uri, NULL, NULL, TIMEOUT_MS, &r);
		if (status != 200) {
			printf("# list page %zu answered %d\n", *pages, status);
			if (status > 0)
				fc_reply_release(&r);
			return bad + 1;
		}
		(*pages)++;
		n = verify_page(r.body, next, sizeof next, rows);
		fc_reply_release(&r);
		if (n < 0) {
			printf("# list page %zu is malformed\n", *pages);
			return bad + 1;
		}
		bad += n;
		if (next[0] == '\0')
			break;
		snprintf(uri, sizeof uri, "%s", next);
	}
	for (i = 0; i < nknown; i++) {
		if (known[i].created && !known[i].delete_sent &&
		    !known[i].listed) {
			printf("# acknowledged presence %s is not listed\n",
			    known[i].id);
			bad++;
		}
	}
	return bad;
}

/* verify: GET every id of the logs, then list everything. */
static int
cmd_verify(int argc, char **argv)
{
	unsigned long	 counts[4] = { 0, 0, 0, 0 };
	size_t		 i, rows = 0, pages = 0;
	int		 bad = 0;

	if (argc < 4)
		die("usage: verify SOCK LOG...");
	if ((known = calloc(IDS_MAX, sizeof *known)) == NULL ||
	    (slots = calloc(SLOTS, sizeof *slots)) == NULL)
		die("out of memory");
	for (i = 3; i < (size_t)argc; i++)
		read_log(argv[i]);
	for (i = 0; i < nknown; i++)
		bad += verify_one(argv[2], &known[i], counts);
	bad += verify_list(argv[2], &rows, &pages);
	printf("verified %lu acknowledged creates present, %lu acknowledged "
	    "deletes absent, %lu unacknowledged (%lu of them present); "
	    "listed %zu presences in %zu pages; %d faults\n",
	    counts[0], counts[1], counts[2], counts[3], rows, pages, bad);
	free(slots);
	free(known);
	return bad == 0 ? 0 : 1;
}

/* walk: read every presence through the storage API, read-only. */
static int
cmd_walk(int argc, char **argv)
{
	struct store_config	 cfg;
	struct store		*st;
	struct presence		 rows[100];
	struct fault		 fault;
	char			 after[GUID_LEN + 1] = "";
	size_t			 n, i, total = 0;
	int			 more = 1, err;

	if (argc != 3)
		die("usage: walk DBDIR");
	store_config_init(&cfg);
	cfg.path = argv[2];
	cfg.read_only = 1;
	if ((err = store_open(&st, &cfg)) != 0)
		die("cannot open database '%s': %s", argv[2], store_strerror(err));
	while (more) {
		err = store_page(st, after, 0, rows, 100, &n, &more);
		if (err != 0) {
			printf("# record after '%s': %s\n", after,
			    store_strerror(err));
			store_close(st);
			return 1;
		}
		for (i = 0; i < n; i++) {
			if (presence_validate(&rows[i], PRESENCE_MODE_ANY,
			    &fault) != 0 || !guid_is_canonical(rows[i].id)) {
				printf("# record %s is invalid: %s\n",
				    rows[i].id, fault.message);
				store_close(st);
				return 1;
			}
		}
		total += n;
		if (n > 0)
			memcpy(after, rows[n - 1].id, sizeof after);
	}
	store_close(st);
	printf("%zu\n", total);
	return 0;
}

/* token: issue a token for every presence and print its secret. */
static int
cmd_token(int argc, char **argv)
{
	struct store_config	 cfg;
	struct store		*st;
	struct token		 t;
	struct fault		 fault;
	char			 secret[TOKEN_SECRET_LEN + 1];
	int			 err;

	if (argc != 4)
		die("usage: token DBDIR NAME");
	store_config_init(&cfg);
	if (store_config_env(&cfg, NULL) != 0)	/* PRESENCE_MAP_SIZE... */
		die("bad PRESENCE_* setting in the environment");
	cfg.path = argv[2];
	if ((err = store_open(&st, &cfg)) != 0)
		die("cannot open database '%s': %s", argv[2], store_strerror(err));
	memset(&t, 0, sizeof t);
	snprintf(t.name, sizeof t.name, "%s", argv[3]);
	t.scopes = TOKEN_SCOPE_READWRITE_ALL | TOKEN_SCOPE_READ_ALL;
	memset(&fault, 0, sizeof fault);
	err = store_token_issue(st, &t, secret, &fault);
	store_close(st);
	if (err != 0)
		die("cannot issue token '%s': %s %s", argv[3],
		    store_strerror(err), fault.message);
	printf("%s\n", secret);
	return 0;
}

/* request: one request; prints "STATUS" and the body on the next line. */
static int
cmd_request(int argc, char **argv)
{
	struct fc_reply	 r;
	const char	*body = argc > 5 ? argv[5] : NULL;
	int		 status;

	if (argc != 5 && argc != 6)
		die("usage: request SOCK METHOD URI [BODY]");
	status = fc_request(argv[2], argv[3], argv[4],
	    body != NULL ? "application/json" : NULL, body, TIMEOUT_MS, &r);
	if (status < 0) {
		printf("%s\n", status == FC_ECONNECT ? "noconnect" : "lost");
		return 1;
	}
	printf("%d\n%s\n", status, r.body);
	fc_reply_release(&r);
	return 0;
}

/* silent: connect, begin a request, send half its parameters, wait. */
static int
cmd_silent(int argc, char **argv)
{
	static const unsigned char begin[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };
	static const char	 part[] = "\016\004REQUEST_METHODPO";
	int			 fd;

	if (argc != 4)
		die("usage: silent SOCK SECONDS");
	if ((fd = fc_connect(argv[2])) < 0)
		die("cannot connect to '%s': %s", argv[2], strerror(errno));
	if (fc_put_record(fd, FC_BEGIN_REQUEST, begin, sizeof begin) != 0)
		die("cannot send");
	/* A PARAMS record that promises more than it sends. */
	if (fc_write_all(fd, "\001\004\000\001\000\100\000\000", 8) != 0 ||
	    fc_write_all(fd, part, sizeof part - 1) != 0)
		die("cannot send");
	printf("silent\n");
	fflush(stdout);
	fc_sleep_ms(number(argv[3]) * 1000);
	close(fd);
	return 0;
}

/* slow: send a whole request (a list), one byte every 50 ms. */
static int
cmd_slow(int argc, char **argv)
{
	const char	*params[] = { "REQUEST_METHOD=GET", "SCRIPT_NAME=",
	    "PATH_INFO=" COLL, "QUERY_STRING=", "REQUEST_URI=" COLL, NULL };
	long long	 end;
	char		 rec[512];
	size_t		 n = 0, i;
	int		 fd, sp[2];

	if (argc != 4)
		die("usage: slow SOCK SECONDS");
	end = fc_now_ms() + number(argv[3]) * 1000;
	/* Build the records into a buffer through a socket pair. */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) != 0 ||
	    fc_put_head(sp[0], params) != 0 ||
	    fc_put_record(sp[0], FC_STDIN, NULL, 0) != 0)
		die("cannot build the request");
	close(sp[0]);
	n = (size_t)read(sp[1], rec, sizeof rec);
	close(sp[1]);
	if ((fd = fc_connect(argv[2])) < 0)
		die("cannot connect to '%s': %s", argv[2], strerror(errno));
	printf("slow\n");
	fflush(stdout);
	for (i = 0; i + 1 < n && fc_now_ms() < end; i++) {
		if (fc_write_all(fd, rec + i, 1) != 0)
			break;
		fc_sleep_ms(50);
	}
	close(fd);
	return 0;
}

/* Connect to 127.0.0.1:port over TCP; the fd, or exit. */
static int
tcp_connect(const char *port)
{
	struct sockaddr_in	 sin;
	int			 fd;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)number(port));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0)
		die("cannot connect to 127.0.0.1:%s: %s", port, strerror(errno));
	return fd;
}

/* The status of an HTTP answer on fd, read for up to 10 s; 0 if none. */
static int
http_status(int fd)
{
	struct pollfd	 pfd;
	char		 buf[512];
	size_t		 n = 0;
	ssize_t		 got;
	long long	 end = fc_now_ms() + 10000, left;
	int		 status = 0;

	while (n < sizeof buf - 1 && memchr(buf, '\n', n) == NULL &&
	    (left = end - fc_now_ms()) > 0) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		if ((got = read(fd, buf + n, sizeof buf - 1 - n)) <= 0)
			break;
		n += (size_t)got;
	}
	buf[n] = '\0';
	if (sscanf(buf, "HTTP/%*s %d", &status) != 1)
		return 0;
	return status;
}

/* slowpost: a create over HTTP whose body comes a byte at a time. */
static int
cmd_slowpost(int argc, char **argv)
{
	static const char	 json[] =
	    "{\"availability\":\"Available\",\"activity\":\"Slow\"";
	char			 head[2048], body[4096];
	struct pollfd		 pfd;
	size_t			 len, i;
	long			 ms;
	int			 fd, n;

	if (argc != 7)
		die("usage: slowpost PORT PATH TOKEN BYTES MS");
	len = (size_t)number(argv[5]);
	ms = number(argv[6]);
	if (len < sizeof json || len >= sizeof body)
		die("BYTES must be from %zu to %zu", sizeof json,
		    sizeof body - 1);
	memcpy(body, json, sizeof json - 1);
	memset(body + sizeof json - 1, ' ', len - sizeof json);
	body[len - 1] = '}';
	n = snprintf(head, sizeof head, "POST %s HTTP/1.1\r\n"
	    "Host: 127.0.0.1:%s\r\nAuthorization: Bearer %s\r\n"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n", argv[3], argv[2], argv[4], len);
	if (n < 0 || (size_t)n >= sizeof head)
		die("the request head is too long");
	fd = tcp_connect(argv[2]);
	if (fc_write_all(fd, head, (size_t)n) != 0)
		die("cannot send the head: %s", strerror(errno));
	printf("sent\n");
	for (i = 0; i < len; i++) {
		/* The pause between bytes; an answer ends the sending. */
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)ms) > 0 ||
		    fc_write_all(fd, body + i, 1) != 0)
			break;
	}
	printf("%d\n", http_status(fd));
	close(fd);
	return 0;
}

/* The PARAMS contents of each badparams case, with its length. */
static size_t
bad_params(int which, unsigned char *p)
{
	static const unsigned char huge[] = { 0xff, 0xff, 0xff, 0xff };
	static const unsigned char wrap[] = { 0xff, 0xff, 0xff, 0xfe };
	static const unsigned char big[] = { 0x80, 0x10, 0x00, 0x00 };
	size_t	 n = 0;

	switch (which) {
	case 0:		/* both lengths 2^31 - 1: their sum overflows */
		memcpy(p, huge, 4);
		memcpy(p + 4, huge, 4);
		n = 8;
		break;
	case 1:		/* the sum plus two wraps to a tiny allocation */
		memcpy(p, wrap, 4);
		p[4] = 1;
		n = 5;
		break;
	case 2:		/* a name of 1 MiB that never comes */
		memcpy(p, big, 4);
		p[4] = 1;
		n = 5;
		break;
	default:	/* a value length alone, cut short */
		p[0] = 1;
		memcpy(p + 1, huge, 3);
		n = 4;
		break;
	}
	memset(p + n, 'A', 64);
	return n + 64;
}

/* badparams: one malformed PARAMS record, then whatever comes back. */
static int
cmd_badparams(int argc, char **argv)
{
	static const unsigned char begin[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };
	unsigned char	 p[128];
	struct fc_reply	 r;
	size_t		 n;
	int		 fd;

	if (argc != 4)
		die("usage: badparams SOCK CASE");
	n = bad_params((int)number(argv[3]), p);
	if ((fd = fc_connect(argv[2])) < 0)
		die("cannot connect to '%s': %s", argv[2], strerror(errno));
	if (fc_put_record(fd, FC_BEGIN_REQUEST, begin, sizeof begin) != 0 ||
	    fc_put_record(fd, FC_PARAMS, p, n) != 0 ||
	    fc_put_record(fd, FC_PARAMS, NULL, 0) != 0 ||
	    fc_put_record(fd, FC_STDIN, NULL, 0) != 0)
		printf("send failed: %s\n", strerror(errno));
	/* Up to 3 s: an answer, a closed connection, or silence. */
	if (fc_get_reply(fd, fc_now_ms() + 3000, &r) == 0) {
		printf("answered %d\n", r.status);
		fc_reply_release(&r);
	} else
		printf("no answer\n");
	close(fd);
	return 0;
}

/* fds: open n more descriptors (raising the limit), then exec the rest. */
static int
cmd_fds(int argc, char **argv)
{
	struct rlimit	 rl;
	long		 n, i;
	int		 fd;

	if (argc < 4)
		die("usage: fds N PROGRAM ARG...");
	n = number(argv[2]);
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		die("cannot read the descriptor limit: %s", strerror(errno));
	if (rl.rlim_cur < (rlim_t)n + 64) {
		rl.rlim_cur = (rlim_t)n + 64;
		if (rl.rlim_max < rl.rlim_cur || setrlimit(RLIMIT_NOFILE, &rl) != 0)
			die("cannot raise the descriptor limit to %ld", n + 64);
	}
	for (i = 0; i < n; i++)
		if ((fd = open("/dev/null", O_RDONLY)) < 0)
			die("cannot open descriptor %ld: %s", i, strerror(errno));
	execvp(argv[3], argv + 3);
	die("cannot run '%s': %s", argv[3], strerror(errno));
}

/* Run the command the first argument names. */
int
main(int argc, char **argv)
{
	static const struct {
		const char	*name;
		int		(*fn)(int, char **);
	} cmds[] = {
		{ "load", cmd_load }, { "verify", cmd_verify },
		{ "walk", cmd_walk }, { "token", cmd_token },
		{ "request", cmd_request },
		{ "silent", cmd_silent },
		{ "slow", cmd_slow }, { "slowpost", cmd_slowpost },
		{ "badparams", cmd_badparams },
		{ "fds", cmd_fds },
	};
	size_t	 i;

	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		die("usage: client load|verify|walk|token|request|silent|slow|"
		    "slowpost|badparams|fds ...");
	for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc, argv);
	die("unknown command '%s'", argv[1]);
}
