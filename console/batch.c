/* The batch subcommands: export and import as JSON Lines. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "batch.h"
#include "buf.h"
#include "codec.h"
#include "guid.h"

#define BATCH_PROGRAM	"presence-console"

/* An id seen by the check, as 16 bytes, and the line it was on. */
struct batch_seen {
	uint8_t		id[GUID_BYTES];
	size_t		line;
};

/* The file being imported and where the current batch began. */
struct batch_reader {
	FILE			*fp;
	const char		*path;
	char			*line;
	size_t			 cap;
	size_t			 lineno;
	size_t			 batch;
	size_t			 delivered;	/* presences handed out */
	off_t			 mark_offset;	/* where the batch began */
	size_t			 mark_lineno;
	size_t			 mark_delivered;
	size_t			 last_lineno;	/* of the last one handed out */
	char			 last_id[GUID_LEN + 1];
	struct fault		 fault;
	enum presence_mode	 mode;
	int			 resume;	/* skip what is stored already */
	size_t			 same;		/* lines stored already, the same */
	struct batch_seen	*seen;
	size_t			 nseen, capseen;
};

/* Report a problem on err, prefixed with the program's name. */
static void __attribute__((format(printf, 2, 3)))
batch_warn(FILE *err, const char *fmt, ...)
{
	va_list	ap;

	fprintf(err, "%s: ", BATCH_PROGRAM);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
}

/* Write every presence in id order to out as JSON Lines. */
int
batch_export(struct store *st, FILE *out, FILE *err)
{
	struct presence	*rows;
	struct buf	 b;
	char		 after[GUID_LEN + 1] = "";
	size_t		 n, i;
	int		 more = 1, rc = 0;

	if ((rows = calloc(BATCH_PAGE, sizeof *rows)) == NULL) {
		batch_warn(err, "cannot export: %s", store_strerror(STORE_ENOMEM));
		return 1;
	}
	buf_init(&b);
	while (more && rc == 0) {
		if ((rc = store_page(st, after, 0, rows, BATCH_PAGE, &n,
		    &more)) != 0)
			break;
		buf_reset(&b);
		for (i = 0; i < n && rc == 0; i++)
			if ((rc = codec_presence_to_export(&rows[i], &b)) == 0)
				rc = buf_add(&b, "\n", 1);
		if (rc == 0 && n > 0) {
			memcpy(after, rows[n - 1].id, sizeof after);
			if (fwrite(b.data, 1, b.len, out) != b.len)
				break;
		}
	}
	if (rc != 0)
		batch_warn(err, "cannot export: %s", store_strerror(rc));
	else if (fflush(out) != 0 || ferror(out)) {
		batch_warn(err, "cannot write to standard output: %s",
		    strerror(errno));
		rc = STORE_EIO;
	}
	buf_release(&b);
	free(rows);
	return rc == 0 ? 0 : 1;
}

/*
 * Read the next line without its line ending into r->line: its length,
 * -1 at the end of the file, or -2 on a read error.
 */
static long
batch_read_line(struct batch_reader *r)
{
	ssize_t	n;

	errno = 0;
	if ((n = getline(&r->line, &r->cap, r->fp)) < 0)
		return ferror(r->fp) ? -2 : -1;
	r->lineno++;
	if (n > 0 && r->line[n - 1] == '\n')
		r->line[--n] = '\0';
	if (n > 0 && r->line[n - 1] == '\r')
		r->line[--n] = '\0';
	return (long)n;
}

/* Remember an id the check accepted, for the duplicate check. */
static int
batch_remember(struct batch_reader *r, const char *id)
{
	struct batch_seen	*grown;
	size_t			 cap;

	if (r->nseen == r->capseen) {
		cap = r->capseen > 0 ? r->capseen * 2 : 4096;
		if ((grown = realloc(r->seen, cap * sizeof *grown)) == NULL)
			return STORE_ENOMEM;
		r->seen = grown;
		r->capseen = cap;
	}
	guid_to_bytes(id, r->seen[r->nseen].id);
	r->seen[r->nseen++].line = r->lineno;
	return 0;
}

/*
 * Check a presence whose id is stored already: 0 when a resumed import
 * skips it, 1 when it is refused (r->fault says why).
 */
static int
batch_check_existing(struct batch_reader *r, const struct presence *old,
    const struct presence *p)
{
	const char	*what = store_import_differs(old, p);

	if (what == NULL && r->resume)
		return 0;
	if (what == NULL) {
		r->same++;
		fault_set(&r->fault, "id", "presence '%s' already "
		    "exists in the database, with the same content", p->id);
	} else if (r->resume)
		fault_set(&r->fault, what, "presence '%s' already "
		    "exists in the database with a different '%s'", p->id,
		    what);
	else
		fault_set(&r->fault, "id", "presence '%s' already "
		    "exists in the database", p->id);
	return 1;
}

/*
 * Check one line: 0 when it holds a presence that can be imported, 1
 * when it does not (r->fault says why), or a STORE_E* code.
 */
static int
batch_check_line(struct batch_reader *r, struct store *st, long len,
    int look_up)
{
	struct presence	p, old;
	int		rc;

	memset(&r->fault, 0, sizeof r->fault);
	if (len == 0) {
		fault_set(&r->fault, NULL, "empty line");
		return 1;
	}
	if (len > BATCH_LINE_MAX) {
		fault_set(&r->fault, NULL,
		    "line is longer than %d bytes", BATCH_LINE_MAX);
		return 1;
	}
	rc = codec_presence_from_import(r->line, (size_t)len, &p, &r->fault);
	if (rc == 0)
		rc = store_import_check(&p, r->mode, r->resume, &r->fault);
	if (rc == STORE_EINVAL)
		return 1;
	if (rc != 0)
		return rc;
	if (p.id[0] == '\0')
		return 0;	/* a fresh id is drawn for it */
	if (look_up && (rc = store_get(st, p.id, &old)) != STORE_ENOTFOUND) {
		if (rc != 0)
			return rc;
		if ((rc = batch_check_existing(r, &old, &p)) != 0)
			return rc;
	}
	return batch_remember(r, p.id);
}

/* Order seen ids by id, then by line. */
static int
batch_seen_cmp(const void *a, const void *b)
{
	const struct batch_seen	*x = a, *y = b;
	int			 c = memcmp(x->id, y->id, sizeof x->id);

	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Report every line whose id an earlier line already has; how many. */
static size_t
batch_report_duplicates(struct batch_reader *r, FILE *err)
{
	char	text[GUID_LEN + 1];
	size_t	i, first = 0, bad = 0;

	qsort(r->seen, r->nseen, sizeof *r->seen, batch_seen_cmp);
	for (i = 1; i < r->nseen; i++) {
		if (memcmp(r->seen[i].id, r->seen[first].id, GUID_BYTES) != 0) {
			first = i;
			continue;
		}
		guid_from_bytes(r->seen[i].id, text);
		fprintf(err, "%s:%zu: duplicate id '%s' (first on line %zu)\n",
		    r->path, r->seen[i].line, text, r->seen[first].line);
		bad++;
	}
	return bad;
}

/* The first pass: check every line, report the bad ones; 0 or STORE_E*. */
static int
batch_check(struct batch_reader *r, struct store *st,
    struct batch_counts *counts, FILE *err)
{
	struct store_stat	stat;
	long			len;
	int			rc;

	if ((rc = store_stat(st, &stat)) != 0)
		return rc;
	if (fseeko(r->fp, 0, SEEK_SET) != 0)
		return STORE_EIO;
	r->lineno = r->nseen = r->same = 0;
	counts->lines = counts->bad = 0;
	while ((len = batch_read_line(r)) >= 0) {
		counts->lines++;
		rc = batch_check_line(r, st, len, stat.count > 0);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			counts->bad++;
			fprintf(err, "%s:%zu: %s\n", r->path, r->lineno,
			    r->fault.message);
		}
	}
	if (len == -2)
		return STORE_EIO;
	counts->bad += batch_report_duplicates(r, err);
	return 0;
}

/* store_import's source: the next presence of the file. */
static int
batch_next(void *arg, struct presence *p)
{
	struct batch_reader	*r = arg;
	long			 len;

	if (r->batch > 0 && r->delivered % r->batch == 0) {
		r->mark_offset = ftello(r->fp);
		r->mark_lineno = r->lineno;
		r->mark_delivered = r->delivered;
	}
	if ((len = batch_read_line(r)) == -1)
		return 0;
	if (len < 0)
		return STORE_EIO;
	memset(&r->fault, 0, sizeof r->fault);
	if (codec_presence_from_import(r->line, (size_t)len, p, &r->fault) != 0)
		return STORE_EINVAL;
	r->delivered++;
	r->last_lineno = r->lineno;
	memcpy(r->last_id, p->id, sizeof r->last_id);
	return 1;
}

/* store_import's rewind: back to presence number done, a batch's first. */
static int
batch_rewind(void *arg, size_t done)
{
	struct batch_reader	*r = arg;

	if (done == 0) {
		r->mark_offset = 0;
		r->mark_lineno = r->mark_delivered = 0;
	} else if (done != r->mark_delivered)
		return STORE_EINTERNAL;
	if (fseeko(r->fp, r->mark_offset, SEEK_SET) != 0)
		return STORE_EIO;
	r->lineno = r->mark_lineno;
	r->delivered = r->mark_delivered;
	return 0;
}

/* Load the file through store_import in batches of r->batch lines. */
static int
batch_load(struct batch_reader *r, struct store *st, struct store_import *imp,
    struct batch_counts *counts)
{
	int	rc;

	if (fseeko(r->fp, 0, SEEK_SET) != 0)
		return STORE_EIO;
	r->lineno = r->delivered = r->mark_lineno = r->mark_delivered = 0;
	r->mark_offset = 0;
	memset(imp, 0, sizeof *imp);
	imp->next = batch_next;
	imp->rewind = batch_rewind;
	imp->arg = r;
	imp->batch = r->batch;
	imp->skip_same = r->resume;
	rc = store_import(st, imp);
	counts->imported = imp->done - imp->skipped;
	counts->skipped = imp->skipped;
	counts->renumbered = imp->renumbered;
	counts->lines = r->lineno;
	return rc;
}

/* Report why a load failed, naming the line when it is known. */
static void
batch_load_error(const struct batch_reader *r, const struct store_import *imp,
    int rc, FILE *err)
{
	const char	*why;

	why = imp->fault.message[0] != '\0' ? imp->fault.message :
	    r->fault.message[0] != '\0' ? r->fault.message : store_strerror(rc);
	if ((rc == STORE_EINVAL || rc == STORE_EEXIST) && imp->id[0] != '\0' &&
	    strcmp(imp->id, r->last_id) == 0)
		fprintf(err, "%s:%zu: %s\n", r->path, r->last_lineno, why);
	else if (r->lineno > 0)
		fprintf(err, "%s:%zu: %s\n", r->path, r->lineno, why);
	else
		batch_warn(err, "cannot import '%s': %s", r->path, why);
}

/* Copy standard input to an unnamed temporary file, so it can be reread. */
static FILE *
batch_spool(FILE *in, FILE *err)
{
	char	 chunk[65536];
	size_t	 n;
	FILE	*fp;

	if ((fp = tmpfile()) == NULL) {
		batch_warn(err, "cannot make a temporary file: %s",
		    strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
		if (fwrite(chunk, 1, n, fp) != n)
			break;
	if (ferror(in) || ferror(fp) || fflush(fp) != 0) {
		batch_warn(err, "cannot read standard input: %s",
		    strerror(errno));
		fclose(fp);
		return NULL;
	}
	rewind(fp);
	return fp;
}

/* Open the file to import: a regular file, or standard input ("-"). */
static FILE *
batch_open(const char *path, FILE *err)
{
	struct stat	 sb;
	FILE		*fp;

	if (strcmp(path, "-") == 0)
		return batch_spool(stdin, err);
	if ((fp = fopen(path, "r")) == NULL) {
		batch_warn(err, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		batch_warn(err, "cannot import '%s': not a regular file", path);
		fclose(fp);
		return NULL;
	}
	return fp;
}

/* Report the outcome of an import. */
static void
batch_summary(int rc, const struct batch_reader *r,
    const struct batch_counts *counts, FILE *err)
{
	if (rc == 0 && counts->bad == 0) {
		printf("imported %zu presences from '%s'", counts->imported,
		    r->path);
		if (counts->renumbered)
			printf(" with new sequence numbers");
		if (counts->skipped > 0)
			printf("; %zu were there already", counts->skipped);
		putchar('\n');
	} else if (counts->bad > 0) {
		batch_warn(err, "nothing imported: %zu of %zu lines are bad",
		    counts->bad, counts->lines);
		if (r->same > 0)
			batch_warn(err, "%zu of them are stored already with the "
			    "same content: --resume skips those", r->same);
	} else if (counts->imported > 0) {
		batch_warn(err, "import stopped: %zu presences were imported "
		    "before the failure", counts->imported);
		batch_warn(err, "once the cause is fixed, import --resume "
		    "skips those and goes on");
	} else
		batch_warn(err, "nothing imported");
}

/*
 * All or nothing: one pass while every line is good, since the load checks
 * each presence and writes nothing unless all of them are.  When one is
 * refused the check pass runs to report every bad line.
 */
static int
batch_import_all(struct batch_reader *r, struct store *st,
    struct batch_counts *counts, FILE *err)
{
	struct store_import	imp;
	int			rc, check;

	rc = batch_load(r, st, &imp, counts);
	if (rc != STORE_EINVAL && rc != STORE_EEXIST) {
		if (rc != 0)
			batch_load_error(r, &imp, rc, err);
		return rc;
	}
	counts->imported = 0;
	if ((check = batch_check(r, st, counts, err)) != 0) {
		batch_warn(err, "cannot check '%s': %s", r->path,
		    store_strerror(check));
		return check;
	}
	if (counts->bad == 0)
		batch_load_error(r, &imp, rc, err);
	return rc;
}

/* In batches: check every line first, so a bad one stops all writes. */
static int
batch_import_batches(struct batch_reader *r, struct store *st,
    struct batch_counts *counts, FILE *err)
{
	struct store_import	imp;
	int			rc;

	if ((rc = batch_check(r, st, counts, err)) != 0) {
		batch_warn(err, "cannot check '%s': %s", r->path,
		    store_strerror(rc));
		return rc;
	}
	if (counts->bad > 0)
		return STORE_EINVAL;
	if ((rc = batch_load(r, st, &imp, counts)) != 0)
		batch_load_error(r, &imp, rc, err);
	return rc;
}

/* Load the JSON Lines file at path. */
int
batch_import(struct store *st, const char *path, size_t batch, int resume,
    FILE *err, struct batch_counts *counts)
{
	struct batch_reader	r;
	int			rc;

	memset(counts, 0, sizeof *counts);
	memset(&r, 0, sizeof r);
	r.path = strcmp(path, "-") == 0 ? "(standard input)" : path;
	r.batch = batch;
	r.resume = resume;
	r.mode = store_value_mode(st);
	if ((r.fp = batch_open(path, err)) == NULL)
		return 1;
	if (batch == 0)
		rc = batch_import_all(&r, st, counts, err);
	else
		rc = batch_import_batches(&r, st, counts, err);
	batch_summary(rc, &r, counts, err);
	free(r.seen);
	free(r.line);
	fclose(r.fp);
	return rc == 0 ? 0 : 1;
}
