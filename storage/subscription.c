/*
 * A subscription's resource, checks and JSON: what POST and PATCH
 * /subscriptions read and what the API writes back.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "base64.h"
#include "codec.h"
#include "error.h"
#include "presence.h"
#include "reader.h"
#include "subscription.h"

#define RESOURCE_PATH	"communications/presences"
#define SUB_ODATA_TYPE	"#microsoft.graph.subscription"
#define OWNER_REMOTE	"remote-user "

/* The owner of a REMOTE_USER's subscriptions: its tag and digest. */
int
subscription_owner_remote(const char *user, char owner[TOKEN_NAME_MAX + 1])
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	n = 0;
	size_t		tag = strlen(OWNER_REMOTE);

	owner[0] = '\0';
	if (EVP_Digest(user, strlen(user), md, &n, EVP_sha256(), NULL) != 1 ||
	    tag + BASE64URL_LEN(n) > TOKEN_NAME_MAX)
		return STORE_EIO;
	memcpy(owner, OWNER_REMOTE, tag);
	base64url_encode(md, n, owner + tag);
	return 0;
}

/* Skip blanks in the span [*p, end). */
static void
skip_blanks(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
}

/* Add the id of len bytes at text to s, once; 0 or STORE_EINVAL. */
static int
resource_add(struct subscription *s, const char *text, size_t len,
    struct fault *fault)
{
	char	id[GUID_LEN + 1];
	size_t	i;

	if (guid_parse(text, len, id) != 0) {
		fault_set(fault, "resource", "'resource' names '%.*s', which is "
		    "not a presence id (a GUID)", len > 64 ? 64 : (int)len,
		    text);
		return STORE_EINVAL;
	}
	for (i = 0; i < s->nids; i++)
		if (strcmp(s->ids[i], id) == 0)
			return 0;
	if (s->nids == SUBSCRIPTION_IDS_MAX) {
		fault_set(fault, "resource", "'resource' names more than %d "
		    "presences", SUBSCRIPTION_IDS_MAX);
		return STORE_EINVAL;
	}
	memcpy(s->ids[s->nids++], id, sizeof id);
	return 0;
}

/* Parse "id in ('a', 'b', ...)" in [p, end). */
static int
resource_filter(const char *p, const char *end, struct subscription *s,
    struct fault *fault)
{
	const char	*q;

	skip_blanks(&p, end);
	if (end - p < 2 || memcmp(p, "id", 2) != 0)
		goto bad;
	p += 2;
	skip_blanks(&p, end);
	if (end - p < 2 || strncasecmp(p, "in", 2) != 0)
		goto bad;
	p += 2;
	skip_blanks(&p, end);
	if (p == end || *p++ != '(')
		goto bad;
	for (;;) {
		skip_blanks(&p, end);
		if (p == end || *p++ != '\'')
			goto bad;
		if ((q = memchr(p, '\'', (size_t)(end - p))) == NULL)
			goto bad;
		if (resource_add(s, p, (size_t)(q - p), fault) != 0)
			return STORE_EINVAL;
		p = q + 1;
		skip_blanks(&p, end);
		if (p == end)
			goto bad;
		if (*p == ')')
			break;
		if (*p++ != ',')
			goto bad;
	}
	p++;
	skip_blanks(&p, end);
	if (p == end)
		return 0;
bad:
	fault_set(fault, "resource", "'resource' must be "
	    "communications/presences/{id} or communications/presences?"
	    "$filter=id in ('{id}',...) with 1 to %d quoted ids",
	    SUBSCRIPTION_IDS_MAX);
	return STORE_EINVAL;
}

/* Parse a subscription's resource into s->ids. */
int
subscription_resource_parse(const char *text, size_t len,
    struct subscription *s, struct fault *fault)
{
	const char	*p = text, *end = text + len;
	size_t		 n = strlen(RESOURCE_PATH);

	s->nids = 0;
	s->filter = 0;
	if (p < end && *p == '/')
		p++;
	if ((size_t)(end - p) < n || memcmp(p, RESOURCE_PATH, n) != 0)
		return resource_filter(end, end, s, fault);
	p += n;
	if (p < end && *p == '/' && end - p > 1)
		return resource_add(s, p + 1, (size_t)(end - p - 1), fault);
	n = strlen("?$filter=");
	if ((size_t)(end - p) < n || memcmp(p, "?$filter=", n) != 0)
		return resource_filter(end, end, s, fault);
	s->filter = 1;
	return resource_filter(p + n, end, s, fault);
}

/* Append s's resource. */
int
subscription_resource_format(const struct subscription *s, struct buf *out)
{
	size_t	i;
	int	rc;

	if (!s->filter && s->nids == 1)
		return buf_printf(out, "/" RESOURCE_PATH "/%s", s->ids[0]);
	if ((rc = buf_adds(out, "/" RESOURCE_PATH "?$filter=id in (")) != 0)
		return rc;
	for (i = 0; i < s->nids && rc == 0; i++)
		rc = buf_printf(out, "%s'%s'", i > 0 ? "," : "", s->ids[i]);
	return rc == 0 ? buf_adds(out, ")") : rc;
}

/* Whether s is printable ASCII without blanks: a URL as kept. */
static int
url_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s >= 0x7f)
			return 0;
	return 1;
}

/* Check a URL member: http or https, printable, within the limit. */
static int
check_url(const char *name, const char *url, struct fault *fault)
{
	if (strncasecmp(url, "https://", 8) != 0 &&
	    strncasecmp(url, "http://", 7) != 0) {
		fault_set(fault, name, "'%s' must be an https URL", name);
		return STORE_EINVAL;
	}
	if (!url_printable(url)) {
		fault_set(fault, name, "'%s' must be a URL of printable ASCII "
		    "without spaces", name);
		return STORE_EINVAL;
	}
	return 0;
}

/* Check a new expiry against now. */
int
subscription_check_expiry(int64_t expires, int64_t now, struct fault *fault)
{
	if (expires <= now) {
		fault_set(fault, "expirationDateTime", "'expirationDateTime' "
		    "must be in the future");
		return STORE_EINVAL;
	}
	if (expires - now > SUBSCRIPTION_LIFETIME_MAX) {
		fault_set(fault, "expirationDateTime", "'expirationDateTime' "
		    "must be at most 60 minutes ahead (a presence "
		    "subscription lives at most an hour; renew it with PATCH)");
		return STORE_EINVAL;
	}
	return 0;
}

/* Check s before it is stored. */
int
subscription_validate(const struct subscription *s, int64_t now,
    struct fault *fault)
{
	size_t	i;
	int	rc;

	if (s->nids == 0 || s->nids > SUBSCRIPTION_IDS_MAX) {
		fault_set(fault, "resource", "'resource' must name 1 to %d "
		    "presences", SUBSCRIPTION_IDS_MAX);
		return STORE_EINVAL;
	}
	for (i = 0; i < s->nids; i++) {
		if (!guid_is_canonical(s->ids[i])) {
			fault_set(fault, "resource", "'resource' holds an id "
			    "that is not a GUID");
			return STORE_EINVAL;
		}
	}
	if ((rc = check_url("notificationUrl", s->notify_url, fault)) != 0)
		return rc;
	if (s->lifecycle_url[0] != '\0' && (rc = check_url(
	    "lifecycleNotificationUrl", s->lifecycle_url, fault)) != 0)
		return rc;
	for (i = 0; s->client_state[i] != '\0'; i++) {
		if ((unsigned char)s->client_state[i] < ' ' ||
		    s->client_state[i] == 0x7f) {
			fault_set(fault, "clientState", "'clientState' must not "
			    "hold control characters");
			return STORE_EINVAL;
		}
	}
	return subscription_check_expiry(s->expires, now, fault);
}

/* Read exactly n digits at *p into *v, stepping past them; 0 or -1. */
static int
take_digits(const char **p, int n, int *v)
{
	int	i;

	*v = 0;
	for (i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return 0;
}

/*
 * Parse an ISO 8601 date-time as Graph clients send it:
 * YYYY-MM-DDTHH:MM:SS, an optional fraction (any number of digits, read
 * to the millisecond), then Z or an offset +HH:MM / -HH:MM.
 */
static int
parse_datetime(const char *s, int64_t *ms)
{
	int		 y, mo, d, h, mi, sec, milli = 0, oh = 0, om = 0, sign;
	int		 scale = 100;

	if (take_digits(&s, 4, &y) != 0 || *s++ != '-' ||
	    take_digits(&s, 2, &mo) != 0 || *s++ != '-' ||
	    take_digits(&s, 2, &d) != 0 || (*s != 'T' && *s != 't') ||
	    (s++, take_digits(&s, 2, &h)) != 0 || *s++ != ':' ||
	    take_digits(&s, 2, &mi) != 0 || *s++ != ':' ||
	    take_digits(&s, 2, &sec) != 0)
		return -1;
	if (*s == '.') {
		if (!isdigit((unsigned char)*++s))
			return -1;
		for (; isdigit((unsigned char)*s); s++, scale /= 10)
			milli += (*s - '0') * scale;
	}
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (take_digits(&s, 2, &oh) != 0 || *s++ != ':' ||
		    take_digits(&s, 2, &om) != 0 || oh > 23 || om > 59)
			return -1;
		oh *= sign;
		om *= sign;
	} else
		return -1;
	if (*s != '\0' || !presence_date_valid(y, mo, d, h, mi, sec))
		return -1;
	*ms = (presence_utc_seconds(y, mo, d, h, mi, sec) -
	    (oh * 3600 + om * 60)) * 1000 + milli;
	return 0;
}

/*
 * Copy a string member (or null: "") into dst of size bytes.  A NUL
 * cannot come in a string: the strict reader refuses \u0000.
 */
static int
take_string(struct json_object *v, const char *key, char *dst, size_t size,
    int nullable, struct fault *fault)
{
	if (v == NULL && nullable) {
		dst[0] = '\0';
		return 0;
	}
	return reader_take_string(v, key, dst, size, fault);
}

/* Read an expirationDateTime member. */
static int
take_expiry(struct json_object *v, int64_t *expires, struct fault *fault)
{
	char	text[64];

	if (take_string(v, "expirationDateTime", text, sizeof text, 0,
	    fault) != 0)
		return STORE_EINVAL;
	if (parse_datetime(text, expires) != 0) {
		fault_set(fault, "expirationDateTime", "'expirationDateTime' "
		    "must be an ISO 8601 date and time with Z or an offset, "
		    "as 2026-01-01T10:00:00Z");
		return STORE_EINVAL;
	}
	return 0;
}

/* The members a create reads, as bits. */
enum {
	SUB_CHANGE = 1, SUB_URL = 2, SUB_RESOURCE = 4, SUB_EXPIRY = 8
};

/* A create body being read into s. */
struct sub_read {
	struct subscription	*s;
	unsigned		 seen;	/* the members read, as SUB_* bits */
};

/* Read one member of a create body into the subscription. */
static int
take_member(void *arg, const char *key, struct json_object *v,
    struct fault *fault)
{
	struct sub_read		*rd = arg;
	struct subscription	*s = rd->s;
	unsigned		*seen = &rd->seen;
	char			 text[SUBSCRIPTION_RESOURCE_MAX + 1];

	if (strcmp(key, "changeType") == 0) {
		*seen |= SUB_CHANGE;
		if (take_string(v, key, text, 64, 0, fault) != 0)
			return STORE_EINVAL;
		if (strcmp(text, "updated") != 0) {
			fault_set(fault, key, "'changeType' must be \"updated\": "
			    "presences are only updated");
			return STORE_EINVAL;
		}
		return 0;
	}
	if (strcmp(key, "notificationUrl") == 0) {
		*seen |= SUB_URL;
		return take_string(v, key, s->notify_url,
		    sizeof s->notify_url, 0, fault);
	}
	if (strcmp(key, "lifecycleNotificationUrl") == 0)
		return take_string(v, key, s->lifecycle_url,
		    sizeof s->lifecycle_url, 1, fault);
	if (strcmp(key, "clientState") == 0) {
		s->has_client_state = v != NULL;
		return take_string(v, key, s->client_state,
		    sizeof s->client_state, 1, fault);
	}
	if (strcmp(key, "resource") == 0) {
		*seen |= SUB_RESOURCE;
		if (take_string(v, key, text, sizeof text, 0, fault) != 0)
			return STORE_EINVAL;
		return subscription_resource_parse(text, strlen(text), s, fault);
	}
	if (strcmp(key, "expirationDateTime") == 0) {
		*seen |= SUB_EXPIRY;
		return take_expiry(v, &s->expires, fault);
	}
	if (strcmp(key, "includeResourceData") == 0) {
		if (v != NULL && !json_object_is_type(v, json_type_boolean)) {
			fault_set(fault, key, "'%s' must be a boolean", key);
			return STORE_EINVAL;
		}
		if (v != NULL && json_object_get_boolean(v)) {
			fault_set(fault, key, "'includeResourceData' must be "
			    "false: notifications with resource data are not "
			    "offered");
			return STORE_EINVAL;
		}
		return 0;
	}
	if (strcmp(key, "latestSupportedTlsVersion") == 0 ||
	    strcmp(key, "encryptionCertificate") == 0 ||
	    strcmp(key, "encryptionCertificateId") == 0)
		return take_string(v, key, text, 4096, 1, fault);
	if (strcmp(key, "@odata.type") == 0) {
		if (take_string(v, key, text, 64, 0, fault) != 0 ||
		    strcmp(text, SUB_ODATA_TYPE) != 0) {
			fault_set(fault, key, "'@odata.type' must be \""
			    SUB_ODATA_TYPE "\"");
			return STORE_EINVAL;
		}
		return 0;
	}
	fault_set(fault, key, "'%s' is not a property a subscription can be "
	    "created with", key);
	return STORE_EINVAL;
}

/* Name the first required member missing from seen. */
static int
require(unsigned seen, struct fault *fault)
{
	static const struct {
		unsigned	 bit;
		const char	*name;
	} req[] = {
		{ SUB_CHANGE, "changeType" }, { SUB_URL, "notificationUrl" },
		{ SUB_RESOURCE, "resource" },
		{ SUB_EXPIRY, "expirationDateTime" },
	};
	size_t	i;

	for (i = 0; i < sizeof req / sizeof req[0]; i++) {
		if ((seen & req[i].bit) == 0) {
			fault_set(fault, req[i].name, "'%s' is required",
			    req[i].name);
			return STORE_EINVAL;
		}
	}
	return 0;
}

/* Read a POST /subscriptions body. */
int
codec_subscription_from_json(const char *body, size_t len,
    struct subscription *s, struct fault *fault)
{
	struct sub_read	rd = { s, 0 };
	int		rc;

	memset(s, 0, sizeof *s);
	if ((rc = reader_members(body, len, take_member, &rd, fault)) != 0)
		return rc;
	return require(rd.seen, fault);
}

/* A PATCH body being read: its expiry, and whether it came. */
struct patch_read {
	int64_t	*expires;
	int	 seen;
};

/* Read the one member a PATCH body may hold: expirationDateTime. */
static int
take_patch_member(void *arg, const char *key, struct json_object *v,
    struct fault *fault)
{
	struct patch_read	*rd = arg;

	if (strcmp(key, "expirationDateTime") != 0) {
		fault_set(fault, key, "'%s' cannot be changed: only "
		    "'expirationDateTime' can", key);
		return STORE_EINVAL;
	}
	rd->seen = 1;
	return take_expiry(v, rd->expires, fault);
}

/* Read a PATCH /subscriptions/{id} body. */
int
codec_subscription_patch_from_json(const char *body, size_t len,
    int64_t *expires, struct fault *fault)
{
	struct patch_read	rd = { expires, 0 };
	int			rc;

	if ((rc = reader_members(body, len, take_patch_member, &rd,
	    fault)) != 0)
		return rc;
	if (!rd.seen) {
		fault_set(fault, "expirationDateTime", "'expirationDateTime' "
		    "is required");
		return STORE_EINVAL;
	}
	return 0;
}

/* Append ,"name": and s as a JSON string, or null when s is NULL. */
static int
put_member(struct buf *out, const char *name, const char *s)
{
	int	rc;

	if ((rc = buf_printf(out, ",\"%s\":", name)) != 0)
		return rc;
	return codec_put_nullable(out, s);
}

/* Append s as Graph writes a subscription. */
int
codec_subscription_to_json(const struct subscription *s, const char *context,
    struct buf *out)
{
	char		 expires[PRESENCE_TIME_LEN + 1];
	struct buf	 res;
	int		 rc;

	buf_init(&res);
	if ((rc = subscription_resource_format(s, &res)) != 0)
		goto release;
	presence_format_time(s->expires, expires);
	rc = buf_adds(out, "{");
	if (rc == 0 && context != NULL) {
		rc = buf_adds(out, "\"@odata.context\":");
		if (rc == 0)
			rc = codec_put_string(out, context, strlen(context));
		if (rc == 0)
			rc = buf_adds(out, ",");
	}
	if (rc == 0)
		rc = buf_printf(out, "\"id\":\"%s\"", s->id);
	if (rc == 0)
		rc = put_member(out, "resource", res.data);
	if (rc == 0)
		rc = buf_adds(out, ",\"changeType\":\"updated\"");
	if (rc == 0)
		rc = put_member(out, "clientState",
		    s->has_client_state ? s->client_state : NULL);
	if (rc == 0)
		rc = put_member(out, "notificationUrl", s->notify_url);
	if (rc == 0)
		rc = put_member(out, "lifecycleNotificationUrl",
		    s->lifecycle_url[0] != '\0' ? s->lifecycle_url : NULL);
	if (rc == 0)
		rc = put_member(out, "expirationDateTime", expires);
	if (rc == 0)
		rc = put_member(out, "creatorId", s->owner[0] != '\0' ?
		    s->owner : NULL);
	if (rc == 0)
		rc = buf_adds(out, ",\"includeResourceData\":false,"
		    "\"latestSupportedTlsVersion\":\"v1_2\","
		    "\"encryptionCertificate\":null,"
		    "\"encryptionCertificateId\":null,"
		    "\"notificationQueryOptions\":null,"
		    "\"notificationContentType\":\"application/json\"}");
release:
	buf_release(&res);
	return rc;
}
