/*
 * The environment's files checked from outside LMDB, with read(2) only.
 *
 * data.mdb's layout is LMDB's file format version 1 (MDB_DATA_VERSION),
 * stable across the 0.9 releases: pages of mm_psize bytes, the first two
 * of them meta pages naming the last page in use and the root page of the
 * free and main trees; the main tree maps each named database to its own
 * root.  Every field is native-endian and sized by size_t (W below).
 *
 * A whole database may end before its last page: LMDB never writes a page
 * that one transaction both took and gave back, so when those are the
 * highest pages the file is short and they are on the free list.  The
 * free tree (keys: transaction ids; data: lists of page numbers, the
 * first entry their count, inline or on overflow pages) is then read the
 * same way, page by page, to see that every page past the end is free.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbfile.h"
#include "error.h"

#define W		sizeof(size_t)
#define PAGE_HDR	(W + 8)		/* pgno, pad, flags, lower, upper */
#define PAGE_FLAGS	(W + 2)
#define PAGE_LOWER	(W + 4)
#define PAGE_UPPER	(W + 6)
#define P_BRANCH	0x01
#define P_LEAF		0x02
#define P_OVERFLOW	0x04
#define P_META		0x08
#define P_LEAF2		0x20
#define META_MAGIC	0xBEEFC0DEu
#define META_VERSION	1u
#define META_AT		PAGE_HDR	/* the meta follows the page header */
#define META_PSIZE	(META_AT + 8 + 2 * W)	/* free tree's md_pad */
#define DB_SIZE		(8 + 5 * W)
#define DB_ROOT		(8 + 4 * W)
#define META_FREE	(META_AT + 8 + 2 * W)
#define META_MAIN	(META_FREE + DB_SIZE)
#define META_LAST	(META_MAIN + DB_SIZE)
#define META_TXNID	(META_LAST + W)
#define META_LEN	(META_TXNID + W)
#define NODE_HDR	8		/* data size, flags, key size */
#define OVER_PAGES	(W + 4)		/* an overflow page's page count */
#define F_BIGDATA	0x01
#define F_SUBDATA	0x02
#define F_DUPDATA	0x04
#define TREE_DEPTH	32		/* LMDB's deepest cursor stack */
#define PAGE_MIN	512
#define PAGE_MAX	65536
#define NO_PAGE		SIZE_MAX	/* an empty tree's root */

/* What the meta pages say. */
struct dbfile_meta {
	size_t		psize;
	size_t		last;		/* last page in use */
	size_t		free_root, main_root;
	uint64_t	txnid;
};

/* The pages past the end of a short file, and which of them are free. */
struct dbfile_tail {
	size_t		 first;		/* the first page not wholly there */
	size_t		 count;		/* first..last */
	unsigned char	*free;		/* a bit per page, set when listed */
	size_t		 visits;	/* free tree pages left to read */
};

/* A native-endian field of width n at p. */
static uint64_t
dbfile_field(const unsigned char *p, size_t n)
{
	uint64_t	v64;
	uint32_t	v32;
	uint16_t	v16;

	if (n == 8) {
		memcpy(&v64, p, 8);
		return v64;
	}
	if (n == 4) {
		memcpy(&v32, p, 4);
		return v32;
	}
	memcpy(&v16, p, 2);
	return v16;
}

/* Read exactly len bytes at off; 0, 1 when the file ends first, or -1. */
static int
dbfile_pread(int fd, void *buf, size_t len, off_t off)
{
	ssize_t	n;
	size_t	got = 0;

	while (got < len) {
		n = pread(fd, (char *)buf + got, len - got, off + (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 1;
		got += (size_t)n;
	}
	return 0;
}

/* Read and check meta page i (its page size known from meta 0). */
static int
dbfile_meta_read(int fd, size_t i, struct dbfile_meta *m)
{
	unsigned char	buf[META_LEN];
	size_t		psize;
	int		rc;

	rc = dbfile_pread(fd, buf, sizeof buf, (off_t)(i * m->psize));
	if (rc < 0)
		return STORE_EIO;
	if (rc > 0 || !(dbfile_field(buf + PAGE_FLAGS, 2) & P_META) ||
	    dbfile_field(buf + META_AT, 4) != META_MAGIC ||
	    dbfile_field(buf + META_AT + 4, 4) != META_VERSION)
		return STORE_EBADMETA;
	psize = (size_t)dbfile_field(buf + META_PSIZE, 4);
	if (i == 0) {
		if (psize < PAGE_MIN || psize > PAGE_MAX ||
		    (psize & (psize - 1)) != 0)
			return STORE_EBADMETA;
		m->psize = psize;
	}
	/* LMDB takes the meta with the larger transaction id. */
	if (i == 0 || dbfile_field(buf + META_TXNID, W) > m->txnid) {
		m->txnid = dbfile_field(buf + META_TXNID, W);
		m->last = (size_t)dbfile_field(buf + META_LAST, W);
		m->free_root = (size_t)dbfile_field(buf + META_FREE + DB_ROOT, W);
		m->main_root = (size_t)dbfile_field(buf + META_MAIN + DB_ROOT, W);
	}
	return 0;
}

/*
 * Read tree page pgno into page (m->psize bytes) and check that it is a
 * branch or leaf page of its own number whose item offsets lie in it.
 */
static int
dbfile_page_read(int fd, const struct dbfile_meta *m, size_t pgno,
    unsigned char *page)
{
	size_t	flags, lower, upper, i, ptr;

	if (pgno < 2 || pgno > m->last)
		return STORE_EBADROOT;
	if (dbfile_pread(fd, page, m->psize, (off_t)(pgno * m->psize)) != 0)
		return STORE_EBADROOT;
	flags = (size_t)dbfile_field(page + PAGE_FLAGS, 2);
	lower = (size_t)dbfile_field(page + PAGE_LOWER, 2);
	upper = (size_t)dbfile_field(page + PAGE_UPPER, 2);
	if (dbfile_field(page, W) != pgno ||
	    (flags & (P_BRANCH | P_LEAF)) == 0 ||
	    (flags & (P_BRANCH | P_LEAF)) == (P_BRANCH | P_LEAF) ||
	    (flags & (P_OVERFLOW | P_META)) != 0 ||
	    lower < PAGE_HDR || lower > upper || upper > m->psize)
		return STORE_EBADROOT;
	if (flags & P_LEAF2)
		return 0;	/* fixed-size items: no offsets */
	if ((lower - PAGE_HDR) % 2 != 0)
		return STORE_EBADROOT;
	for (i = PAGE_HDR; i < lower; i += 2) {
		ptr = (size_t)dbfile_field(page + i, 2);
		if (ptr < upper || ptr + NODE_HDR > m->psize)
			return STORE_EBADROOT;
	}
	return 0;
}

/*
 * Check the roots of the named databases, which the main tree's root
 * holds as leaf items (a main tree deep enough to branch has far more
 * names than this service makes; its root alone is checked).
 */
static int
dbfile_named_roots(int fd, const struct dbfile_meta *m, unsigned char *main,
    unsigned char *page)
{
	size_t	lower = (size_t)dbfile_field(main + PAGE_LOWER, 2);
	size_t	i, node, ksize, dsize, flags;
	int	rc;

	if (!(dbfile_field(main + PAGE_FLAGS, 2) & P_LEAF) ||
	    (dbfile_field(main + PAGE_FLAGS, 2) & P_LEAF2))
		return 0;
	for (i = PAGE_HDR; i < lower; i += 2) {
		node = (size_t)dbfile_field(main + i, 2);
		dsize = (size_t)dbfile_field(main + node, 4);
		flags = (size_t)dbfile_field(main + node + 4, 2);
		ksize = (size_t)dbfile_field(main + node + 6, 2);
		if (!(flags & F_SUBDATA))
			continue;
		if (dsize != DB_SIZE ||
		    node + NODE_HDR + ksize + DB_SIZE > m->psize)
			return STORE_EBADROOT;
		node += NODE_HDR + ksize + DB_ROOT;
		if ((size_t)dbfile_field(main + node, W) == NO_PAGE)
			continue;
		rc = dbfile_page_read(fd, m,
		    (size_t)dbfile_field(main + node, W), page);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Mark the n page numbers at ids that lie past the end as free. */
static int
dbfile_tail_mark(const struct dbfile_meta *m, struct dbfile_tail *t,
    const unsigned char *ids, size_t n)
{
	size_t	i, pgno;

	for (i = 0; i < n; i++) {
		pgno = (size_t)dbfile_field(ids + i * W, W);
		if (pgno < 2 || pgno > m->last)
			return STORE_ESHORT;	/* not a list of pages */
		if (pgno >= t->first)
			t->free[(pgno - t->first) / CHAR_BIT] |=
			    (unsigned char)(1u << (pgno - t->first) % CHAR_BIT);
	}
	return 0;
}

/*
 * Mark the pages of a free list of len bytes kept on the overflow pages
 * from pgno, read a page's worth at a time into buf (m->psize bytes).
 */
static int
dbfile_tail_overflow(int fd, const struct dbfile_meta *m,
    struct dbfile_tail *t, size_t pgno, size_t len, unsigned char *buf)
{
	size_t	pages, n, chunk, at;
	off_t	off;
	int	rc;

	if (pgno < 2 || pgno > m->last ||
	    dbfile_pread(fd, buf, PAGE_HDR, (off_t)(pgno * m->psize)) != 0)
		return STORE_ESHORT;
	pages = (size_t)dbfile_field(buf + OVER_PAGES, 4);
	if (dbfile_field(buf, W) != pgno ||
	    !(dbfile_field(buf + PAGE_FLAGS, 2) & P_OVERFLOW) ||
	    pages < 1 || pages > m->last - pgno + 1 ||
	    len < W || len > pages * m->psize - PAGE_HDR)
		return STORE_ESHORT;
	off = (off_t)(pgno * m->psize + PAGE_HDR);
	if (dbfile_pread(fd, buf, W, off) != 0)
		return STORE_ESHORT;
	n = (size_t)dbfile_field(buf, W);
	if (n > len / W - 1)
		return STORE_ESHORT;
	for (at = 0; at < n; at += chunk) {
		chunk = n - at < m->psize / W ? n - at : m->psize / W;
		if (dbfile_pread(fd, buf, chunk * W,
		    off + (off_t)((1 + at) * W)) != 0)
			return STORE_ESHORT;
		if ((rc = dbfile_tail_mark(m, t, buf, chunk)) != 0)
			return rc;
	}
	return 0;
}

/* Mark the pages of the free list held by the leaf node at node. */
static int
dbfile_tail_leaf(int fd, const struct dbfile_meta *m, struct dbfile_tail *t,
    const unsigned char *page, size_t node, unsigned char *buf)
{
	size_t	dsize = (size_t)dbfile_field(page + node, 4);
	size_t	flags = (size_t)dbfile_field(page + node + 4, 2);
	size_t	data = node + NODE_HDR + (size_t)dbfile_field(page + node + 6, 2);
	size_t	n;

	if (flags & (F_SUBDATA | F_DUPDATA))
		return STORE_ESHORT;
	if (flags & F_BIGDATA) {
		if (data + W > m->psize)
			return STORE_ESHORT;
		return dbfile_tail_overflow(fd, m, t,
		    (size_t)dbfile_field(page + data, W), dsize, buf);
	}
	if (dsize < W || data + dsize > m->psize)
		return STORE_ESHORT;
	n = (size_t)dbfile_field(page + data, W);
	if (n > dsize / W - 1)
		return STORE_ESHORT;
	return dbfile_tail_mark(m, t, page + data + W, n);
}

/*
 * Walk the free tree below page pgno at depth, marking every listed page
 * past the end.  Each page is read with pread into memory of its own, so
 * a page the file lacks or a scribbled one is an answer, never a fault;
 * the depth and the number of pages read are bounded, so a loop in a
 * damaged tree ends too.
 */
static int
dbfile_tail_walk(int fd, const struct dbfile_meta *m, struct dbfile_tail *t,
    size_t pgno, unsigned depth)
{
	unsigned char	*page;
	size_t		 i, lower, node, child;
	int		 rc;

	if (depth >= TREE_DEPTH || t->visits == 0)
		return STORE_ESHORT;
	t->visits--;
	if ((page = malloc(2 * m->psize)) == NULL)
		return STORE_ENOMEM;
	if ((rc = dbfile_page_read(fd, m, pgno, page)) != 0) {
		rc = STORE_ESHORT;
		goto free_page;
	}
	lower = (size_t)dbfile_field(page + PAGE_LOWER, 2);
	if (dbfile_field(page + PAGE_FLAGS, 2) & P_LEAF2) {
		rc = STORE_ESHORT;
		goto free_page;
	}
	for (i = PAGE_HDR; i < lower && rc == 0; i += 2) {
		node = (size_t)dbfile_field(page + i, 2);
		if (dbfile_field(page + PAGE_FLAGS, 2) & P_LEAF) {
			rc = dbfile_tail_leaf(fd, m, t, page, node,
			    page + m->psize);
			continue;
		}
		/* A branch node's page number: its data size and flags. */
		child = (size_t)dbfile_field(page + node, 4);
		if (W > 4)
			child |= (size_t)(dbfile_field(page + node + 4, 2) << 32);
		rc = dbfile_tail_walk(fd, m, t, child, depth + 1);
	}
free_page:
	free(page);
	return rc;
}

/*
 * Whether every page from the end of a file of size bytes to the last
 * page is on the free list: 0, or STORE_ESHORT when one is not (or the
 * free tree cannot say).
 */
static int
dbfile_tail_free(int fd, const struct dbfile_meta *m, off_t size)
{
	struct dbfile_tail	t;
	size_t			i;
	int			rc;

	t.first = (size_t)size / m->psize;
	t.count = m->last - t.first + 1;
	t.visits = t.first;
	/* Each listed page takes W bytes of the file. */
	if (m->free_root == NO_PAGE || t.count > (size_t)size / W)
		return STORE_ESHORT;
	if ((t.free = calloc(t.count / CHAR_BIT + 1, 1)) == NULL)
		return STORE_ENOMEM;
	rc = dbfile_tail_walk(fd, m, &t, m->free_root, 0);
	for (i = 0; rc == 0 && i < t.count; i++)
		if (!(t.free[i / CHAR_BIT] & (1u << i % CHAR_BIT)))
			rc = STORE_ESHORT;
	free(t.free);
	return rc;
}

/* Check an open, non-empty data.mdb of size bytes. */
static int
dbfile_check_data(int fd, off_t size)
{
	struct dbfile_meta	 m;
	unsigned char		*main, *page;
	int			 rc;

	memset(&m, 0, sizeof m);
	if ((rc = dbfile_meta_read(fd, 0, &m)) != 0 ||
	    (rc = dbfile_meta_read(fd, 1, &m)) != 0)
		return rc;
	if (m.last < 1 || m.last >= (size_t)INT64_MAX / m.psize)
		return STORE_EBADMETA;
	if ((uint64_t)size < (uint64_t)(m.last + 1) * m.psize &&
	    (rc = dbfile_tail_free(fd, &m, size)) != 0)
		return rc;
	if ((main = malloc(2 * m.psize)) == NULL)
		return STORE_ENOMEM;
	page = main + m.psize;
	rc = 0;
	if (m.free_root != NO_PAGE)
		rc = dbfile_page_read(fd, &m, m.free_root, page);
	if (rc == 0 && m.main_root != NO_PAGE &&
	    (rc = dbfile_page_read(fd, &m, m.main_root, main)) == 0)
		rc = dbfile_named_roots(fd, &m, main, page);
	free(main);
	return rc;
}

/* Translate the errno of a failed stat or open of path. */
static int
dbfile_errno(int err)
{
	switch (err) {
	case ENOENT:	return STORE_ENOENT;
	case ENOTDIR:	return STORE_ENOTDIR;
	case EACCES:
	case EPERM:	return STORE_EACCES;
	case ENOMEM:	return STORE_ENOMEM;
	default:	return STORE_EIO;
	}
}

/* Check the environment directory dir and its files before opening. */
int
dbfile_check(const char *dir, int *fresh)
{
	char		path[PATH_MAX];
	struct stat	sb;
	int		fd, rc, n;

	*fresh = 0;
	if (stat(dir, &sb) != 0)
		return dbfile_errno(errno);
	if (!S_ISDIR(sb.st_mode))
		return STORE_ENOTDIR;
	n = snprintf(path, sizeof path, "%s/lock.mdb", dir);
	if (n < 0 || (size_t)n >= sizeof path)
		return STORE_EINVAL;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		return STORE_ELOCKFILE;
	snprintf(path, sizeof path, "%s/data.mdb", dir);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		if (errno != ENOENT)
			return errno == EISDIR ? STORE_EDATAFILE :
			    dbfile_errno(errno);
		*fresh = 1;
		return 0;
	}
	if (fstat(fd, &sb) != 0)
		rc = dbfile_errno(errno);
	else if (!S_ISREG(sb.st_mode))
		rc = STORE_EDATAFILE;
	else if (sb.st_size == 0) {
		*fresh = 1;
		rc = 0;
	} else
		rc = dbfile_check_data(fd, sb.st_size);
	close(fd);
	return rc;
}

/* Remember which file dir/lock.mdb is now. */
int
dbfile_lock_get(const char *dir, struct dbfile_lock *lock)
{
	char		path[PATH_MAX];
	struct stat	sb;
	int		n;

	n = snprintf(path, sizeof path, "%s/lock.mdb", dir);
	if (n < 0 || (size_t)n >= sizeof path)
		return STORE_EINVAL;
	if (stat(path, &sb) != 0)
		return dbfile_errno(errno);
	lock->dev = sb.st_dev;
	lock->ino = sb.st_ino;
	return 0;
}

/* Whether dir/lock.mdb is still the file lock names. */
int
dbfile_lock_check(const char *dir, const struct dbfile_lock *lock)
{
	struct dbfile_lock	now;

	if (dbfile_lock_get(dir, &now) != 0 || now.dev != lock->dev ||
	    now.ino != lock->ino)
		return STORE_ELOCKGONE;
	return 0;
}
