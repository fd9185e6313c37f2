# /etc/aether/fabric.sh: sourced by the management VM's /init (busybox sh)
# when this node's overlay (mgmt/fabric/overlay.sh) is present.  $node is
# --sim or --devmem, as for aetherd.  /etc/aether/fabric/node.conf sets
# ROLE (central | worker), NODE and, for a worker, BROKER (host:port).
. /etc/aether/fabric/node.conf
fd=/etc/aether/fabric
clock=
grep -q 'aether.epoch_ms=' /proc/cmdline && clock=--clock-cmdline
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
				$clock $node
			echo "fabric: agent exited ($?); restarting in 2 s"
			sleep 2
		done
	) &
	echo "AETHER-FABRIC worker $NODE broker=$BROKER"
fi
