/*
 * The ceiling of the FastCGI path for `make bench`: a responder that does no
 * work.  It reads each request's body and answers every request with the
 * founding example's 201 response, so the benchmark can show how close
 * presence-fcgi comes to what the web server and libfcgi allow on their own.
 *
 * Like presence-fcgi it takes its listening socket on fd 0 (lighttpd's
 * bin-path, spawn-fcgi), and ends when the web server stops it.
 */
#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char ceiling_response[] =
    "Status: 201 Created\r\n"
    "Content-Type: application/json\r\n"
    "Cache-Control: no-store\r\n"
    "\r\n"
    "{\"@odata.type\":\"#microsoft.graph.presence\","
    "\"id\":\"ba441c11-1c11-ba44-111c-44ba111c44ba\","
    "\"availability\":\"Availability value\","
    "\"activity\":\"Activity value\"}";

/* Read and drop the request body, as a real responder has to read it. */
static void
ceiling_drain(FCGX_Stream *in)
{
	char	buf[4096];

	while (FCGX_GetStr(buf, sizeof buf, in) > 0)
		;
}

/* Answer one request with the fixed response. */
static int
ceiling_answer(FCGX_Request *req)
{
	int	len = (int)(sizeof ceiling_response - 1);

	ceiling_drain(req->in);
	if (FCGX_PutStr(ceiling_response, len, req->out) != len)
		return (-1);
	return (0);
}

int
main(void)
{
	FCGX_Request	req;
	int		rc;

	/* A client gone away must not end the process. */
	signal(SIGPIPE, SIG_IGN);

	if (FCGX_Init() != 0) {
		fprintf(stderr, "ceiling: cannot initialise libfcgi\n");
		return (EXIT_FAILURE);
	}
	if (FCGX_InitRequest(&req, 0, 0) != 0) {
		fprintf(stderr, "ceiling: cannot initialise request\n");
		return (EXIT_FAILURE);
	}
	while ((rc = FCGX_Accept_r(&req)) >= 0) {
		if (ceiling_answer(&req) != 0)
			fprintf(stderr, "ceiling: cannot write response\n");
		FCGX_Finish_r(&req);
	}
	/* The web server interrupts accept() when it shuts down. */
	FCGX_Free(&req, 1);
	if (rc == -EINTR)
		return (EXIT_SUCCESS);
	fprintf(stderr, "ceiling: cannot accept: %s\n", strerror(-rc));
	return (EXIT_FAILURE);
}
