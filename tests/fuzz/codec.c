/*
 * Fuzz target: the JSON codec and validation.  Any bytes go through
 * codec_json_check, codec_presence_from_json (a create's body) and
 * codec_presence_from_export (an export line).  Invariants: each answers
 * 0 or a documented error with a message; what the create parser takes is
 * strict JSON, holds a canonical or empty id and NUL-terminated values;
 * GRAPH validation is stricter than ANY; and a valid presence written by
 * codec_presence_to_json is strict JSON that the export parser reads back
 * to the same presence and the same bytes, while the create parser refuses
 * its read-only properties.
 */
#include <string.h>

#include "buf.h"
#include "codec.h"
#include "error.h"
#include "fuzz.h"
#include "guid.h"
#include "presence.h"
#include "store.h"

#define FIXED_ID	"0f0e0d0c-0b0a-4908-8706-050403020100"

/* Whether two presences are equal in every field. */
static int
same(const struct presence *a, const struct presence *b)
{
	return strcmp(a->id, b->id) == 0 &&
	    strcmp(a->availability, b->availability) == 0 &&
	    strcmp(a->activity, b->activity) == 0 &&
	    a->created == b->created && a->modified == b->modified &&
	    a->sequence == b->sequence;
}

/* The fields of p are NUL-terminated within their arrays. */
static void
expect_terminated(const struct presence *p)
{
	expect(memchr(p->id, '\0', sizeof p->id) != NULL);
	expect(memchr(p->availability, '\0', sizeof p->availability) != NULL);
	expect(memchr(p->activity, '\0', sizeof p->activity) != NULL);
}

/* A refusal comes with a message. */
static void
expect_fault(int rc, const struct fault *f)
{
	expect(rc == 0 || rc == STORE_EINVAL || rc == STORE_ENOMEM);
	if (rc == STORE_EINVAL) {
		expect(memchr(f->message, '\0', sizeof f->message) != NULL);
		expect(f->message[0] != '\0');
	}
}

/* Write p as the API does and read it back as an export line. */
static void
round_trip(const struct presence *p)
{
	struct presence		 back, again;
	struct fault		 f;
	struct buf		 out, out2;

	buf_init(&out);
	buf_init(&out2);
	if (codec_presence_to_json(p, &out) != 0)
		goto release;
	expect(codec_json_check(out.data, out.len, &f) == 0);
	memset(&f, 0, sizeof f);
	expect(codec_presence_from_export(out.data, out.len, &back, &f) == 0);
	expect(same(p, &back));
	expect(codec_presence_to_json(&back, &out2) == 0);
	expect(out2.len == out.len && memcmp(out.data, out2.data, out.len) == 0);
	/* The API's own output carries read-only properties: not a create. */
	expect(codec_presence_from_json(out.data, out.len, &again, &f) ==
	    STORE_EINVAL);
release:
	buf_release(&out2);
	buf_release(&out);
}

/* The create parser: a body as POST sends it. */
static void
check_create(const char *text, size_t size, int strict)
{
	struct presence		 p;
	struct fault		 f;
	int			 rc, any, graph;

	memset(&f, 0, sizeof f);
	rc = codec_presence_from_json(text, size, &p, &f);
	expect_fault(rc, &f);
	if (rc != 0)
		return;
	expect(strict == 0);
	expect_terminated(&p);
	expect(p.id[0] == '\0' || guid_is_canonical(p.id));
	any = presence_validate(&p, PRESENCE_MODE_ANY, &f);
	graph = presence_validate(&p, PRESENCE_MODE_GRAPH, &f);
	expect(any == 0 || any == STORE_EINVAL);
	expect(graph == 0 || graph == STORE_EINVAL);
	expect(graph != 0 || any == 0);
	if (any != 0)
		return;
	if (p.id[0] == '\0')
		memcpy(p.id, FIXED_ID, sizeof FIXED_ID);
	p.created = 1795845332123;
	p.modified = p.created + 1;
	p.sequence = 42;
	round_trip(&p);
}

/*
 * Write p as export does and read it back: the same bytes again, sessions
 * and preferred presence included.
 */
static void
round_trip_export(const struct presence *p)
{
	struct presence		 back;
	struct fault		 f;
	struct buf		 out, out2;

	buf_init(&out);
	buf_init(&out2);
	if (codec_presence_to_export(p, &out) != 0)
		goto release;
	memset(&f, 0, sizeof f);
	expect(codec_presence_from_export(out.data, out.len, &back, &f) == 0);
	expect(store_import_check(&back, PRESENCE_MODE_ANY, 0, &f) == 0);
	expect(codec_presence_to_export(&back, &out2) == 0);
	expect(out2.len == out.len && memcmp(out.data, out2.data, out.len) == 0);
release:
	buf_release(&out2);
	buf_release(&out);
}

/* The export parser: a line of presence-console export. */
static void
check_export(const char *text, size_t size, int strict)
{
	struct presence		 p;
	struct fault		 f;
	int			 rc;

	memset(&f, 0, sizeof f);
	rc = codec_presence_from_export(text, size, &p, &f);
	expect_fault(rc, &f);
	if (rc != 0)
		return;
	expect(strict == 0);
	expect_terminated(&p);
	if (guid_is_canonical(p.id) &&
	    presence_validate(&p, PRESENCE_MODE_ANY, &f) == 0)
		round_trip(&p);
	if (guid_is_canonical(p.id) &&
	    store_import_check(&p, PRESENCE_MODE_ANY, 0, &f) == 0)
		round_trip_export(&p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*text = (const char *)data;
	struct fault		 f;
	int			 strict;

	memset(&f, 0, sizeof f);
	strict = codec_json_check(text, size, &f);
	expect_fault(strict, &f);
	check_create(text, size, strict);
	check_export(text, size, strict);
	return 0;
}
