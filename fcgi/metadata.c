/*
 * GET /$metadata.  The document is fcgi/metadata.xml, which the build
 * turns into the C string fcgi/metadata-xml.h of the build tree.
 */
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "exchange.h"
#include "metadata.h"
#include "request.h"

static const char metadata_xml[] =
#include "fcgi/metadata-xml.h"
    ;

/* The CSDL document itself. */
const char *
metadata_document(size_t *len)
{
	*len = sizeof metadata_xml - 1;
	return metadata_xml;
}

/* GET /$metadata: the document, the same under every mount and version. */
void
metadata_serve(struct exchange *x)
{
	const char	*doc;
	size_t		 len;

	if (x->req->query_string[0] != '\0') {
		exchange_fail(x, 400, "$metadata takes no query options");
		return;
	}
	doc = metadata_document(&len);
	buf_reset(&x->res->body);
	if (buf_add(&x->res->body, doc, len) != 0) {
		exchange_fail_store(x, STORE_ENOMEM, "answer $metadata");
		return;
	}
	x->res->status = 200;
	exchange_header(x, "Content-Type", "application/xml");
}
