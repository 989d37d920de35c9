// One Graph call through the Graph JS SDK (@microsoft/microsoft-graph-client),
// set up as a client developer sets it up against a Graph-compatible service:
// Client.init with the service's base URL, its host among customHosts (so the
// default middleware chain sends the token; the URL must be https://), and
// an authProvider that hands over the bearer token.  tests/sdk/graph-js.sh
// runs it for each call and checks what it prints.
//
//   PRESENCE_URL=https://127.0.0.1:8443/ PRESENCE_TOKEN=prs_... \
//   node graph.js METHOD PATH [BODY] [VERSION]
//
// METHOD is get, post or delete; BODY a JSON text (or "" for none);
// VERSION v1.0 (the default) or beta.  It prints one line of JSON:
//   {"kind":"json","value":...}     a JSON body, as the SDK parsed it
//   {"kind":"none"}                 the SDK resolved to undefined (204)
//   {"kind":"stream","text":"..."}  a body without a JSON type, read out
//   {"kind":"error","graphError":true,"statusCode":400,"code":"...",
//    "requestId":"...","message":"..."}  the call rejected
// and exits 0; 2 on a usage error.

"use strict";

const { Client, GraphError } = require("@microsoft/microsoft-graph-client");

const [method, path, body, version] = process.argv.slice(2);
const baseUrl = process.env.PRESENCE_URL;
const token = process.env.PRESENCE_TOKEN || "";

if (!["get", "post", "delete"].includes(method) || !path || !baseUrl) {
	process.stderr.write("usage: PRESENCE_URL=URL PRESENCE_TOKEN=TOKEN " +
	    "node graph.js get|post|delete PATH [BODY] [VERSION]\n");
	process.exit(2);
}

const client = Client.init({
	baseUrl: baseUrl,
	defaultVersion: "v1.0",
	customHosts: new Set([new URL(baseUrl).hostname]),
	authProvider: (done) => done(null, token),
});

// Read what the SDK handed back into something JSON can print.
async function describe(value) {
	if (value === undefined)
		return { kind: "none" };
	if (value !== null && typeof value.getReader === "function")
		return { kind: "stream", text: await new Response(value).text() };
	return { kind: "json", value: value };
}

async function main() {
	let request = client.api(path);
	if (version)
		request = request.version(version);
	let out;
	try {
		const payload = body ? JSON.parse(body) : undefined;
		const value = method === "get" ? await request.get() :
		    method === "post" ? await request.post(payload) :
		    await request.delete();
		out = await describe(value);
	} catch (e) {
		out = {
			kind: "error",
			graphError: e instanceof GraphError,
			statusCode: e.statusCode,
			code: e.code,
			requestId: e.requestId,
			message: String(e.message),
		};
	}
	process.stdout.write(JSON.stringify(out) + "\n");
}

main();
