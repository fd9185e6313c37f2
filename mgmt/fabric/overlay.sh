#!/usr/bin/env bash
# A node's fabric overlay for the management VM: a gzip'd cpio appended to
# the generic initramfs (Linux unpacks concatenated archives in order), with
# /etc/aether/fabric.sh (mgmt/fabric/vm-fabric.sh) and this node's files.
#
#   overlay.sh OUT.gz PKI worker NODE BROKER-HOST:PORT
#   overlay.sh OUT.gz PKI central IMAGE-URL
#
# worker: its certificate, key, HMAC key and the CA.  central: the
# broker's configuration (TLS listener on 0.0.0.0:8883), certificate and
# ACL, the central identity, every worker's HMAC key and fabric.conf
# (image server on :8081, reached by workers at IMAGE-URL).
set -euo pipefail
out=$1 pki=$2 role=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
fd=$root/etc/aether/fabric
mkdir -p "$fd"
install -m 0644 "$here/vm-fabric.sh" "$root/etc/aether/fabric.sh"
install -m 0644 "$pki/ca.pem" "$fd/ca.pem"
if [ "$role" = worker ]; then
	node=$4 broker=$5
	install -m 0644 "$pki/nodes/$node/$node.pem" "$fd/node.pem"
	install -m 0600 "$pki/nodes/$node/$node.key" "$fd/node.key"
	install -m 0600 "$pki/nodes/$node/$node.hmac" "$fd/node.hmac"
	printf 'ROLE=worker\nNODE=%s\nBROKER=%s\n' "$node" "$broker" > "$fd/node.conf"
else
	url=$4
	"$here/broker-conf.sh" "$pki" "$root/tmpbroker" 0.0.0.0 8883 >/dev/null
	sed -e "s|$(cd "$pki" && pwd)|/etc/aether/fabric|g" -e "s|$root/tmpbroker|/etc/aether/fabric|g" \
		-e 's|^user .*|user root|' "$root/tmpbroker/mosquitto.conf" > "$fd/mosquitto.conf"
	install -m 0644 "$root/tmpbroker/acl" "$fd/acl"
	rm -rf "$root/tmpbroker"
	mkdir -p "$fd/persist" "$fd/keys" "$fd/central"
	install -m 0644 "$pki/broker.pem" "$fd/broker.pem"
	install -m 0600 "$pki/broker.key" "$fd/broker.key"
	install -m 0644 "$pki/central/central.pem" "$fd/central/central.pem"
	install -m 0600 "$pki/central/central.key" "$fd/central/central.key"
	cp "$pki"/keys/*.hmac "$fd/keys/"
	cat > "$fd/fabric.conf" <<CONF
broker 127.0.0.1:8883
ca /etc/aether/fabric/ca.pem
cert /etc/aether/fabric/central/central.pem
key /etc/aether/fabric/central/central.key
keys /etc/aether/fabric/keys
images /tmp
image-bind 0.0.0.0
image-port 8081
image-url $url
CONF
	printf 'ROLE=central\nNODE=central\n' > "$fd/node.conf"
fi
( cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 ) | gzip -9n > "$out"
