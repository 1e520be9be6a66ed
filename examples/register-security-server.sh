#!/usr/bin/env bash
# register-security-server.sh — X-Road's MEMBER_01 ("configure and register a
# security server") against Roadreg's GraphQL API, with nothing but curl and
# jq. Written for the demo instance of `make run` (roadreg dev); point the
# variables at your own servers to use it elsewhere.
#
#   CS=http://127.0.0.1:8080 SS=http://127.0.0.1:8081 CA=http://127.0.0.1:8899 \
#   CS_USER=cs-admin CS_PASSWORD=… SS_USER=ss-admin SS_PASSWORD=… \
#   examples/register-security-server.sh
#
# Without the *_USER/*_PASSWORD variables it reads data/dev-credentials.json.
# The software-token PIN is $PIN, or one the script makes up and prints once:
# keep it, the token needs it after every restart of the security server.
#
# It sets up a fresh security server only: when the server is initialised
# already it changes nothing, says so and exits with status 3.
set -euo pipefail

CS=${CS:-http://127.0.0.1:8080}
SS=${SS:-http://127.0.0.1:8081}
CA=${CA:-http://127.0.0.1:8899}
CREDS=${CREDS:-data/dev-credentials.json}
OWNER_CLASS=${OWNER_CLASS:-GOV}
OWNER_CODE=${OWNER_CODE:-1234}
SERVER_CODE=${SERVER_CODE:-SS1}
ADDRESS=${ADDRESS:-ss1.example.org}

cred() { jq -r --arg s "$1" --arg u "$2" '.users[] | select(.server==$s and .username==$u) | .password' "$CREDS"; }
CS_USER=${CS_USER:-cs-admin}
SS_USER=${SS_USER:-ss-admin}
CS_PASSWORD=${CS_PASSWORD:-$(cred central "$CS_USER")}
SS_PASSWORD=${SS_PASSWORD:-$(cred security "$SS_USER")}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { printf '\n==> %s\n' "$*"; }

# login BASE USER PASSWORD JAR — a session cookie in the jar.
login() {
	curl -fsS -c "$4" -H 'Content-Type: application/json' \
		-d "$(jq -n --arg u "$2" --arg p "$3" '{username:$u,password:$p}')" "$1/auth/login" >/dev/null
}

# gql BASE JAR QUERY [VARIABLES] — prints .data, or the errors and fails.
gql() {
	local out
	out=$(curl -fsS -b "$2" -H 'Content-Type: application/json' \
		-d "$(jq -n --arg q "$3" --argjson v "${4:-null}" '{query:$q,variables:$v}')" "$1/graphql")
	if [ "$(jq '.errors | length' <<<"$out")" != 0 ]; then
		jq -r '.errors[] | "error: \(.extensions.code): \(.message)"' <<<"$out" >&2
		return 1
	fi
	jq '.data' <<<"$out"
}

login "$CS" "$CS_USER" "$CS_PASSWORD" "$work/cs"
login "$SS" "$SS_USER" "$SS_PASSWORD" "$work/ss"

info=$(gql "$SS" "$work/ss" '{ serverInfo { initialized securityServerId } }')
if [ "$(jq -r .serverInfo.initialized <<<"$info")" = true ]; then
	cat >&2 <<-EOF
		The security server at $SS is already initialised (as $(jq -r .serverInfo.securityServerId <<<"$info")); nothing was changed.
		This script configures and registers a fresh security server: point SS at one that is not initialised,
		or start the demo afresh with \`roadreg dev --reset\`.
	EOF
	exit 3
fi
if [ -z "${PIN:-}" ]; then
	PIN=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
	say "software-token PIN (made up; keep it, the token needs it after every restart of the security server): $PIN"
fi

say "central server: export the configuration anchor"
# Byte for byte (-j: no newline added), so both servers show the same hash.
gql "$CS" "$work/cs" '{ configurationAnchor }' | jq -j .configurationAnchor >"$work/anchor.xml"
published=$(gql "$CS" "$work/cs" '{ configurationAnchorInfo { hash } }' | jq -r .configurationAnchorInfo.hash)

say "security server: upload the anchor (the server downloads and verifies global configuration at once)"
uploaded=$(gql "$SS" "$work/ss" 'mutation($a: String!) { uploadAnchor(anchor: $a) { hash instanceIdentifier generatedAt } }' \
	"$(jq -n --rawfile a "$work/anchor.xml" '{a:$a}')")
echo "$uploaded"
hash=$(jq -r .uploadAnchor.hash <<<"$uploaded")
if [ "$hash" != "$published" ]; then
	echo "the security server computed the anchor hash $hash, the central server publishes $published" >&2
	exit 1
fi
echo "anchor hash $hash: the one the central server publishes"

say "security server: initialise (owner $OWNER_CLASS/$OWNER_CODE, server code $SERVER_CODE)"
gql "$SS" "$work/ss" 'mutation($i: InitializeSecurityServerInput!) { initializeSecurityServer(input: $i) { initialized securityServerId } }' \
	"$(jq -n --arg c "$OWNER_CLASS" --arg m "$OWNER_CODE" --arg s "$SERVER_CODE" --arg p "$PIN" \
		'{i:{ownerMemberClass:$c, ownerMemberCode:$m, serverCode:$s, softTokenPin:$p}}')"
instance=$(gql "$SS" "$work/ss" '{ serverInfo { instanceIdentifier } }' | jq -r .serverInfo.instanceIdentifier)
member="$instance/$OWNER_CLASS/$OWNER_CODE"

say "security server: add the approved timestamping service"
tsa=$(gql "$SS" "$work/ss" '{ approvedTimestampingServices { name url } }' | jq -c '.approvedTimestampingServices[0]')
gql "$SS" "$work/ss" 'mutation($n: String!, $u: String!) { addTimestampingService(name: $n, url: $u) { name url } }' \
	"$(jq -n --argjson t "$tsa" '{n:$t.name, u:$t.url}')"

say "security server: the software token (logged in since initialisation; log in again after a restart)"
token=$(gql "$SS" "$work/ss" '{ tokens { id name type loggedIn } }' | jq -r '.tokens[] | select(.type=="SOFTWARE") | .id')
if [ "$(gql "$SS" "$work/ss" '{ tokens { type loggedIn } }' | jq -r '.tokens[] | select(.type=="SOFTWARE") | .loggedIn')" != true ]; then
	gql "$SS" "$work/ss" 'mutation($t: ID!, $p: String!) { loginToken(tokenId: $t, pin: $p) { loggedIn } }' \
		"$(jq -n --arg t "$token" --arg p "$PIN" '{t:$t,p:$p}')"
fi
ca=$(gql "$SS" "$work/ss" '{ approvedCertificationAuthorities { name } }' | jq -r '.approvedCertificationAuthorities[0].name')

# certify LABEL USAGE PROFILE — key, CSR, certificate from the test CA,
# import; prints the certificate's id.
certify() {
	local key csr cert
	key=$(gql "$SS" "$work/ss" 'mutation($t: ID!, $l: String) { generateKey(tokenId: $t, label: $l) { id } }' \
		"$(jq -n --arg t "$token" --arg l "$1" '{t:$t,l:$l}')" | jq -r .generateKey.id)
	csr=$(gql "$SS" "$work/ss" 'mutation($i: GenerateCsrInput!) { generateCsr(input: $i) { pem } }' \
		"$(jq -n --arg k "$key" --arg u "$2" --arg ca "$ca" --arg m "$member" \
			'{i:({keyId:$k, usage:$u, caName:$ca} + (if $u == "SIGNING" then {memberId:$m} else {} end))}')" | jq -r .generateCsr.pem)
	# The one step outside Roadreg: a CA signs the CSR (here the test CA).
	cert=$(curl -fsS --data-binary "$csr" "$CA/testca/sign?profile=$3")
	gql "$SS" "$work/ss" 'mutation($c: String!) { importCertificate(certificate: $c) { id status active } }' \
		"$(jq -n --arg c "$cert" '{c:$c}')" | jq -r '.importCertificate.id'
}

say "security server: signing key, CSR, certificate, import"
sign_cert=$(certify sign-key SIGNING sign)
say "security server: authentication key, CSR, certificate, import"
auth_cert=$(certify auth-key AUTHENTICATION auth)

say "security server: register the authentication certificate (address $ADDRESS)"
registered=$(gql "$SS" "$work/ss" 'mutation($c: ID!, $a: String!) { registerAuthCertificate(certificateId: $c, address: $a) { status managementRequestId } }' \
	"$(jq -n --arg c "$auth_cert" --arg a "$ADDRESS" '{c:$c,a:$a}')")
echo "$registered"
request_id=$(jq -r .registerAuthCertificate.managementRequestId <<<"$registered")

say "central server: approve request $request_id"
req=$(gql "$CS" "$work/cs" '{ managementRequests(first: 50, status: WAITING) { edges { node { id requestId serverId } } } }' |
	jq -r --argjson r "$request_id" '.managementRequests.edges[].node | select(.requestId==$r) | .id')
gql "$CS" "$work/cs" 'mutation($id: ID!) { approveManagementRequest(id: $id) { requestId status serverId } }' "$(jq -n --arg id "$req" '{id:$id}')"

say "security server: wait until the certificate is REGISTERED (a GraphQL client would subscribe to authCertificateRegistered)"
for _ in $(seq 1 100); do
	status=$(gql "$SS" "$work/ss" 'query($id: ID!) { node(id: $id) { ... on Certificate { status } } }' "$(jq -n --arg id "$auth_cert" '{id:$id}')" | jq -r .node.status)
	[ "$status" = REGISTERED ] && break
	sleep 0.2
done
[ "$status" = REGISTERED ] || { echo "the certificate is still $status" >&2; exit 1; }

say "security server: activate the authentication certificate"
gql "$SS" "$work/ss" 'mutation($c: ID!) { activateCertificate(certificateId: $c) { status active ocspStatus } }' "$(jq -n --arg c "$auth_cert" '{c:$c}')"

say "security server: clients (the owner is REGISTERED)"
gql "$SS" "$work/ss" '{ securityServerClients { memberId owner status } }'
say "done: $instance/$OWNER_CLASS/$OWNER_CODE/$SERVER_CODE is registered"
