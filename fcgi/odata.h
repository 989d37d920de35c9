/*
 * The OData face of the API: Graph's error shape and codes, status reason
 * phrases, request ids, checks for text that goes into headers, query
 * options, skip tokens, absolute URLs and the collection envelope.
 */
#ifndef PRESENCE_FCGI_ODATA_H
#define PRESENCE_FCGI_ODATA_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "guid.h"
#include "request.h"

/* Every error status the API answers: (status, code, default message). */
#define ODATA_ERRORS(X)							\
	X(400, "invalidRequest", "the request is not valid")		\
	X(401, "InvalidAuthenticationToken",				\
	    "the request is not authenticated")				\
	X(403, "accessDenied",						\
	    "the access token does not grant this request")		\
	X(404, "itemNotFound", "the resource does not exist")		\
	X(405, "methodNotAllowed",					\
	    "the method is not allowed on this resource")		\
	X(409, "nameAlreadyExists", "a presence with this id already exists") \
	X(411, "lengthRequired", "the request must have a Content-Length") \
	X(413, "requestTooLarge", "the request body is too large")	\
	X(415, "unsupportedMediaType",					\
	    "the request body must be application/json")		\
	X(500, "generalException", "the server failed to answer")	\
	X(503, "serviceNotAvailable", "the service is not available")	\
	X(507, "quotaLimitReached", "the database is full")

#define ODATA_CLIENT_ID_MAX	128	/* bytes of an echoed client-request-id */
#define ODATA_HOST_MAX		255	/* bytes of a Host used in URLs */
#define ODATA_TOP_DEFAULT	100
#define ODATA_TOP_MAX		999
#define ODATA_SKIPTOKEN_LEN	48	/* base64url of a GUID, unpadded */

/* The reason phrase for a status ("Created"); never NULL. */
const char *odata_reason(int status);

/* The Graph error code for an error status; "generalException" if unknown. */
const char *odata_error_code(int status);

/* The default message for an error status; never NULL. */
const char *odata_error_message(int status);

/*
 * Append Graph's error object for status:
 * {"error":{"code":...,"message":...,"innerError":{"date":...,
 * "request-id":...,"client-request-id":...}}}.  message NULL means the
 * default one; the date is now in UTC to the second.  Returns 0 or
 * STORE_ENOMEM.
 */
int odata_error_json(struct buf *out, int status, const char *message,
    const char *request_id, const char *client_request_id, time_t now);

/* Write a fresh request id; 0, or STORE_EIO with out the nil GUID. */
int odata_request_id(char out[GUID_LEN + 1]);

/* Whether a client-request-id may be echoed: printable ASCII, 1..128 bytes. */
int odata_client_request_id_ok(const char *s);

/*
 * Whether a Host header may go into a URL: a name or IPv4 address of
 * letters, digits, '.' and '-', or an IPv6 literal in brackets, with an
 * optional numeric port; at most ODATA_HOST_MAX bytes.
 */
int odata_host_ok(const char *s);

/* The system query options a request carries. */
struct odata_query {
	int	 top;			/* $top, else ODATA_TOP_DEFAULT */
	int	 top_given;
	char	 after[GUID_LEN + 1];	/* the id $skiptoken names, or "" */
};

/*
 * Parse a query string: $top (1..ODATA_TOP_MAX) and $skiptoken; any other
 * option starting with '$' is refused by name, other parameters are
 * ignored.  Returns 0, or -1 with a message for the client in message.
 */
int odata_query_parse(const char *qs, struct odata_query *q, char *message,
    size_t size);

/* Write the skip token that resumes a listing after id. */
void odata_skiptoken(const char *id, char out[ODATA_SKIPTOKEN_LEN + 1]);

/*
 * Append the URL that the resource paths hang off:
 * [scheme://host]mount[version], the mount percent-encoded.  Without a
 * safe Host the URL is a path.  Returns 0 or STORE_ENOMEM.
 */
int odata_url_base(struct buf *out, const struct request *req,
    const char *mount, size_t mount_len, const char *version);

/*
 * Append the start of a collection: {"value":[ or, when context is not
 * NULL, {"@odata.context":"<context>","value":[
 */
int odata_collection_begin(struct buf *out, const char *context);

/* Append the end of a collection, with "@odata.nextLink" when not NULL. */
int odata_collection_end(struct buf *out, const char *next_link);

#endif
