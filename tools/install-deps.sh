#!/usr/bin/env bash
# Installs the Debian packages the build and tests use, if any is missing.
# Idempotent and quiet when everything is present; needs root (or sudo) only
# when something must be installed.
set -euo pipefail

pkgs=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm
      device-tree-compiler u-boot-qemu clang libclang-rt-14-dev python3 make gcc
      cpio gdb-multiarch
      libmicrohttpd-dev libjansson-dev libssl-dev pkg-config curl chromium
      mosquitto mosquitto-clients libmosquitto-dev openssl wget socat)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
# The dashboard's bundler and browser test run on node/npm (any source:
# Debian's packages or the machine's own install).
command -v npm >/dev/null || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "install-deps: need root to install ${missing[*]}" >&2; exit 1; }
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
