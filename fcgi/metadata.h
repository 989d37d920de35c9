/*
 * GET /$metadata: the CSDL document describing what this service serves
 * (fcgi/metadata.xml, built into the program).
 */
#ifndef PRESENCE_FCGI_METADATA_H
#define PRESENCE_FCGI_METADATA_H

#include <stddef.h>

#include "exchange.h"

/*
 * Answer 200 with the CSDL document as application/xml, to anyone: the
 * caller is not authenticated.  A query option is a 400.
 */
void metadata_serve(struct exchange *x);

/* The CSDL document itself, len bytes of static storage. */
const char *metadata_document(size_t *len);

#endif
