/*
 * Fuzz target: the on-disk record decoder, as if any bytes were read from
 * the database.  Invariants: record_decode answers 0, STORE_ECORRUPT or
 * STORE_EVERSION; what it accepts is the one encoding of a presence with
 * valid values (encoding it again gives the same bytes, the same with
 * the version raised for version 2, or for version 1 the same presence
 * with no session), and the API can write it as strict JSON, as stored
 * and as a read shows it.
 */
#include <string.h>

#include "buf.h"
#include "codec.h"
#include "error.h"
#include "fuzz.h"
#include "presence.h"
#include "record.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char		 again[RECORD_MAX];
	struct presence		 p;
	struct presence_view	 view;
	struct fault		 f;
	struct buf		 out;
	size_t			 n;
	int			 rc;

	memset(&p, 0, sizeof p);
	rc = record_decode(data, size, &p);
	expect(rc == 0 || rc == STORE_ECORRUPT || rc == STORE_EVERSION);
	if (rc != 0)
		return 0;
	expect(size <= RECORD_MAX);
	n = record_encode(&p, again);
	if (data[0] == RECORD_VERSION)
		expect(n == size && memcmp(again, data, n) == 0);
	else if (data[0] == 2)	/* nothing follows the sessions */
		expect(n == size && again[0] == RECORD_VERSION &&
		    memcmp(again + 1, data + 1, size - 1) == 0);
	else	/* version 1: written again with no session */
		expect(n == size + 1 && again[0] == RECORD_VERSION &&
		    memcmp(again + 1, data + 1, size - 1) == 0 &&
		    again[size] == 0);
	memcpy(p.id, "0f0e0d0c-0b0a-4908-8706-050403020100", GUID_LEN + 1);
	expect(presence_validate(&p, PRESENCE_MODE_ANY, &f) == 0);
	buf_init(&out);
	expect(codec_presence_to_json(&p, &out) == 0);
	expect(codec_json_check(out.data, out.len, &f) == 0);
	buf_reset(&out);
	presence_view(&p, p.modified, &view);
	expect(codec_presence_view_to_json(&p, &view, NULL, &out) == 0);
	expect(codec_json_check(out.data, out.len, &f) == 0);
	buf_reset(&out);
	expect(codec_presence_to_export(&p, &out) == 0);
	expect(codec_json_check(out.data, out.len, &f) == 0);
	buf_release(&out);
	return 0;
}
