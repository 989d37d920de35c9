/* The on-disk encoding of a presence. */
#include <string.h>

#include "error.h"
#include "record.h"

/* Write v little-endian in n bytes. */
static unsigned char *
record_put(unsigned char *out, uint64_t v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		*out++ = (unsigned char)(v >> (8 * i));
	return out;
}

/* Write a text field (at most max bytes) with its u16 length. */
static unsigned char *
record_put_text(unsigned char *out, const char *s, size_t max)
{
	size_t	len = strnlen(s, max);

	out = record_put(out, len, 2);
	memcpy(out, s, len);
	return out + len;
}

/* Write a short field with its u8 length. */
static unsigned char *
record_put_short(unsigned char *out, const char *s, size_t max)
{
	size_t	len = strnlen(s, max);

	*out++ = (unsigned char)len;
	memcpy(out, s, len);
	return out + len;
}

/* The flags of p's record. */
static unsigned char
record_flags(const struct presence *p)
{
	return (p->sessions_seen ? RECORD_SEEN : 0) |
	    (p->preferred.set ? RECORD_PREFERRED : 0) |
	    (p->status.set ? RECORD_STATUS : 0) |
	    (p->ooo.on ? RECORD_OOF : 0) |
	    (p->ooo.message[0] != '\0' ? RECORD_OOF_MESSAGE : 0) |
	    (p->manual.set ? RECORD_MANUAL : 0) |
	    (p->automatic.set ? RECORD_AUTOMATIC : 0);
}

/* Write a work location layer. */
static unsigned char *
record_put_location(unsigned char *out, const struct note_location *l)
{
	*out++ = l->type;
	return record_put_text(out, l->place, NOTE_PLACE_MAX);
}

/* Write what follows the sessions: status, out of office, location. */
static unsigned char *
record_put_notes(unsigned char *end, const struct presence *p)
{
	const struct note_status	*s = &p->status;

	if (s->set) {
		end = record_put_text(end, s->content, NOTE_MESSAGE_MAX);
		end = record_put(end, (uint64_t)s->published, 8);
		end = record_put(end, (uint64_t)s->expires, 8);
		end = record_put_short(end, s->expiry_time, ZONE_LOCAL_MAX);
		end = record_put_short(end, s->expiry_zone, ZONE_NAME_MAX);
	}
	if (p->ooo.message[0] != '\0')
		end = record_put_text(end, p->ooo.message, NOTE_MESSAGE_MAX);
	if (p->manual.set)
		end = record_put_location(end, &p->manual);
	if (p->automatic.set)
		end = record_put_location(end, &p->automatic);
	return end;
}

/* Encode p into out (RECORD_MAX bytes); return the length used. */
size_t
record_encode(const struct presence *p, unsigned char *out)
{
	unsigned char	*end = out;

	size_t		 i, n = p->nsessions;

	if (n > PRESENCE_SESSIONS_MAX)
		n = PRESENCE_SESSIONS_MAX;
	*end++ = RECORD_VERSION;
	*end++ = record_flags(p);
	end = record_put(end, (uint64_t)p->created, 8);
	end = record_put(end, (uint64_t)p->modified, 8);
	end = record_put(end, p->sequence, 8);
	end = record_put_text(end, p->availability, PRESENCE_VALUE_MAX);
	end = record_put_text(end, p->activity, PRESENCE_VALUE_MAX);
	if (p->preferred.set) {
		*end++ = p->preferred.pair;
		end = record_put(end, (uint64_t)p->preferred.expires, 8);
	}
	*end++ = (unsigned char)n;
	for (i = 0; i < n; i++) {
		end = record_put_short(end, p->sessions[i].id, SESSION_ID_MAX);
		*end++ = p->sessions[i].pair;
		end = record_put(end, (uint64_t)p->sessions[i].refreshed, 8);
		end = record_put(end, (uint64_t)p->sessions[i].expires, 8);
	}
	end = record_put_notes(end, p);
	return (size_t)(end - out);
}

/* A bounded reader over an encoded record. */
struct record_reader {
	const unsigned char	*p;
	size_t			 left;
};

/* Read n little-endian bytes; 0 or -1 when the record is too short. */
static int
record_get(struct record_reader *r, size_t n, uint64_t *v)
{
	size_t	i;

	if (r->left < n)
		return -1;
	*v = 0;
	for (i = 0; i < n; i++)
		*v |= (uint64_t)r->p[i] << (8 * i);
	r->p += n;
	r->left -= n;
	return 0;
}

/*
 * Read a field with its length of lenbytes bytes into dst (at most max
 * bytes and a NUL); *len is its length.  0 or -1.
 */
static int
record_take(struct record_reader *r, size_t lenbytes, char *dst, size_t max,
    size_t *len)
{
	uint64_t	n;

	if (record_get(r, lenbytes, &n) != 0 || n > max || n > r->left)
		return -1;
	memcpy(dst, r->p, (size_t)n);
	dst[n] = '\0';
	r->p += n;
	r->left -= (size_t)n;
	*len = (size_t)n;
	return 0;
}

/* Read a valid value with its u16 length into a field of PRESENCE_VALUE_MAX. */
static int
record_get_string(struct record_reader *r, char *dst)
{
	size_t	len;

	if (record_take(r, 2, dst, PRESENCE_VALUE_MAX, &len) != 0)
		return -1;
	return presence_check_value("value", dst, len, PRESENCE_MODE_ANY,
	    NULL) == 0 ? 0 : -1;
}

/* Read a short field with its u8 length into dst (max bytes and a NUL). */
static int
record_get_short(struct record_reader *r, char *dst, size_t max)
{
	size_t	len;

	if (record_take(r, 1, dst, max, &len) != 0)
		return -1;
	return strlen(dst) == len ? 0 : -1;
}

/* Read the preferred presence and the sessions of a version 2 record. */
static int
record_get_sessions(struct record_reader *r, uint64_t flags,
    struct presence *p)
{
	struct presence_session	*s;
	uint64_t		 v, n, i;

	if (flags & RECORD_PREFERRED) {
		if (record_get(r, 1, &v) != 0 || v >= PREFERRED_NPAIRS ||
		    record_get(r, 8, &n) != 0)
			return -1;
		p->preferred.set = 1;
		p->preferred.pair = (unsigned char)v;
		p->preferred.expires = (int64_t)n;
	}
	if (record_get(r, 1, &n) != 0 || n > PRESENCE_SESSIONS_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		s = &p->sessions[i];
		if (record_get_short(r, s->id, SESSION_ID_MAX) != 0 ||
		    !session_id_valid(s->id, strlen(s->id)) ||
		    record_get(r, 1, &v) != 0 || v >= SESSION_NPAIRS)
			return -1;
		s->pair = (unsigned char)v;
		if (record_get(r, 8, &v) != 0)
			return -1;
		s->refreshed = (int64_t)v;
		if (record_get(r, 8, &v) != 0)
			return -1;
		s->expires = (int64_t)v;
	}
	p->nsessions = (size_t)n;
	p->sessions_seen = (flags & RECORD_SEEN) != 0;
	return 0;
}

/* Read a long text field (u16 length) of at most max bytes into dst. */
static int
record_get_text(struct record_reader *r, char *dst, size_t max, int lines)
{
	size_t	len;

	if (record_take(r, 2, dst, max, &len) != 0)
		return -1;
	return note_check_text("text", dst, len, max, lines, NULL) == 0 &&
	    strlen(dst) == len ? 0 : -1;
}

/* Read a work location layer. */
static int
record_get_location(struct record_reader *r, struct note_location *l)
{
	uint64_t	v;

	if (record_get(r, 1, &v) != 0 || v >= NOTE_NWORK ||
	    record_get_text(r, l->place, NOTE_PLACE_MAX, 0) != 0)
		return -1;
	l->set = 1;
	l->type = (unsigned char)v;
	return 0;
}

/* Read what follows the sessions in a version 3 record. */
static int
record_get_notes(struct record_reader *r, uint64_t flags, struct presence *p)
{
	struct note_status	*s = &p->status;
	uint64_t		 published, expires;

	if (flags & RECORD_STATUS) {
		if (record_get_text(r, s->content, NOTE_MESSAGE_MAX, 1) != 0 ||
		    s->content[0] == '\0' ||
		    record_get(r, 8, &published) != 0 ||
		    record_get(r, 8, &expires) != 0 ||
		    record_get_short(r, s->expiry_time, ZONE_LOCAL_MAX) != 0 ||
		    record_get_short(r, s->expiry_zone, ZONE_NAME_MAX) != 0)
			return -1;
		s->set = 1;
		s->published = (int64_t)published;
		s->expires = (int64_t)expires;
	}
	p->ooo.on = (flags & RECORD_OOF) != 0;
	if ((flags & RECORD_OOF_MESSAGE) &&
	    (record_get_text(r, p->ooo.message, NOTE_MESSAGE_MAX, 1) != 0 ||
	    p->ooo.message[0] == '\0'))
		return -1;
	if ((flags & RECORD_MANUAL) &&
	    record_get_location(r, &p->manual) != 0)
		return -1;
	if ((flags & RECORD_AUTOMATIC) &&
	    record_get_location(r, &p->automatic) != 0)
		return -1;
	return 0;
}

/* Decode len bytes into p (all but the id). */
int
record_decode(const unsigned char *in, size_t len, struct presence *p)
{
	struct record_reader	r = { in, len };
	uint64_t		v, flags, created, modified;

	p->sessions_seen = 0;
	p->nsessions = 0;
	memset(&p->preferred, 0, sizeof p->preferred);
	memset(&p->status, 0, sizeof p->status);
	memset(&p->ooo, 0, sizeof p->ooo);
	memset(&p->manual, 0, sizeof p->manual);
	memset(&p->automatic, 0, sizeof p->automatic);
	if (record_get(&r, 1, &v) != 0)
		return STORE_ECORRUPT;
	if (v < 1 || v > RECORD_VERSION)
		return STORE_EVERSION;
	if (record_get(&r, 1, &flags) != 0 || (flags & 0x80) != 0 ||
	    (v == 2 && (flags & ~(uint64_t)RECORD_V2_FLAGS) != 0) ||
	    (v == 1 && flags != 0) ||
	    record_get(&r, 8, &created) != 0 ||
	    record_get(&r, 8, &modified) != 0 ||
	    record_get(&r, 8, &p->sequence) != 0 ||
	    record_get_string(&r, p->availability) != 0 ||
	    record_get_string(&r, p->activity) != 0 ||
	    (v >= 2 && record_get_sessions(&r, flags, p) != 0) ||
	    (v >= 3 && record_get_notes(&r, flags, p) != 0) ||
	    r.left != 0)
		return STORE_ECORRUPT;
	p->created = (int64_t)created;
	p->modified = (int64_t)modified;
	return 0;
}

/* Encode a token into out (RECORD_TOKEN_MAX bytes); the length used. */
size_t
record_token_encode(const struct token *t, unsigned char *out)
{
	unsigned char	*end = out;

	*end++ = RECORD_TOKEN_VERSION;
	*end++ = 0;
	*end++ = (unsigned char)t->scopes;
	end = record_put(end, (uint64_t)t->created, 8);
	end = record_put(end, (uint64_t)t->expires, 8);
	end = record_put_short(end, t->name, TOKEN_NAME_MAX);
	end = record_put_short(end, t->user, GUID_LEN);
	return (size_t)(end - out);
}

/* Decode a token's record. */
int
record_token_decode(const unsigned char *in, size_t len, struct token *t)
{
	struct record_reader	r = { in, len };
	uint64_t		v, flags, scopes, created, expires;

	memset(t, 0, sizeof *t);
	if (record_get(&r, 1, &v) != 0)
		return STORE_ECORRUPT;
	if (v != RECORD_TOKEN_VERSION)
		return STORE_EVERSION;
	if (record_get(&r, 1, &flags) != 0 || flags != 0 ||
	    record_get(&r, 1, &scopes) != 0 ||
	    record_get(&r, 8, &created) != 0 ||
	    record_get(&r, 8, &expires) != 0 ||
	    record_get_short(&r, t->name, TOKEN_NAME_MAX) != 0 ||
	    record_get_short(&r, t->user, GUID_LEN) != 0 || r.left != 0)
		return STORE_ECORRUPT;
	t->scopes = (unsigned)scopes;
	t->created = (int64_t)created;
	t->expires = (int64_t)expires;
	return token_validate(t, NULL) == 0 ? 0 : STORE_ECORRUPT;
}
