// A presence as presence-fcgi answers it, read into the Kiota-generated
// Graph SDK's model (@microsoft/msgraph-sdk) by Kiota's own JSON parse node
// (@microsoft/kiota-serialization-json), the way the SDK reads a Graph
// response; tests/sdk/kiota.sh runs it and counts its lines as test points.
//
//   node kiota.mjs BODY EXPECTED
//
// BODY is a file holding a GET's presence, or getPresencesByUserId's
// {"value":[presence]} when EXPECTED says "collection": true.  EXPECTED is
// a JSON file:
//   {"what": "...", "collection": false,
//    "presence": {PROPERTY: VALUE, ...},   the model's properties, by value;
//                                          {"$date": TEXT} for a Date equal
//                                          to the time TEXT
//    "additionalData": [NAME, ...]}        what the model could not place
// It prints one line per check, "ok - ..." or "not ok - ..." with the
// value found on a "# got" line after it, and exits 0; 2 on a usage error.

import { readFileSync } from "node:fs";
import { JsonParseNode } from "@microsoft/kiota-serialization-json";
import {
	createPresenceFromDiscriminatorValue,
	createPresenceCollectionResponseFromDiscriminatorValue,
	deserializeIntoPresence,
} from "@microsoft/msgraph-sdk/models/index.js";

const [bodyFile, expectedFile] = process.argv.slice(2);
if (!bodyFile || !expectedFile) {
	process.stderr.write("usage: node kiota.mjs BODY EXPECTED\n");
	process.exit(2);
}
const expected = JSON.parse(readFileSync(expectedFile, "utf8"));
const body = JSON.parse(readFileSync(bodyFile, "utf8"));
const what = expected.what;

function check(cond, description, got) {
	process.stdout.write((cond ? "ok" : "not ok") + " - " + what + ": " +
	    description + "\n");
	if (!cond)
		process.stdout.write("# got " + JSON.stringify(got) + "\n");
}

// The model's value as plain JSON: Dates as {"$date": ISO text}, the
// (empty) additionalData of nested objects left out; it is checked apart.
function plain(v) {
	if (v instanceof Date)
		return { $date: v.toISOString() };
	if (Array.isArray(v))
		return v.map(plain);
	if (v !== null && typeof v === "object") {
		const out = {};
		for (const [k, x] of Object.entries(v)) {
			if (k === "additionalData" && Object.keys(x).length === 0)
				continue;
			if (x !== undefined)
				out[k] = plain(x);
		}
		return out;
	}
	return v;
}

// Expected values with each {"$date": TEXT} in the form plain() gives.
function want(v) {
	if (Array.isArray(v))
		return v.map(want);
	if (v !== null && typeof v === "object") {
		if (Object.keys(v).length === 1 && "$date" in v)
			return { $date: new Date(v.$date).toISOString() };
		const out = {};
		for (const [k, x] of Object.entries(v))
			out[k] = want(x);
		return out;
	}
	return v;
}

// Every object below the presence left nothing in its additionalData.
function nestedLeftovers(v, path, out) {
	if (v === null || typeof v !== "object" || v instanceof Date)
		return out;
	if (path !== "" && v.additionalData &&
	    Object.keys(v.additionalData).length > 0)
		out.push(path + ": " + Object.keys(v.additionalData).join(","));
	for (const [k, x] of Object.entries(v))
		if (k !== "additionalData")
			nestedLeftovers(x, path + "." + k, out);
	return out;
}

const node = new JsonParseNode(body);
let presence;
if (expected.collection) {
	const list = node.getObjectValue(
	    createPresenceCollectionResponseFromDiscriminatorValue);
	check(Array.isArray(list.value) && list.value.length === 1,
	    "the collection response holds one presence", list.value);
	presence = list.value ? list.value[0] : {};
} else {
	presence = node.getObjectValue(createPresenceFromDiscriminatorValue);
}

for (const [name, value] of Object.entries(expected.presence)) {
	const got = plain(presence[name]);
	check(JSON.stringify(got) === JSON.stringify(want(value)),
	    `${name} is ${JSON.stringify(value)}`, got);
}

// Each property the model's deserializer knows is filled.
const unfilled = Object.keys(deserializeIntoPresence({}))
    .filter((k) => k !== "backingStoreEnabled")
    .map((k) => (k === "@odata.type" ? "odataType" : k))
    .filter((k) => presence[k] === undefined);
check(unfilled.length === 0, "every property of the model is filled",
    unfilled);

const extra = Object.keys(presence.additionalData || {}).sort();
check(JSON.stringify(extra) ===
    JSON.stringify([...expected.additionalData].sort()),
    "additionalData holds only " + expected.additionalData.join(", "),
    extra);
for (const name of expected.additionalData) {
	if (name.startsWith("@"))
		continue;
	const text = presence.additionalData ? presence.additionalData[name] :
	    undefined;
	check(typeof text === "string" && !isNaN(Date.parse(text)),
	    `additionalData's ${name} is a time`, text);
}
const leftovers = nestedLeftovers(presence, "", []);
check(leftovers.length === 0,
    "no object inside the presence leaves anything in its additionalData",
    leftovers);
