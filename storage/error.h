/* The storage layer's one error vocabulary. */
#ifndef PRESENCE_STORAGE_ERROR_H
#define PRESENCE_STORAGE_ERROR_H

#define FAULT_NAME_MAX	128	/* a property name copied into a fault */

/*
 * Every storage function returns 0 or one of these negative codes.  Foreign
 * codes (MDB_*, errno) are translated once, where storage meets them.
 */
#define STORE_ERRORS(X)                                                       \
	X(STORE_OK,        0,   "success")                                    \
	X(STORE_EINVAL,    -1,  "invalid value")                              \
	X(STORE_ENOTFOUND, -2,  "no such presence")                           \
	X(STORE_EEXIST,    -3,  "presence already exists")                    \
	X(STORE_EFULL,     -4,  "database has reached its maximum size")      \
	X(STORE_ENOMEM,    -5,  "out of memory")                              \
	X(STORE_EIO,       -6,  "input/output error")                         \
	X(STORE_ECORRUPT,  -7,  "corrupt record")                             \
	X(STORE_EVERSION,  -8,  "unsupported database version")               \
	X(STORE_EBUSY,     -9,  "too many database readers")                  \
	X(STORE_EPANIC,    -10, "database environment failed and must be reopened") \
	X(STORE_EACCES,    -11, "permission denied")                          \
	X(STORE_EROFS,     -12, "database is open read-only")                 \
	X(STORE_ENOENT,    -13, "database directory does not exist")          \
	X(STORE_EINTERNAL, -14, "internal error")                         \
	X(STORE_EEXPIRED,  -15, "token has expired")                          \
	X(STORE_ENOTDIR,   -16, "not a directory")                            \
	X(STORE_EFSRDONLY, -17, "read-only file system")                      \
	X(STORE_ELOCKFILE, -18, "lock.mdb is not a regular file")             \
	X(STORE_EDATAFILE, -19, "data.mdb is not a regular file")             \
	X(STORE_ESHORT,    -20, "data.mdb is shorter than its own last page (an incomplete copy?)") \
	X(STORE_EBADMETA,  -21, "data.mdb has no valid meta page (not a database, or damaged)") \
	X(STORE_EBADROOT,  -22, "data.mdb is damaged: a tree's root page is not valid") \
	X(STORE_ELOCKGONE, -23, "lock.mdb was removed or replaced while the database was open") \
	X(STORE_ENOSESSION, -24, "no such presence session")

enum store_error {
#define STORE_ERROR_ENUM(name, value, message) name = value,
	STORE_ERRORS(STORE_ERROR_ENUM)
#undef STORE_ERROR_ENUM
};

/* The message for a STORE_E* code: a static string, never NULL. */
const char *store_strerror(int err);

/*
 * Whether err says data.mdb itself is damaged (STORE_ESHORT, STORE_EBADMETA,
 * STORE_EBADROOT, STORE_ECORRUPT): the cure is a complete copy, not a retry.
 */
int store_error_is_damage(int err);

/*
 * Why input was refused: a presence or a request body that does not
 * validate, JSON that is not strict, a token or a scope list that does not
 * parse.  property names the offending property (a static string or one
 * copied into name), or is NULL when the fault is not about one property;
 * message says why, for the caller's answer.
 */
struct fault {
	const char	*property;
	char		 name[FAULT_NAME_MAX + 1];
	char		 message[256];
};

/* Fill fault (when not NULL) with a property and a formatted message. */
void fault_set(struct fault *fault, const char *property, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

#endif
