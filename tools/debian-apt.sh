# tools/debian-apt.sh: sourced by tools/linux/fetch.sh and mgmt/sysroot.sh.
#
# debian_apt_init STATEDIR TAG sets up a private apt state for Debian's arm64
# archive under STATEDIR (its own sources list, lists and cache,
# APT::Architecture=arm64) and fills the array `aptopts` with the options
# that point apt-get/apt-cache at it, so the host's dpkg architectures and
# /var/lib/apt, /var/cache/apt are never touched.  debian_apt_update then
# fetches the lists, logging to STATEDIR/log; TAG prefixes its messages.
#
# Environment: DEBIAN_MIRROR (default http://deb.debian.org/debian),
# DEBIAN_SECURITY_MIRROR (default http://deb.debian.org/debian-security),
# DEBIAN_SUITE (default bookworm).

debian_apt_init() {
	local st=$1
	apt_tag=$2
	apt_state=$st
	apt_log=$st/log
	apt_mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
	apt_suite=${DEBIAN_SUITE:-bookworm}
	local secmirror=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	local t

	for t in apt-get apt-cache dpkg-deb; do
		command -v "$t" >/dev/null || die "'$t' not found (this script needs a Debian host)"
	done
	[ -r "$keyring" ] || die "$keyring missing (apt-get install debian-archive-keyring)"
	mkdir -p "$st/lists/partial" "$st/cache/archives/partial" "$st/sources.list.d"
	cat > "$st/sources.list" <<SRC
deb [arch=arm64 signed-by=$keyring] $apt_mirror $apt_suite main
deb [arch=arm64 signed-by=$keyring] $apt_mirror $apt_suite-updates main
deb [arch=arm64 signed-by=$keyring] $secmirror $apt_suite-security main
SRC
	# Read after the host's config: drop the host's post-update hooks
	# (appstream, packagekit), which would act on the host's own state.
	cat > "$st/apt.conf" <<CONF
#clear APT::Update::Post-Invoke-Success;
#clear APT::Update::Post-Invoke;
#clear DPkg::Post-Invoke;
CONF
	aptopts=(-c "$st/apt.conf"
		-o APT::Architecture=arm64 -o APT::Architectures=arm64
		-o Dir::State::Lists="$st/lists" -o Dir::Cache="$st/cache"
		-o Dir::Cache::pkgcache="" -o Dir::Cache::srcpkgcache=""
		-o Dir::Etc::SourceList="$st/sources.list"
		-o Dir::Etc::SourceParts="$st/sources.list.d"
		-o Acquire::Languages=none)
	# As root apt drops to the _apt user to download, which cannot write
	# into a build tree root owns; the files come from signed indexes anyway.
	if [ "$(id -u)" -eq 0 ]; then
		aptopts+=(-o APT::Sandbox::User=root)
	fi
}

debian_apt_update() {
	echo "$apt_tag: updating private apt lists in $apt_state (arm64, $apt_suite)" >&2
	if ! apt-get "${aptopts[@]}" -q update >"$apt_log" 2>&1; then
		grep '^[EW]: ' "$apt_log" >&2 || tail -n 20 "$apt_log" >&2
		die "apt-get update failed for the private arm64 state in $apt_state (full log: $apt_log)"
	fi
	# A suite that could not be fetched is only a warning to apt; the
	# caller fails later if its packages cannot be found.
	grep '^W: ' "$apt_log" >&2 || true
}
