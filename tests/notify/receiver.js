// A change-notification receiver for the tests and the benchmark: a real
// HTTP/1.1 server on 127.0.0.1 that answers the subscription validation
// handshake, records every request it answers, and misbehaves on command.
//
//   node receiver.js serve --port-file FILE --log FILE [--control FILE]
//       [--port N]
//   node receiver.js items LOG      one line per notification item
//   node receiver.js count LOG      items per presence id
//
// serve listens on 127.0.0.1 (port N, or one the kernel picks), then writes
// the port to --port-file (written whole: a reader sees it or nothing).
// Every request it answers is appended to --log, before the answer is
// sent, as one line of JSON:
//   {"t":<ms since the epoch>,"kind":"handshake"|"post","method":"POST",
//    "path":"/notify","query":"...","type":"<its Content-Type>",
//    "status":<the status answered>,"body":<the body parsed, or its text>}
// so a 2xx a client saw is always on record.  A POST whose query holds
// validationToken is a handshake: answered 200, text/plain, with the
// decoded token as the whole body.  Any other request is a notification:
// answered 202 with no body.
//
// The control file (re-read on every request; absent or empty: behave)
// holds lines "PREFIX KIND ACTION [ARG]": the first line whose PREFIX
// starts the request's path ("*" matches any) and whose KIND ("handshake"
// or "post") is the request's decides.  Actions:
//   status N       answer N (a handshake: N with the token echoed)
//   delay MS       wait MS milliseconds, then answer as usual
//   hang           never answer (the caller's timeout must fire);
//                  "timeout" is a synonym
//   close          close the connection without answering
//   wrong-body     (handshake) 200 text/plain with another body
//   wrong-type     (handshake) 200 with the token as application/json
//   redirect       (handshake) 307 to /redirected with the same query,
//                  which would have passed had it been followed
// Lines starting with "#" are comments.  Unanswered requests are recorded
// with status 0, and so are those whose caller hung up before the answer.
//
// items prints, for every notification item in LOG, one line
//   <t> <path> <subscriptionId> <presence id or -> <lifecycleEvent or ->
// and count prints "<presence id> <items>" for each presence notified,
// sorted by id.  Both exit 0; 2 on a usage error.  SIGTERM and SIGINT stop
// serve at once (exit 0).

"use strict";

const fs = require("fs");
const http = require("http");

function usage() {
	process.stderr.write("usage: node receiver.js serve --port-file FILE " +
	    "--log FILE [--control FILE] [--port N]\n" +
	    "       node receiver.js items|count LOG\n");
	process.exit(2);
}

// The options of serve as an object; usage() on anything unknown.
function parseOptions(args) {
	const opt = { port: 0 };
	const names = { "--port-file": "portFile", "--log": "log",
	    "--control": "control", "--port": "port" };
	for (let i = 0; i < args.length; i += 2) {
		const name = names[args[i]];
		if (!name || i + 1 >= args.length)
			usage();
		opt[name] = args[i + 1];
	}
	if (!opt.portFile || !opt.log)
		usage();
	opt.port = Number(opt.port);
	return opt;
}

// The rule of the control file for this request, or null.
function controlRule(file, path, kind) {
	let text;
	if (!file)
		return null;
	try {
		text = fs.readFileSync(file, "utf8");
	} catch (e) {
		return null;
	}
	for (const line of text.split("\n")) {
		const w = line.trim().split(/\s+/);
		if (w.length < 3 || w[0].startsWith("#"))
			continue;
		if (w[1] !== kind)
			continue;
		if (w[0] === "*" || path.startsWith(w[0]))
			return { action: w[2], arg: w[3] };
	}
	return null;
}

// A body as JSON when it parses, else as its text.
function bodyValue(text) {
	try {
		return JSON.parse(text);
	} catch (e) {
		return text;
	}
}

// Append one record to the log (synchronously: before the answer).
function record(opt, req, kind, status, body) {
	const u = new URL(req.url, "http://127.0.0.1");
	const line = JSON.stringify({
		t: Date.now(),
		kind: kind,
		method: req.method,
		path: u.pathname,
		query: u.search.replace(/^\?/, ""),
		type: req.headers["content-type"] || "",
		status: status,
		body: bodyValue(body),
	});
	fs.appendFileSync(opt.log, line + "\n");
}

// Answer: status, headers, body; recorded first.  A caller that hung up
// meanwhile (during a delay) never sees the answer: recorded as status 0.
function answer(opt, req, res, kind, body, status, headers, text) {
	if (!res.socket || res.socket.destroyed) {
		record(opt, req, kind, 0, body);
		return;
	}
	record(opt, req, kind, status, body);
	res.writeHead(status, headers);
	res.end(text);
}

// The handshake: echo the token, or fail it the way the rule says.
function handshake(opt, req, res, body, token, rule) {
	const plain = { "Content-Type": "text/plain; charset=utf-8" };
	let status = 200, headers = plain, text = token;
	switch (rule ? rule.action : "") {
	case "status":
		status = Number(rule.arg) || 500;
		break;
	case "wrong-body":
		text = token + "x";
		break;
	case "wrong-type":
		headers = { "Content-Type": "application/json" };
		break;
	case "redirect": {
		const u = new URL(req.url, "http://127.0.0.1");
		status = 307;
		headers = { "Location": "http://127.0.0.1:" +
		    req.socket.localPort + "/redirected" + u.search };
		text = "";
		break;
	}
	}
	answer(opt, req, res, "handshake", body, status, headers, text);
}

// A notification POST (or any other request): 202 unless told otherwise.
function notification(opt, req, res, body, rule) {
	let status = 202;
	if (rule && rule.action === "status")
		status = Number(rule.arg) || 500;
	answer(opt, req, res, "post", body, status, {}, "");
}

// One request, its body read whole.
function serveRequest(opt, req, res, body) {
	const u = new URL(req.url, "http://127.0.0.1");
	const token = u.searchParams.get("validationToken");
	const kind = token !== null && req.method === "POST" ?
	    "handshake" : "post";
	const rule = controlRule(opt.control, u.pathname, kind);
	const go = () => kind === "handshake" ?
	    handshake(opt, req, res, body, token, rule) :
	    notification(opt, req, res, body, rule);

	if (rule && (rule.action === "hang" || rule.action === "timeout")) {
		record(opt, req, kind, 0, body);
		return;
	}
	if (rule && rule.action === "close") {
		record(opt, req, kind, 0, body);
		req.socket.destroy();
		return;
	}
	if (rule && rule.action === "delay")
		setTimeout(go, Number(rule.arg) || 0);
	else
		go();
}

function serve(opt) {
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on("data", (c) => chunks.push(c));
		req.on("end", () => serveRequest(opt, req, res,
		    Buffer.concat(chunks).toString("utf8")));
	});
	server.keepAliveTimeout = 30000;
	server.requestTimeout = 0;
	server.listen(opt.port, "127.0.0.1", () => {
		const tmp = opt.portFile + ".tmp";
		fs.writeFileSync(tmp, server.address().port + "\n");
		fs.renameSync(tmp, opt.portFile);
	});
	server.on("error", (e) => {
		process.stderr.write("receiver: " + e.message + "\n");
		process.exit(1);
	});
	process.on("SIGTERM", () => process.exit(0));
	process.on("SIGINT", () => process.exit(0));
}

// The notification items of a log, each with its request's time and path.
function* logItems(file) {
	const text = fs.readFileSync(file, "utf8");
	for (const line of text.split("\n")) {
		if (line === "")
			continue;
		let r;
		try {
			r = JSON.parse(line);
		} catch (e) {
			continue;	// a line cut by a kill
		}
		if (r.kind !== "post" || !r.body || !Array.isArray(r.body.value))
			continue;
		if (r.status < 200 || r.status > 299)
			continue;
		for (const item of r.body.value)
			yield { t: r.t, path: r.path, item: item };
	}
}

// The presence id an item is about, or "-".
function itemPresence(item) {
	if (item.resourceData && typeof item.resourceData.id === "string")
		return item.resourceData.id;
	return "-";
}

function items(file) {
	const out = [];
	for (const x of logItems(file))
		out.push([x.t, x.path, x.item.subscriptionId || "-",
		    itemPresence(x.item), x.item.lifecycleEvent || "-"].join(" "));
	process.stdout.write(out.length ? out.join("\n") + "\n" : "");
}

function count(file) {
	const n = new Map();
	for (const x of logItems(file)) {
		const id = itemPresence(x.item);
		if (id !== "-")
			n.set(id, (n.get(id) || 0) + 1);
	}
	const ids = [...n.keys()].sort();
	process.stdout.write(ids.map((id) => id + " " + n.get(id) + "\n")
	    .join(""));
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === "serve")
	serve(parseOptions(rest));
else if ((cmd === "items" || cmd === "count") && rest.length === 1)
	(cmd === "items" ? items : count)(rest[0]);
else
	usage();
