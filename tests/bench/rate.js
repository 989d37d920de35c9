// setPresence at a steady rate, and the commit-to-delivery latency of the
// notifications it causes, for the notification case of `make bench`
// (tests/bench/notify.sh).
//
//   node rate.js send URL TOKEN IDS RATE SECONDS ACKS
//   node rate.js latency ACKS RECEIVER_LOG
//
// send POSTs setPresence to URL/users/{id}/presence/setPresence for the
// presences in the file IDS (one id a line), going round them in turn at
// RATE requests a second for SECONDS, over kept-alive connections (as
// many as needed, at most 64).  Each visit of a presence alternates its
// session between Busy/InACall and Busy/InAConferenceCall, so every request is a
// change.  Each 200 is appended to ACKS as "<id> <ms>", the time the
// response arrived (the change was committed before it).  It prints one
// line: "sent=N acked=N failed=N seconds=S" and exits 0 (1 when nothing
// was acknowledged).
//
// latency pairs, per presence, the n-th acknowledged change with the n-th
// notification item about that presence the receiver (tests/notify/
// receiver.js) recorded as acknowledged, in the order it recorded them
// (one subscription per presence, so that is commit order), and prints
// "changes=N items=N paired=N unpaired=N delivered_per_s=R p50_ms=X
// p99_ms=X max_ms=X": delivered/s is the items over the time from the
// first change to the last item; a latency is the item's receipt minus
// the change's acknowledgment (negative when the notification arrived
// before the response did).

"use strict";

const fs = require("fs");
const http = require("http");

const BODIES = ["InACall", "InAConferenceCall"].map((activity) => JSON.stringify({
	sessionId: "bench-notify",
	availability: "Busy",
	activity: activity,
	expirationDuration: "PT4H",
}));

function usage() {
	process.stderr.write("usage: node rate.js send URL TOKEN IDS RATE " +
	    "SECONDS ACKS\n       node rate.js latency ACKS RECEIVER_LOG\n");
	process.exit(2);
}

// The ids of a file, one a line.
function readIds(file) {
	return fs.readFileSync(file, "utf8").split("\n").filter((l) => l);
}

function send(base, token, idsFile, rate, seconds, acksFile) {
	const ids = readIds(idsFile);
	const visits = new Array(ids.length).fill(0);
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	const url = new URL(base);
	const acks = fs.openSync(acksFile, "w");
	const start = Date.now();
	let sent = 0, acked = 0, failed = 0, open = 0, next = 0, stopped = 0;

	const one = () => {
		const i = next;
		next = (next + 1) % ids.length;
		const body = BODIES[visits[i]++ % 2];
		const req = http.request({
			agent: agent, host: url.hostname, port: url.port,
			method: "POST",
			path: url.pathname.replace(/\/+$/, "") + "/users/" +
			    ids[i] + "/presence/setPresence",
			headers: { "Authorization": "Bearer " + token,
			    "Content-Type": "application/json",
			    "Content-Length": Buffer.byteLength(body) },
		}, (res) => {
			res.resume();
			res.on("end", () => {
				if (res.statusCode === 200) {
					fs.writeSync(acks, ids[i] + " " +
					    Date.now() + "\n");
					acked++;
				} else
					failed++;
				open--;
				finish();
			});
		});
		req.on("error", () => { failed++; open--; finish(); });
		req.end(body);
		sent++;
		open++;
	};
	const finish = () => {
		if (!stopped || open > 0)
			return;
		fs.closeSync(acks);
		agent.destroy();
		process.stdout.write("sent=" + sent + " acked=" + acked +
		    " failed=" + failed + " seconds=" +
		    ((Date.now() - start) / 1000).toFixed(2) + "\n");
		process.exit(acked > 0 ? 0 : 1);
	};
	const timer = setInterval(() => {
		const elapsed = (Date.now() - start) / 1000;
		const due = Math.floor(Math.min(elapsed, seconds) * rate);
		while (sent < due)
			one();
		if (elapsed >= seconds) {
			clearInterval(timer);
			stopped = 1;
			finish();
		}
	}, 5);
}

// The n-th value of sorted numbers at percentile p.
function percentile(sorted, p) {
	if (sorted.length === 0)
		return NaN;
	const i = Math.ceil(p / 100 * sorted.length) - 1;
	return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
}

function latency(acksFile, logFile) {
	const acks = new Map(), items = new Map();
	let changes = 0, nitems = 0, first = Infinity, last = 0;

	for (const line of fs.readFileSync(acksFile, "utf8").split("\n")) {
		const [id, t] = line.split(" ");
		if (!t)
			continue;
		if (!acks.has(id))
			acks.set(id, []);
		acks.get(id).push(Number(t));
		first = Math.min(first, Number(t));
		changes++;
	}
	for (const line of fs.readFileSync(logFile, "utf8").split("\n")) {
		let r;
		try {
			r = JSON.parse(line);
		} catch (e) {
			continue;
		}
		if (r.kind !== "post" || r.status < 200 || r.status > 299 ||
		    !r.body || !Array.isArray(r.body.value))
			continue;
		for (const item of r.body.value) {
			const id = item.resourceData && item.resourceData.id;
			if (!id)
				continue;
			if (!items.has(id))
				items.set(id, []);
			items.get(id).push(r.t);
			last = Math.max(last, r.t);
			nitems++;
		}
	}
	const lat = [];
	for (const [id, ts] of acks) {
		const got = items.get(id) || [];
		for (let n = 0; n < ts.length && n < got.length; n++)
			lat.push(got[n] - ts[n]);
	}
	lat.sort((a, b) => a - b);
	const span = (last - first) / 1000;
	process.stdout.write("changes=" + changes + " items=" + nitems +
	    " paired=" + lat.length + " unpaired=" + (changes - lat.length) +
	    " delivered_per_s=" + (span > 0 ? nitems / span : 0).toFixed(1) +
	    " p50_ms=" + percentile(lat, 50) + " p99_ms=" +
	    percentile(lat, 99) + " max_ms=" + percentile(lat, 100) + "\n");
}

const [cmd, ...a] = process.argv.slice(2);
if (cmd === "send" && a.length === 6)
	send(a[0], a[1], a[2], Number(a[3]), Number(a[4]), a[5]);
else if (cmd === "latency" && a.length === 2)
	latency(a[0], a[1]);
else
	usage();
