/*
 * Request bodies of up to 1 MiB in the shapes that cost a JSON reader most:
 * many names, many array items, maximal nesting, nesting past the limit,
 * and the widest and deepest the codec accepts (CODEC_MAX_VALUES).  Shared
 * by tests/storage/codec.c (a generous bound) and tests/bench/bodies.c (the
 * figure).  Header only.
 */
#ifndef PRESENCE_TESTS_BODIES_H
#define PRESENCE_TESTS_BODIES_H

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "codec.h"

#define BODIES_SIZE	(1024 * 1024)	/* what --max-body 1M lets in */
#define BODIES_COUNT	100000

enum bodies_shape {
	BODIES_NAMES,		/* 100,000 names */
	BODIES_ITEMS,		/* an array of 100,000 strings */
	BODIES_NESTED,		/* arrays 32 deep, side by side, to 1 MiB */
	BODIES_TOO_DEEP,	/* 1 MiB of '[' */
	BODIES_WIDE,		/* as many names as the codec allows, to 1 MiB */
	BODIES_WIDE_DUPLICATE,	/* the same with the last name repeated */
	BODIES_WIDE_NESTED,	/* as many values 32 deep as it allows */
	BODIES_NSHAPES
};

static const char *const bodies_names[BODIES_NSHAPES] = {
	"100,000 names", "100,000 array items", "nesting 32 deep to 1 MiB",
	"1 MiB of '['", "16,383 names", "16,383 names, the last a duplicate",
	"16,384 values nested 32 deep",
};

/* The codec's answer to each shape: refused but for those at the bound. */
static const int bodies_accepted[BODIES_NSHAPES] = { 0, 0, 0, 0, 1, 0, 1 };

/* Append names members {"N":0,...} of width digits; 0 or -1. */
static int
bodies_members(struct buf *b, int names, int width, int duplicate)
{
	int	i, err = buf_adds(b, "{");

	for (i = 0; i < names; i++)
		err |= buf_printf(b, "%s\"%0*x\":0", i ? "," : "", width,
		    duplicate && i == names - 1 ? 0 : i);
	return err | buf_adds(b, "}");
}

/* Append arrays 31 deep inside one array until values or 1 MiB; 0 or -1. */
static int
bodies_nested(struct buf *b, size_t values)
{
	char	item[2 * CODEC_MAX_DEPTH];
	size_t	n = 1;
	int	err = buf_adds(b, "[");

	memset(item, '[', CODEC_MAX_DEPTH - 1);
	memset(item + CODEC_MAX_DEPTH - 1, ']', CODEC_MAX_DEPTH - 1);
	item[2 * CODEC_MAX_DEPTH - 2] = '\0';
	while (b->len + sizeof item + 1 < BODIES_SIZE &&
	    n + CODEC_MAX_DEPTH - 1 <= values) {
		err |= buf_printf(b, "%s%s", n > 1 ? "," : "", item);
		n += CODEC_MAX_DEPTH - 1;
	}
	return err | buf_adds(b, "]");
}

/* Fill b (empty) with a body of the shape; 0 or -1. */
static int
bodies_make(enum bodies_shape shape, struct buf *b)
{
	int	i, err = 0;

	switch (shape) {
	case BODIES_NAMES:
		return bodies_members(b, BODIES_COUNT, 1, 0);
	case BODIES_ITEMS:
		err |= buf_adds(b, "{\"a\":[");
		for (i = 0; i < BODIES_COUNT; i++)
			err |= buf_adds(b, i ? ",\"abcdefg\"" : "\"abcdefg\"");
		return err | buf_adds(b, "]}");
	case BODIES_NESTED:
		return bodies_nested(b, (size_t)-1);
	case BODIES_TOO_DEEP:
		for (i = 0; i < BODIES_SIZE && err == 0; i++)
			err |= buf_add(b, "[", 1);
		return err;
	case BODIES_WIDE:
	case BODIES_WIDE_DUPLICATE:
		return bodies_members(b, CODEC_MAX_VALUES - 1, 58,
		    shape == BODIES_WIDE_DUPLICATE);
	case BODIES_WIDE_NESTED:
		return bodies_nested(b, CODEC_MAX_VALUES);
	default:
		return -1;
	}
}

/* CPU seconds this process has used. */
static double
bodies_cpu(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Check b as strict JSON; CPU seconds it took, the result into *rc. */
static double
bodies_time(const struct buf *b, int *rc, struct fault *fault)
{
	double	start = bodies_cpu();

	*rc = codec_json_check(b->data, b->len, fault);
	return bodies_cpu() - start;
}

#endif
