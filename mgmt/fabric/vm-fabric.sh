# /etc/aether/fabric.sh: sourced by the management VM's /init (busybox sh)
# when this node's overlay (mgmt/fabric/overlay.sh) is present.  $node is
# --sim or --devmem, as for aetherd.  /etc/aether/fabric/node.conf sets
# ROLE (central | worker), NODE and, for a worker, BROKER (host:port).
. /etc/aether/fabric/node.conf
fd=/etc/aether/fabric
# No RTC under the hypervisor: the host's time at image build, plus uptime
# (TLS certificate dates and command freshness need a real clock).
ep=$(sed -n 's/.*aether\.epoch_ms=\([0-9]*\).*/\1/p' /proc/cmdline)
if [ -n "$ep" ]; then
	up=$(cut -d. -f1 /proc/uptime)
	date -s "@$((ep / 1000 + up))" >/dev/null 2>&1 || echo "fabric: cannot set the clock"
fi
mkdir -p /run/aether
if [ "$ROLE" = central ]; then
	(
		while :; do
			/usr/sbin/mosquitto -c $fd/mosquitto.conf
			echo "fabric: mosquitto exited ($?); restarting in 2 s"
			sleep 2
		done
	) &
	export AETHERD_FABRIC=$fd/fabric.conf
	echo "AETHER-FABRIC central broker=:8883 images=:8081"
else
	(
		while :; do
			/usr/sbin/aether-agent --node "$NODE" --broker "$BROKER" --ca $fd/ca.pem \
				--cert $fd/node.pem --key $fd/node.key --hmac-key $fd/node.hmac \
				--state /run/aether --tmp /tmp --fetch wget --period 2 --keepalive 10 \
				$node
			echo "fabric: agent exited ($?); restarting in 2 s"
			sleep 2
		done
	) &
	# The management interface takes one client at a time: on a worker the
	# agent is that client, so no local aetherd (the central API reaches
	# this node through the fabric).
	AETHERD=no
	echo "AETHER-FABRIC worker $NODE broker=$BROKER"
fi
