// Compare a notification POST's body with Graph's example of a basic
// presence notification (tests/notify/fixtures/presence-notification.json):
//   node shape.js FIXTURE BODY SUBSCRIPTION PRESENCE CLIENTSTATE TENANT
// Every item must have exactly the fixture item's members, nested ones
// too; "…" and "{id}" in the fixture stand for the values given, a date
// for any ISO 8601 UTC time.  Prints what differs; exit 0 when nothing.
"use strict";
const fs = require("fs");
const [fixture, body, sub, id, state, tenant] = process.argv.slice(2);
const want = JSON.parse(fs.readFileSync(fixture, "utf8")).value[0];
const got = JSON.parse(fs.readFileSync(body, "utf8"));
const errors = [];
const values = { subscriptionId: sub, clientState: state, tenantId: tenant,
    organizationId: tenant };

function check(w, g, where) {
	const wk = Object.keys(w).sort(), gk = Object.keys(g).sort();
	if (wk.join() !== gk.join())
		errors.push(where + ": members " + gk.join() + ", want " + wk.join());
	for (const k of wk) {
		if (typeof w[k] === "object") {
			check(w[k], g[k] || {}, where + "." + k);
			continue;
		}
		let v = w[k];
		if (v === "…")
			v = values[k];
		else if (/^\d{4}-\d\d-\d\dT/.test(v)) {
			if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(g[k]))
				errors.push(where + "." + k + ": " + g[k] +
				    " is no UTC date-time");
			continue;
		}
		v = v.split("{id}").join(id);
		if (g[k] !== v)
			errors.push(where + "." + k + ": " + JSON.stringify(g[k]) +
			    ", want " + JSON.stringify(v));
	}
}
if (!Array.isArray(got.value) || got.value.length < 1 ||
    Object.keys(got).length !== 1)
	errors.push("the body is not {\"value\":[...]}");
else
	got.value.forEach((item, i) => check(want, item, "value[" + i + "]"));
for (const e of errors)
	console.log(e);
process.exit(errors.length ? 1 : 0);
