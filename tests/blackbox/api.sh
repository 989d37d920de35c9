#!/bin/sh
# The presence API of the real presence-fcgi, through cgi-fcgi: create
# (the founding example), read back, delete, list with paging, and the
# headers every response carries.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_tool "$CGI_FCGI" cgi-fcgi libfcgi-bin
require_fcgi
tap_init blackbox-api

mkdir "$T/db" "$T/list" || bail_out "cannot create the database directories"
need_token "$T/db"
fcgi_start --db "$T/db" || bail_out "presence-fcgi did not start"
founding_body >"$T/founding.json"
COLL=/communications/presences
TIME_ERE='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'

# check_common WHAT: the headers every response carries.
check_common() {
	like "$(resp_header request-id)" "$GUID_ERE" "$1: request-id is a GUID"
	is "$(resp_header OData-Version)" 4.0 "$1: OData-Version 4.0"
	is "$(resp_header Cache-Control)" no-store "$1: Cache-Control no-store"
	is "$(resp_header_count Status)" 1 "$1: exactly one Status line"
}

# check_error WHAT STATUS CODE: an OData error response.
check_error() {
	is "$RESP_STATUS" "$2" "$1: status $2" || resp_diag
	is "$(resp_header Content-Type)" application/json \
	    "$1: error is application/json"
	is "$(json_str code "$T/resp.body")" "$3" "$1: error code $3"
	like "$(json_compact "$T/resp.body")" \
	    '^\{"error":\{"code":"[^"]+","message":"[^"]*","innerError":\{' \
	    "$1: OData error envelope"
	like "$(json_str date "$T/resp.body")" \
	    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$' \
	    "$1: innerError date"
	is "$(json_str request-id "$T/resp.body")" "$(resp_header request-id)" \
	    "$1: innerError request-id is the header's"
	like "$(json_str client-request-id "$T/resp.body")" . \
	    "$1: innerError client-request-id present"
}

# --- create: the founding example -----------------------------------------

fcgi_request -t application/json -b "$T/founding.json" POST "$COLL"
is "$RESP_STATUS" 201 "founding example: 201" || resp_diag
is "$(resp_header Status)" "201 Created" "founding example: Status line"
is "$(resp_header Content-Type)" application/json \
    "founding example: Content-Type application/json"
ID=$(json_str id "$T/resp.body")
like "$ID" "$GUID_V4_ERE" "founding example: id is a lowercase v4 GUID"
BODY=$(json_compact "$T/resp.body")
like "$BODY" "$(presence_ere "$ID")" \
    "founding example: @odata.type, id, availability, activity, in order"
like "$BODY" '"sequenceNumber":"[0-9a-f]{16}"' \
    "founding example: sequenceNumber"
like "$BODY" '"createdDateTime":"'"$TIME_ERE"'"' \
    "founding example: createdDateTime"
like "$BODY" '"lastModifiedDateTime":"'"$TIME_ERE"'"' \
    "founding example: lastModifiedDateTime"
like "$BODY" '\}$' "founding example: body is one object"
is "$(resp_header Location)" "http://presence.test$COLL/$ID" \
    "founding example: Location"
check_common "founding example"
cp "$T/resp.body" "$T/created.json"
RID1=$(resp_header request-id)

# A second create gets another id.
fcgi_request -t application/json -b "$T/founding.json" POST "$COLL"
ID2=$(json_str id "$T/resp.body")
like "$ID2" "$GUID_V4_ERE" "second create: a GUID"
unlike "$ID2" "^$ID\$" "second create: a different id"

# --- read back ---------------------------------------------------------------

fcgi_request GET "$COLL/$ID"
is "$RESP_STATUS" 200 "get: 200" || resp_diag
is "$(resp_header Status)" "200 OK" "get: Status line"
is "$(resp_header Content-Type)" application/json "get: application/json"
is "$(json_compact "$T/resp.body")" \
    "{\"@odata.context\":\"http://presence.test/\$metadata#communications/presences/\$entity\",$(json_compact "$T/created.json" | cut -c2-)" \
    "get: the context, then the body the create answered"
check_common get
unlike "$(resp_header request-id)" "^$RID1\$" "get: a fresh request-id"

UPPER=$(printf '%s' "$ID" | tr a-f A-F)
fcgi_request GET "$COLL/$UPPER"
is "$RESP_STATUS" 200 "get with an uppercase id: 200"
is "$(json_str id "$T/resp.body")" "$ID" "get with an uppercase id: lowercase id"

fcgi_request GET "/users/$ID/presence"
is "$RESP_STATUS" 200 "get /users/{id}/presence: 200"
is "$(json_str id "$T/resp.body")" "$ID" "get /users/{id}/presence: the record"

for version in v1.0 beta; do
	fcgi_request GET "/$version$COLL/$ID"
	is "$RESP_STATUS" 200 "get under /$version: 200"
	is "$(json_str id "$T/resp.body")" "$ID" "get under /$version: the record"
done

# --- create with an id, under a version, under a mount ------------------------

GIVEN=BA441C11-1C11-4A44-911C-44BA111C44BA
given=$(printf '%s' "$GIVEN" | tr A-F a-f)
fcgi_request -t application/json \
    -d '{"id":"'"$GIVEN"'","availability":"Busy","activity":"InAMeeting"}' \
    POST "/v1.0$COLL"
is "$RESP_STATUS" 201 "create with an uppercase id: 201" || resp_diag
is "$(json_str id "$T/resp.body")" "$given" \
    "create with an uppercase id: stored lowercase"
is "$(resp_header Location)" "http://presence.test/v1.0$COLL/$given" \
    "create under /v1.0: Location keeps /v1.0"
like "$(json_compact "$T/resp.body")" \
    "$(presence_ere "$given" Busy InAMeeting)" "create with an id: body in order"

fcgi_request -m /graph -t application/json -b "$T/founding.json" \
    POST "/v1.0$COLL"
is "$RESP_STATUS" 201 "create under the mount /graph: 201" || resp_diag
MID=$(json_str id "$T/resp.body")
is "$(resp_header Location)" "http://presence.test/graph/v1.0$COLL/$MID" \
    "create under the mount /graph: Location has the mount"
fcgi_request -m /graph GET "$COLL/$MID"
is "$RESP_STATUS" 200 "get under the mount /graph: 200"

# lighttpd without fix-root-scriptname: the path is SCRIPT_NAME, no PATH_INFO.
fcgi_request -e SCRIPT_NAME="$COLL/$MID" -e PATH_INFO= GET "$COLL/$MID"
is "$RESP_STATUS" 200 "path in SCRIPT_NAME alone: 200"
is "$(json_str id "$T/resp.body")" "$MID" "path in SCRIPT_NAME alone: the record"

# --- Location and client-request-id carry no unchecked text --------------------

fcgi_request -u HTTP_HOST -t application/json -b "$T/founding.json" POST "$COLL"
is "$RESP_STATUS" 201 "create without HTTP_HOST: 201"
is "$(resp_header Location)" "$COLL/$(json_str id "$T/resp.body")" \
    "create without HTTP_HOST: relative Location"

fcgi_request -e 'HTTP_HOST=evil.test/x?y' -t application/json \
    -b "$T/founding.json" POST "$COLL"
is "$(resp_header Location)" "$COLL/$(json_str id "$T/resp.body")" \
    "create with an unsafe HTTP_HOST: relative Location"

CRLF_HOST=$(printf 'evil.test\r\nX-Injected: 1')
fcgi_request -e "HTTP_HOST=$CRLF_HOST" -t application/json \
    -b "$T/founding.json" POST "$COLL"
is "$RESP_STATUS" 201 "HTTP_HOST with CR LF: 201"
is "$(resp_header_count X-Injected)" 0 "HTTP_HOST with CR LF: no header injected"
is "$(resp_header Location)" "$COLL/$(json_str id "$T/resp.body")" \
    "HTTP_HOST with CR LF: relative Location"

fcgi_request -e HTTP_CLIENT_REQUEST_ID=test-client-0001 GET "$COLL/$ID"
is "$(resp_header client-request-id)" test-client-0001 \
    "client-request-id echoed"
LONG_CRID=$(printf '%0129d' 0)
fcgi_request -e "HTTP_CLIENT_REQUEST_ID=$LONG_CRID" GET "$COLL/$ID"
is "$RESP_STATUS" 200 "over-long client-request-id: still 200"
is "$(resp_header_count client-request-id)" 0 \
    "over-long client-request-id: not echoed"
fcgi_request -e "HTTP_CLIENT_REQUEST_ID=a$(printf '\r\nX-Injected: 1')" \
    GET "$COLL/$ID"
is "$RESP_STATUS" 200 "client-request-id with CR LF: still 200"
is "$(resp_header_count X-Injected)" 0 "client-request-id with CR LF: no header injected"

# --- not found, delete ----------------------------------------------------------

MISSING=00000000-0000-4000-8000-000000000000
fcgi_request -e HTTP_CLIENT_REQUEST_ID=test-client-0002 GET "$COLL/$MISSING"
check_error "get a missing id" 404 itemNotFound
is "$(json_str client-request-id "$T/resp.body")" test-client-0002 \
    "get a missing id: innerError echoes client-request-id"
is "$(resp_header Status)" "404 Not Found" "get a missing id: Status line"
check_common "get a missing id"

fcgi_request GET "/users/$MISSING/presence"
is "$RESP_STATUS" 404 "get /users/{missing}/presence: 404"

fcgi_request DELETE "$COLL/$ID"
is "$RESP_STATUS" 204 "delete: 204" || resp_diag
is "$(resp_header Status)" "204 No Content" "delete: Status line"
is "$(wc -c <"$T/resp.body" | tr -d ' ')" 0 "delete: no body"
check_common delete
fcgi_request GET "$COLL/$ID"
check_error "get after delete" 404 itemNotFound
fcgi_request DELETE "$COLL/$ID"
check_error "delete again" 404 itemNotFound
fcgi_request GET "$COLL/$ID2"
is "$RESP_STATUS" 200 "delete left the other record"

# --- values at the length limit ---------------------------------------------------

V128=$(printf '%0128d' 0 | tr 0 a)
fcgi_request -t application/json \
    -d '{"availability":"'"$V128"'","activity":"x"}' POST "$COLL"
is "$RESP_STATUS" 201 "a 128-byte value: 201" || resp_diag
is "$(json_str availability "$T/resp.body")" "$V128" "a 128-byte value: echoed"
E64=$(printf '%064d' 0 | sed -e 's/0/é/g')
fcgi_request -t application/json \
    -d '{"availability":"x","activity":"'"$E64"'"}' POST "$COLL"
is "$RESP_STATUS" 201 "64 two-byte characters (128 bytes): 201" || resp_diag
is "$(json_str activity "$T/resp.body")" "$E64" \
    "64 two-byte characters: echoed as UTF-8"
for type in 'application/json; charset=utf-8' 'Application/JSON' \
    'application/json;charset="UTF-8"'; do
	fcgi_request -t "$type" -b "$T/founding.json" POST "$COLL"
	is "$RESP_STATUS" 201 "Content-Type '$type': 201"
done

# --- list with paging -------------------------------------------------------------

need_token "$T/list"
fcgi_start --db "$T/list" || bail_out "second presence-fcgi did not start"
fcgi_request GET "$COLL"
is "$RESP_STATUS" 200 "list an empty store: 200" || resp_diag
is "$(resp_header Content-Type)" application/json "list: application/json"
like "$(json_compact "$T/resp.body")" \
    '^\{"@odata\.context":"http://presence\.test/\$metadata#communications/presences","value":\[\]' \
    "list an empty store: its context, no rows"
unlike "$(json_compact "$T/resp.body")" nextLink "list an empty store: no nextLink"
check_common list

: >"$T/made"
n=0
while [ $n -lt 7 ]; do
	fcgi_request -t application/json \
	    -d '{"availability":"Available","activity":"row '"$n"'"}' POST "$COLL"
	[ "$RESP_STATUS" = 201 ] || resp_diag
	json_str id "$T/resp.body" >>"$T/made"
	n=$((n + 1))
done
is "$(wc -l <"$T/made" | tr -d ' ')" 7 "list: 7 records created"
sort "$T/made" >"$T/made.sorted"

fcgi_request GET "$COLL"
is "$RESP_STATUS" 200 "list without \$top: 200"
json_ids "$T/resp.body" >"$T/all"
is "$(cat "$T/all")" "$(cat "$T/made.sorted")" \
    "list without \$top: every record, in key order"
unlike "$(json_compact "$T/resp.body")" nextLink "list without \$top: no nextLink"
like "$(json_compact "$T/resp.body")" \
    '^\{"@odata\.context":"[^"]*","value":\[\{"@odata\.type":"#microsoft\.graph\.presence","id":"' \
    "list: rows are presences"

# Follow @odata.nextLink from $top=3 to the end (a bounded walk).
: >"$T/paged"
uri="$COLL?\$top=3"
pages=
hops=0
while [ -n "$uri" ] && [ $hops -lt 10 ]; do
	fcgi_request GET "$uri"
	if [ "$RESP_STATUS" != 200 ]; then
		fail "list page $hops: 200" "GET $uri"
		resp_diag
		break
	fi
	json_ids "$T/resp.body" >"$T/page"
	cat "$T/page" >>"$T/paged"
	pages="$pages $(wc -l <"$T/page" | tr -d ' ')"
	next=$(json_str @odata.nextLink "$T/resp.body")
	case $next in
	'') uri= ;;
	http://presence.test/*) uri=${next#http://presence.test} ;;
	*) fail "nextLink is absolute like Location" "got '$next'"; uri= ;;
	esac
	hops=$((hops + 1))
done
is "$pages" " 3 3 1" "\$top=3 over 7 records: pages of 3, 3, 1"
is "$(cat "$T/paged")" "$(cat "$T/made.sorted")" \
    "paging: every record once, in key order"

fcgi_request GET "$COLL?\$top=7"
is "$(json_ids "$T/resp.body" | wc -l | tr -d ' ')" 7 "\$top=7: all 7"
unlike "$(json_compact "$T/resp.body")" nextLink "\$top=7: no nextLink"
fcgi_request GET "/v1.0$COLL?\$top=1"
like "$(json_str @odata.nextLink "$T/resp.body")" \
    '^http://presence\.test/v1\.0/communications/presences\?' \
    "nextLink under /v1.0 keeps /v1.0"

done_testing
