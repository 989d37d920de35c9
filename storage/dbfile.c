/*
 * The environment's files checked from outside LMDB, with read(2) only.
 *
 * data.mdb's layout is LMDB's file format version 1 (MDB_DATA_VERSION),
 * stable across the 0.9 releases: pages of mm_psize bytes, the first two
 * of them meta pages naming the last page in use and the root page of the
 * free and main trees; the main tree maps each named database to its own
 * root.  Every field is native-endian and sized by size_t (W below).
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
#define F_SUBDATA	0x02
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
 * Read root page pgno into page (m->psize bytes) and check that it is a
 * branch or leaf page of its own number whose item offsets lie in it.
 */
static int
dbfile_root_read(int fd, const struct dbfile_meta *m, size_t pgno,
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
		rc = dbfile_root_read(fd, m,
		    (size_t)dbfile_field(main + node, W), page);
		if (rc != 0)
			return rc;
	}
	return 0;
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
	if ((uint64_t)size < (uint64_t)(m.last + 1) * m.psize)
		return STORE_ESHORT;
	if ((main = malloc(2 * m.psize)) == NULL)
		return STORE_ENOMEM;
	page = main + m.psize;
	rc = 0;
	if (m.free_root != NO_PAGE)
		rc = dbfile_root_read(fd, &m, m.free_root, page);
	if (rc == 0 && m.main_root != NO_PAGE &&
	    (rc = dbfile_root_read(fd, &m, m.main_root, main)) == 0)
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
