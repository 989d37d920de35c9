/*
 * The environment's two files as the file system sees them, checked
 * before LMDB maps data.mdb: a map of a file shorter than its own last
 * page, or of scribbled pages, ends the process with SIGBUS or SIGSEGV
 * on the first read instead of an error.
 */
#ifndef PRESENCE_STORAGE_DBFILE_H
#define PRESENCE_STORAGE_DBFILE_H

#include <sys/types.h>

/*
 * Check the environment directory dir before it is opened: dir is a
 * directory (STORE_ENOTDIR, STORE_ENOENT), lock.mdb and data.mdb are
 * regular files when they exist (STORE_ELOCKFILE, STORE_EDATAFILE), and
 * data.mdb, unless missing or empty (then *fresh is 1), has valid meta
 * pages (STORE_EBADMETA), is as long as the last page they record or
 * lacks only pages its free list names, which LMDB may leave unwritten
 * (STORE_ESHORT), and the root pages of its main and free trees and of
 * every named database are pages of the right kind (STORE_EBADROOT).
 * Returns 0 or one of those codes; never writes, never maps the file.
 */
int dbfile_check(const char *dir, int *fresh);

/* The identity of dir's lock.mdb, to tell later whether it was replaced. */
struct dbfile_lock {
	dev_t	dev;
	ino_t	ino;
};

/* Remember which file dir/lock.mdb is now; 0 or a STORE_E* code. */
int dbfile_lock_get(const char *dir, struct dbfile_lock *lock);

/*
 * Whether dir/lock.mdb is still the file lock names: 0, or
 * STORE_ELOCKGONE when it was unlinked or replaced.  One stat(2).
 */
int dbfile_lock_check(const char *dir, const struct dbfile_lock *lock);

#endif
