/*
 * The batch subcommands: export (JSON Lines on standard output, one
 * presence a line as stored, sessions and preferred presence included:
 * codec_presence_to_export) and import (the same lines read back,
 * validated first, loaded in large transactions).  Curses-free.
 */
#ifndef PRESENCE_CONSOLE_BATCH_H
#define PRESENCE_CONSOLE_BATCH_H

#include <stddef.h>
#include <stdio.h>

#include "store.h"

#define BATCH_PAGE	512	/* presences read per transaction by export */
#define BATCH_LINE_MAX	(64 * 1024)	/* longer import lines are refused */

/* What an import did. */
struct batch_counts {
	size_t	lines;		/* lines read */
	size_t	bad;		/* lines refused by the check */
	size_t	imported;	/* presences committed */
	size_t	skipped;	/* presences stored already (resume) */
	int	renumbered;	/* sequence numbers were given anew */
};

/*
 * Write every presence, in id order, to out as JSON Lines, reading
 * BATCH_PAGE presences per read transaction (so the export is not one
 * snapshot when others write meanwhile).  Errors are reported on err.
 * Returns 0 or 1 (the exit status).
 */
int batch_export(struct store *st, FILE *out, FILE *err);

/*
 * Load the JSON Lines file at path (a regular file: it is read twice).
 * A line is an export line or a create request's body (availability and
 * activity, optionally id and @odata.type): store_import fills in what
 * is missing.  First every line is checked (the strict codec,
 * store_import_check, no id twice, none already stored) and each bad line
 * is reported on err as "PATH:LINE: reason"; if any is bad nothing is
 * written.  With resume, a line whose presence is stored with the same
 * content (store_import_differs) is not bad but skipped, and one stored
 * with different content is bad.  Then the presences are loaded through
 * store_import in transactions of batch lines (0: one transaction, all
 * or nothing).  Returns 0 or 1 (the exit status); *counts says what
 * happened.
 */
int batch_import(struct store *st, const char *path, size_t batch, int resume,
    FILE *err, struct batch_counts *counts);

#endif
