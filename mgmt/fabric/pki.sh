#!/usr/bin/env bash
# The fabric's credentials, made with OpenSSL at build time.
#
#   pki.sh DIR [--central NAME]... [--rogue] NODE...
#
# DIR/ca.pem, ca.key           the fabric CA (EC P-256)
# DIR/broker.pem, broker.key   the broker's server certificate
#                              (SAN localhost, 127.0.0.1, 10.0.2.2, 10.0.2.100)
# DIR/central/<name>.pem,.key  central-role identities (default: central)
# DIR/nodes/<id>/<id>.pem,.key the worker's client certificate, CN = node id
# DIR/nodes/<id>/<id>.hmac     the worker's command key (32 random bytes, hex)
# DIR/keys/<id>.hmac           the central node's copy of every worker key
# DIR/rogue/                   (--rogue) another CA and a "w1" certificate it
#                              signed: what a client with a wrong certificate has
# DIR/centrals                 the central-role names, one per line (for the ACL)
# Existing files are kept, so adding a node later leaves the others alone.
set -euo pipefail

dir=$1
shift
centrals=()
rogue=0
nodes=()
while [ $# -gt 0 ]; do
	case $1 in
	--central) centrals+=("$2"); shift 2 ;;
	--rogue) rogue=1; shift ;;
	*) nodes+=("$1"); shift ;;
	esac
done
[ ${#centrals[@]} -eq 0 ] && centrals=(central)
mkdir -p "$dir/central" "$dir/nodes" "$dir/keys"
umask 077

valid_id() { [[ $1 =~ ^[a-z0-9][a-z0-9-]{0,30}$ && $1 != central ]]; }

# ca_new PREFIX CN
ca_new() {
	[ -f "$1.pem" ] && return 0
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
		-subj "/CN=$2" -keyout "$1.key" -out "$1.pem" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
		2>/dev/null
}

# cert_new PREFIX CN CA-PREFIX EXTFILE-CONTENT
serial=0
cert_new() {
	[ -f "$1.pem" ] && return 0
	local ext="$1.ext" sn
	serial=$((serial + 1))
	printf -v sn '0x%x%04x%04x%06x' "$EPOCHSECONDS" "$RANDOM" "$RANDOM" "$serial"
	printf '%s\n' "$4" > "$ext"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$2" \
		-keyout "$1.key" 2>/dev/null |
		openssl x509 -req -CA "$3.pem" -CAkey "$3.key" -days 3650 \
			-set_serial "$sn" -extfile "$ext" -out "$1.pem" 2>/dev/null
	rm -f "$ext"
	[ -s "$1.pem" ] || { echo "pki.sh: could not make $1.pem" >&2; return 1; }
}

client_ext='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth'

ca_new "$dir/ca" "Aether fabric CA"
cert_new "$dir/broker" broker "$dir/ca" 'basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,DNS:broker,IP:127.0.0.1,IP:10.0.2.2,IP:10.0.2.100'

: > "$dir/centrals.new"
for c in "${centrals[@]}"; do
	cert_new "$dir/central/$c" "$c" "$dir/ca" "$client_ext"
	echo "$c" >> "$dir/centrals.new"
done
sort -u "$dir/centrals.new" $( [ -f "$dir/centrals" ] && echo "$dir/centrals" ) > "$dir/centrals.tmp"
mv "$dir/centrals.tmp" "$dir/centrals"
rm -f "$dir/centrals.new"

ca_text=$(<"$dir/ca.pem")
node_new() {
	local n=$1 d="$dir/nodes/$1" key
	mkdir -p "$d"
	cert_new "$d/$n" "$n" "$dir/ca" "$client_ext"
	[ -f "$d/$n.hmac" ] || openssl rand -hex 32 > "$d/$n.hmac"
	read -r key < "$d/$n.hmac"
	printf '%s\n' "$key" > "$dir/keys/$n.hmac"
	printf '%s\n' "$ca_text" > "$d/ca.pem"
}
i=0
for n in "${nodes[@]}"; do
	valid_id "$n" || { echo "pki.sh: invalid node id '$n'" >&2; exit 1; }
	for c in "${centrals[@]}"; do
		[ "$n" = "$c" ] && { echo "pki.sh: node id '$n' is a central name" >&2; exit 1; }
	done
	# Two at a time: the machines have two cores.
	i=$((i + 1))
	serial=$((1000000 + i)) # unique per certificate of this run
	node_new "$n" &
	[ $((i % 2)) -eq 0 ] && wait
done
wait
for n in "${nodes[@]}"; do
	[ -s "$dir/nodes/$n/$n.pem" ] && [ -s "$dir/keys/$n.hmac" ] ||
		{ echo "pki.sh: credentials for $n incomplete" >&2; exit 1; }
done

if [ $rogue = 1 ]; then
	mkdir -p "$dir/rogue"
	ca_new "$dir/rogue/ca" "Not the fabric CA"
	cert_new "$dir/rogue/w1" w1 "$dir/rogue/ca" "$client_ext"
fi
