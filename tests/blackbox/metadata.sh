#!/bin/sh
# GET /$metadata of the real presence-fcgi, through cgi-fcgi: served
# anonymously as application/xml under every base the router accepts; a
# well-formed CSDL 4.0 document that tests/blackbox/csdl.py finds valid;
# every route the router serves (tests/fcgi/routes reads them off the
# router) declared, and every action and navigation property it declares
# served (probed on the responder: a route answers a PUT with 405 and an
# Allow naming the method the document gives it, a path that is no route
# with 404); a presence as GET answers it an instance of the declared
# type.  The checks are also run on documents broken on purpose, and must
# catch them.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_tool "$PYTHON3" python3 python3
require_fcgi
ROUTES=$top_builddir/tests/fcgi/routes
[ -x "$ROUTES" ] || bail_out "'$ROUTES' is not built"
tap_init blackbox-metadata

CSDL=$top_srcdir/tests/blackbox/csdl.py
SOURCE=$top_srcdir/fcgi/metadata.xml
GUID=3f1d7c1e-9a55-4c5e-8a1e-2b7d9e0c4a11
mkdir "$T/db" || bail_out "cannot create the database directory"
need_token "$T/db"
fcgi_start --db "$T/db" || bail_out "presence-fcgi did not start"

# csdl COMMAND DOC [ARG...]: run the checker; its problems go to $T/csdl.out.
csdl() {
	"$PYTHON3" "$CSDL" "$@" >"$T/csdl.out" 2>&1
}

# --- the document, anonymously, under every base -----------------------------

# The body as resp_split leaves it: the file without its last newline.
printf '%s' "$(cat "$SOURCE")" >"$T/expected.xml"
KEPT=$TOKEN
TOKEN=
for base in "" /v1.0 /beta; do
	fcgi_request GET "$base/\$metadata"
	is "$RESP_STATUS" 200 "GET $base/\$metadata without a token: 200" ||
	    resp_diag
	is "$(resp_header Content-Type)" application/xml \
	    "GET $base/\$metadata: application/xml"
	is "$(resp_header OData-Version)" 4.0 "GET $base/\$metadata: OData-Version 4.0"
	cmp -s "$T/resp.body" "$T/expected.xml"
	is "$?" 0 "GET $base/\$metadata: the body is fcgi/metadata.xml"
done
fcgi_request -m /graph GET "/v1.0/\$metadata"
is "$RESP_STATUS/$(resp_header Content-Type)" 200/application/xml \
    "GET /graph/v1.0/\$metadata mounted at /graph: 200 XML" || resp_diag
cmp -s "$T/resp.body" "$T/expected.xml"
is "$?" 0 "under the mount: the same document"
fcgi_request -e 'REQUEST_URI=/v1.0/%24metadata' -u PATH_INFO \
    -e SCRIPT_NAME= GET "/v1.0/\$metadata"
is "$RESP_STATUS" 200 "\$metadata with the dollar percent-encoded, routed by REQUEST_URI" ||
    resp_diag

cp "$T/resp.body" "$T/metadata.xml"
fcgi_request HEAD "/\$metadata"
is "$RESP_STATUS/$(wc -c <"$T/resp.body" | tr -d ' ')" 200/0 \
    "HEAD /\$metadata: 200, no body"
is "$(resp_header Content-Length)" "$(wc -c <"$SOURCE" | tr -d ' ')" \
    "HEAD /\$metadata: Content-Length of the document"
fcgi_request -t application/json -d '{}' POST "/\$metadata"
is "$RESP_STATUS/$(resp_header Allow)" "405/GET, HEAD" \
    "POST /\$metadata: 405, Allow: GET, HEAD"
fcgi_request GET "/\$metadata?\$format=json"
is "$RESP_STATUS/$(json_str code "$T/resp.body")" 400/invalidRequest \
    "\$metadata with a query option: 400"
fcgi_request -e 'HTTP_AUTHORIZATION=Bearer prs_not-a-token' GET "/\$metadata"
is "$RESP_STATUS" 200 "an invalid token does not stop \$metadata"
fcgi_request GET "/\$metadata/presence"
is "$RESP_STATUS" 401 "below \$metadata is no route: 401 without a token"
fcgi_request GET "/communications/presences"
is "$RESP_STATUS" 401 "every other path still needs a token"
TOKEN=$KEPT
fcgi_request GET "/\$metadata/presence"
is "$RESP_STATUS" 404 "below \$metadata is no route: 404 with a token"

# --- valid CSDL ---------------------------------------------------------------

csdl validate "$T/metadata.xml"
is "$?" 0 "well-formed XML and valid CSDL 4.0" || diag_file "$T/csdl.out"
like "$(grep -c '<Schema Namespace="microsoft.graph"' "$T/metadata.xml")" \
    '^1$' "one schema, namespace microsoft.graph"

# --- what the router serves is declared --------------------------------------

"$ROUTES" >"$T/routes" 2>"$T/routes.err"
is "$?" 0 "tests/fcgi/routes lists the router's routes" ||
    diag_file "$T/routes.err"
like "$(wc -l <"$T/routes" | tr -d ' ')" '^[1-9][0-9]+$' \
    "the router serves more than nine routes"
csdl routes "$T/metadata.xml" "$T/routes"
is "$?" 0 "each served route is declared with its methods, and each declared action, navigation, entity set and singleton is reached by one" ||
    diag_file "$T/csdl.out"

# --- what is declared is served ------------------------------------------------

# probe METHOD PATH: PUT on PATH ({id} a GUID) is a 405 whose Allow names
# METHOD (a route, with that method) or something else (no such route).
probe() {
	fcgi_request PUT "$(printf '%s' "$2" | sed -e "s/{id}/$GUID/g")"
	[ "$RESP_STATUS" = 405 ] &&
	    case ", $(resp_header Allow), " in *", $1, "*) true ;; *) false ;; esac
}

csdl paths "$T/metadata.xml" && cp "$T/csdl.out" "$T/paths"
is "$?" 0 "the declared paths, listed" || diag_file "$T/csdl.out"
: >"$T/served"
TAB=$(printf '\t')
while IFS=$TAB read -r what method path; do
	probe "$method" "$path" && printf '%s\n' "$what" >>"$T/served"
done <"$T/paths"
cut -f1 "$T/paths" | sort -u >"$T/declared"
sort -u "$T/served" >"$T/served.sorted"
while read -r what; do
	grep -qxF "$what" "$T/served.sorted"
	is "$?" 0 "declared and served by the responder: $what" ||
	    diag "$(grep -F "$what$TAB" "$T/paths" | cut -f2- | tr '\t' ' ')"
done <"$T/declared"
like "$(grep -c '^action ' "$T/declared")" '^[1-9]' \
    "the document declares actions"

# --- a presence is an instance of the declared type --------------------------

fcgi_request -t application/json -d \
    '{"availability":"Available","activity":"Available"}' \
    POST /communications/presences
ID=$(json_str id "$T/resp.body")
like "$ID" "$GUID_ERE" "a presence to read"
fcgi_request GET "/users/$ID/presence"
cp "$T/resp.body" "$T/presence.json"
csdl instance "$T/metadata.xml" microsoft.graph.presence "$T/presence.json"
is "$?" 0 "GET's presence has every declared property and only those" ||
    diag_file "$T/csdl.out"
fcgi_request -t application/json -d '{"statusMessage":{"message":
    {"content":"Back at 3","contentType":"text"},"expiryDateTime":
    {"dateTime":"2099-01-01T17:00:00.0000000","timeZone":"Europe/Berlin"}}}' \
    POST "/users/$ID/presence/setStatusMessage"
is "$RESP_STATUS" 200 "a status message for it" || resp_diag
KEPT=$TOKEN
need_token "$T/db" Presence.ReadWrite "$ID"
fcgi_request -t application/json -d \
    '{"workLocationType":"remote","placeId":null}' \
    POST /me/presence/setManualLocation
is "$RESP_STATUS" 200 "a work location for it" || resp_diag
TOKEN=$KEPT
fcgi_request GET "/communications/presences/$ID"
cp "$T/resp.body" "$T/presence.json"
like "$(json_compact "$T/presence.json")" '"statusMessage":\{"message":\{' \
    "GET shows the status message"
csdl instance "$T/metadata.xml" microsoft.graph.presence "$T/presence.json"
is "$?" 0 "with a status message and a work location it is still one" ||
    diag_file "$T/csdl.out"
fcgi_request -t application/json -d "{\"ids\":[\"$ID\"]}" \
    POST /communications/getPresencesByUserId
sed -e 's/^{.*"value":\[//' -e 's/\]}$//' "$T/resp.body" >"$T/item.json"
csdl instance "$T/metadata.xml" graph.presence "$T/item.json"
is "$?" 0 "getPresencesByUserId's item too (the type named by its alias)" ||
    diag_file "$T/csdl.out"

# --- the checks catch documents broken on purpose ----------------------------

# broken NAME SED: $T/NAME.xml is the document edited by the sed script.
broken() {
	sed -e "$2" "$T/metadata.xml" >"$T/$1.xml"
	cmp -s "$T/$1.xml" "$T/metadata.xml" &&
	    bail_out "the sed script for '$1' changed nothing"
}

broken no-setpresence '/<Action Name="setPresence"/,/<\/Action>/d'
csdl routes "$T/no-setpresence.xml" "$T/routes"
is "$?" 1 "caught: an action served but not declared"
like "$(cat "$T/csdl.out")" 'served but not declared: /users/\{id\}/presence/setPresence' \
    "the problem names the route"

broken extra-action '/<EntityContainer/i\
<Action Name="setNothing" IsBound="true"><Parameter Name="bindingParameter" Type="graph.presence"/></Action>'
csdl validate "$T/extra-action.xml"
is "$?" 0 "a declared action the router lacks is still valid CSDL"
csdl routes "$T/extra-action.xml" "$T/routes"
is "$?" 1 "caught: an action declared but not served"
like "$(cat "$T/csdl.out")" 'declared but no served route reaches it: action setNothing' \
    "the problem names the action"
probe POST /me/presence/setNothing
isnt_served=$?
is "$isnt_served/$RESP_STATUS" 1/404 "the probe finds no route for it on the responder"

broken no-presences '/<NavigationProperty Name="presences"/d'
csdl routes "$T/no-presences.xml" "$T/routes"
is "$?" 1 "caught: a navigation served but not declared"

broken bad-type 's/Type="graph.presence"/Type="graph.presense"/'
csdl validate "$T/bad-type.xml"
is "$?" 1 "caught: a type reference that does not resolve"
broken no-key '/<Key>/,/<\/Key>/d'
csdl validate "$T/no-key.xml"
is "$?" 1 "caught: entity types without keys"
broken unbound 's/<Action Name="clearPresence" IsBound="true">/<Action Name="clearPresence" IsBound="false">/'
csdl validate "$T/unbound.xml"
is "$?" 1 "caught: an action that is not bound"
broken bad-xml 's/<\/EntityContainer>//'
csdl validate "$T/bad-xml.xml"
is "$?" 1 "caught: XML that is not well-formed"
broken bad-attr 's/<EntitySet Name="users"/<EntitySet Nmae="x" Name="users"/'
csdl validate "$T/bad-attr.xml"
is "$?" 1 "caught: an attribute CSDL does not have"

printf '%s\n' '{"id":"x","availability":"A","activity":"A","mood":"fine"}' \
    >"$T/extra.json"
csdl instance "$T/metadata.xml" microsoft.graph.presence "$T/extra.json"
is "$?" 1 "caught: a property not declared, and declared ones missing"

done_testing
