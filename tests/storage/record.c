/* The on-disk record encoding. */
#include <string.h>

#include "error.h"
#include "record.h"
#include "tap.h"

int
main(void)
{
	struct presence	p, q;
	unsigned char	rec[RECORD_MAX], bad[RECORD_MAX];
	size_t		len, cut;
	int		all_short_refused = 1;

	memset(&p, 0, sizeof p);
	strcpy(p.availability, "Busy");
	strcpy(p.activity, "InACall");
	p.created = 1795851332123LL;
	p.modified = 1795851399999LL;
	p.sequence = 0x0102030405060708ULL;
	len = record_encode(&p, rec);
	is_int(len, 2 + 24 + 2 + 4 + 2 + 7, "the encoding is compact");
	is_int(rec[0], RECORD_VERSION, "it starts with the version");
	is_int(rec[2], 0x1b, "integers are little-endian");

	memset(&q, 0xa5, sizeof q);
	is_int(record_decode(rec, len, &q), 0, "it decodes");
	is_str(q.availability, "Busy", "availability");
	is_str(q.activity, "InACall", "activity");
	is_int(q.created, p.created, "created");
	is_int(q.modified, p.modified, "modified");
	ok(q.sequence == p.sequence, "sequence");

	for (cut = 0; cut < len; cut++)
		all_short_refused &= record_decode(rec, cut, &q) ==
		    STORE_ECORRUPT;
	ok(all_short_refused, "every truncation is refused as corrupt");
	rec[len] = 0;
	is_int(record_decode(rec, len + 1, &q), STORE_ECORRUPT,
	    "a trailing byte is refused");

	memcpy(bad, rec, len);
	bad[0] = 2;
	is_int(record_decode(bad, len, &q), STORE_EVERSION,
	    "an unknown version is told apart");
	memcpy(bad, rec, len);
	bad[1] = 1;
	is_int(record_decode(bad, len, &q), STORE_ECORRUPT,
	    "unknown flags are refused");
	memcpy(bad, rec, len);
	bad[26] = 0xff;
	is_int(record_decode(bad, len, &q), STORE_ECORRUPT,
	    "an over-long length is refused");
	memcpy(bad, rec, len);
	bad[28] = 0x01;
	is_int(record_decode(bad, len, &q), STORE_ECORRUPT,
	    "a control character in a value is refused");
	memcpy(bad, rec, len);
	bad[26] = 0;
	bad[27] = 0;
	is_int(record_decode(bad, len, &q), STORE_ECORRUPT,
	    "an empty value is refused");
	return tap_done();
}
