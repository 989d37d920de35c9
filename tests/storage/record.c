/* The on-disk record encoding. */
#include <string.h>

#include "error.h"
#include "record.h"
#include "tap.h"

/* A record as the first release wrote it still decodes. */
static void
test_version1(void)
{
	/* version 1, flags 0, created 1, modified 2, sequence 3, "Av", "Ac" */
	static const unsigned char v1[] = {
		1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0,
		3, 0, 0, 0, 0, 0, 0, 0, 2, 0, 'A', 'v', 2, 0, 'A', 'c'
	};
	unsigned char	bad[sizeof v1 + 1];
	struct presence	q;

	memset(&q, 0xa5, sizeof q);
	is_int(record_decode(v1, sizeof v1, &q), 0, "a version 1 record decodes");
	ok(q.created == 1 && q.modified == 2 && q.sequence == 3 &&
	    strcmp(q.availability, "Av") == 0 && strcmp(q.activity, "Ac") == 0,
	    "with its values");
	ok(q.nsessions == 0 && !q.sessions_seen && !q.preferred.set,
	    "as a presence without sessions or preferred presence");
	memcpy(bad, v1, sizeof v1);
	bad[sizeof v1] = 0;
	is_int(record_decode(bad, sizeof bad, &q), STORE_ECORRUPT,
	    "a version 1 record has nothing after the activity");
	memcpy(bad, v1, sizeof v1);
	bad[1] = RECORD_SEEN;
	is_int(record_decode(bad, sizeof v1, &q), STORE_ECORRUPT,
	    "nor flags");
}

/* Sessions and the preferred presence go through the record. */
static void
test_sessions(void)
{
	struct presence	p, q;
	unsigned char	rec[RECORD_MAX], bad[RECORD_MAX];
	size_t		len, cut, i;
	int		all_short_refused = 1, same = 1;

	memset(&p, 0, sizeof p);
	strcpy(p.availability, "Available value");
	strcpy(p.activity, "Activity value");
	p.sessions_seen = 1;
	p.preferred.set = 1;
	p.preferred.pair = PREFERRED_OFF_WORK;
	p.preferred.expires = 1795851399999LL;
	p.nsessions = PRESENCE_SESSIONS_MAX;
	for (i = 0; i < PRESENCE_SESSIONS_MAX; i++) {
		memset(p.sessions[i].id, 'a' + (int)i, SESSION_ID_MAX);
		p.sessions[i].pair = (unsigned char)(i % SESSION_NPAIRS);
		p.sessions[i].refreshed = 1795851332123LL + (int64_t)i;
		p.sessions[i].expires = 1795851332123LL + 1000 * (int64_t)i;
	}
	len = record_encode(&p, rec);
	ok(len <= RECORD_MAX, "the fullest record fits RECORD_MAX (%zu)", len);
	memset(&q, 0xa5, sizeof q);
	is_int(record_decode(rec, len, &q), 0, "it decodes");
	ok(q.sessions_seen && q.preferred.set &&
	    q.preferred.pair == PREFERRED_OFF_WORK &&
	    q.preferred.expires == p.preferred.expires, "the preferred presence");
	is_int(q.nsessions, PRESENCE_SESSIONS_MAX, "every session");
	for (i = 0; i < PRESENCE_SESSIONS_MAX; i++)
		same &= strcmp(q.sessions[i].id, p.sessions[i].id) == 0 &&
		    q.sessions[i].pair == p.sessions[i].pair &&
		    q.sessions[i].refreshed == p.sessions[i].refreshed &&
		    q.sessions[i].expires == p.sessions[i].expires;
	ok(same, "with its id, pair and times");
	for (cut = 0; cut < len; cut++)
		all_short_refused &= record_decode(rec, cut, &q) != 0;
	ok(all_short_refused, "every truncation is refused");
	memcpy(bad, rec, len);
	bad[len - 2 * 8 - 1] = SESSION_NPAIRS;
	is_int(record_decode(bad, len, &q), STORE_ECORRUPT,
	    "an unknown session pair is refused");
	p.nsessions = 1;
	p.sessions[0].id[0] = '\t';
	len = record_encode(&p, rec);
	is_int(record_decode(rec, len, &q), STORE_ECORRUPT,
	    "a session id with a control character is refused");
}

/* A record as the sessions release (version 2) wrote it still decodes. */
static void
test_version2(void)
{
	/* version 2, RECORD_SEEN, times 1 2 3, "Av", "Ac", no session */
	static const unsigned char v2[] = {
		2, RECORD_SEEN, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0,
		3, 0, 0, 0, 0, 0, 0, 0, 2, 0, 'A', 'v', 2, 0, 'A', 'c', 0
	};
	unsigned char	bad[sizeof v2];
	struct presence	q;

	memset(&q, 0xa5, sizeof q);
	is_int(record_decode(v2, sizeof v2, &q), 0, "a version 2 record decodes");
	ok(q.sessions_seen && q.nsessions == 0 && !q.status.set &&
	    !q.ooo.on && q.ooo.message[0] == '\0' && !q.manual.set &&
	    !q.automatic.set, "with no status message, out of office or "
	    "work location");
	memcpy(bad, v2, sizeof v2);
	bad[1] = RECORD_SEEN | RECORD_OOF;
	is_int(record_decode(bad, sizeof bad, &q), STORE_ECORRUPT,
	    "a version 2 record has none of version 3's flags");
}

/* The status message, out of office and work location go through it. */
static void
test_notes(void)
{
	struct presence	p, q;
	unsigned char	rec[RECORD_MAX], bad[RECORD_MAX];
	size_t		len, cut;
	int		all_short_refused = 1;

	memset(&p, 0, sizeof p);
	strcpy(p.availability, "Available");
	strcpy(p.activity, "Available");
	p.status.set = 1;
	memset(p.status.content, 'm', NOTE_MESSAGE_MAX);
	p.status.content[0] = '\n';
	p.status.published = 1795851332123LL;
	p.status.expires = 1795851399999LL;
	memset(p.status.expiry_time, '1', ZONE_LOCAL_MAX);
	memset(p.status.expiry_zone, 'z', ZONE_NAME_MAX);
	p.ooo.on = 1;
	memset(p.ooo.message, 'o', NOTE_MESSAGE_MAX);
	p.manual.set = 1;
	p.manual.type = NOTE_WORK_TIME_OFF;
	memset(p.manual.place, 'p', NOTE_PLACE_MAX);
	p.automatic.set = 1;
	p.automatic.type = NOTE_WORK_REMOTE;
	len = record_encode(&p, rec);
	ok(len <= RECORD_MAX, "the fullest notes fit RECORD_MAX (%zu)", len);
	memset(&q, 0xa5, sizeof q);
	is_int(record_decode(rec, len, &q), 0, "a record with notes decodes");
	ok(q.status.set && strcmp(q.status.content, p.status.content) == 0 &&
	    q.status.published == p.status.published &&
	    q.status.expires == p.status.expires &&
	    strcmp(q.status.expiry_time, p.status.expiry_time) == 0 &&
	    strcmp(q.status.expiry_zone, p.status.expiry_zone) == 0,
	    "the status message, with its expiry as sent");
	ok(q.ooo.on && strcmp(q.ooo.message, p.ooo.message) == 0,
	    "the out-of-office settings");
	ok(q.manual.set && q.manual.type == NOTE_WORK_TIME_OFF &&
	    strcmp(q.manual.place, p.manual.place) == 0 && q.automatic.set &&
	    q.automatic.type == NOTE_WORK_REMOTE && q.automatic.place[0] == '\0',
	    "both work location layers");
	for (cut = 0; cut < len; cut++)
		all_short_refused &= record_decode(rec, cut, &q) != 0;
	ok(all_short_refused, "every truncation is refused");
	memcpy(bad, rec, len);
	bad[len - 3] = NOTE_NWORK;
	is_int(record_decode(bad, len, &q), STORE_ECORRUPT,
	    "an unknown workLocationType is refused");
	p.automatic.set = 0;
	p.ooo.on = 0;
	p.ooo.message[0] = '\0';
	p.manual.place[0] = '\t';
	len = record_encode(&p, rec);
	is_int(record_decode(rec, len, &q), STORE_ECORRUPT,
	    "a placeId with a control character is refused");
	p.manual.set = 0;
	p.status.content[0] = '\0';
	len = record_encode(&p, rec);
	is_int(record_decode(rec, len, &q), STORE_ECORRUPT,
	    "an empty status message is refused");
}

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
	is_int(len, 2 + 24 + 2 + 4 + 2 + 7 + 1, "the encoding is compact");
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
	bad[0] = RECORD_VERSION + 1;
	is_int(record_decode(bad, len, &q), STORE_EVERSION,
	    "an unknown version is told apart");
	memcpy(bad, rec, len);
	bad[1] = 0x80;
	is_int(record_decode(bad, len, &q), STORE_ECORRUPT,
	    "unknown flags are refused");
	memcpy(bad, rec, len);
	bad[1] = RECORD_PREFERRED;
	is_int(record_decode(bad, len, &q), STORE_ECORRUPT,
	    "a preferred presence the record lacks is refused");
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
	test_version1();
	test_version2();
	test_sessions();
	test_notes();
	return tap_done();
}
