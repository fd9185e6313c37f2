/* The worker agent: connects out to the central node's MQTT broker (TLS,
 * client certificate, MQTT v5, persistent session), publishes its node's
 * status (retained, last will "offline") and telemetry, and applies signed
 * commands from its command topic through the local management interface.
 *
 * The same code runs in a worker's management VM (mgmt_open_devmem()) and in
 * host builds against a simulated node (mgmt_open_sim()), many agents per
 * process in the fleet simulation.  Thread use: libmosquitto's network
 * thread runs the callbacks; agent_tick() runs on the caller's thread; one
 * mutex per agent serialises the management handle and the journal. */
#ifndef AETHER_AGENT_H
#define AETHER_AGENT_H

#include <stdint.h>

#include "fabric_proto.h"
#include "mgmt_client.h"

struct agent_cfg {
	const char *node; /* this worker's id (= certificate CN) */
	const char *host; /* broker */
	int port;
	const char *cafile, *certfile, *keyfile;
	uint8_t key[FAB_KEY_BYTES]; /* HMAC key shared with the central node */
	const char *state_dir;	    /* journal of applied commands; NULL: memory only */
	const char *tmp_dir;	    /* image downloads */
	const char *fetch_cmd;	    /* HTTP fetcher: "<cmd> -q -O FILE URL" */
	int period_s;		    /* telemetry period */
	int keepalive_s;
	int64_t clock_offset_ms; /* added to the wall clock (boards without an RTC) */
	int quiet;		 /* no log lines except rejections */
	struct mgmt *mgmt;	 /* the node's management interface (not owned) */
};

struct agent;

struct agent *agent_new(const struct agent_cfg *cfg, char *err, size_t errlen);
/* Connects in the background (and reconnects); 0 or a libmosquitto error. */
int agent_start(struct agent *a);
/* Telemetry and status changes; call about once a second. */
void agent_tick(struct agent *a);
/* Publishes the retained "offline" status, disconnects, stops the thread. */
void agent_stop(struct agent *a);
void agent_free(struct agent *a);
int agent_connected(const struct agent *a);
/* Commands applied (not duplicates or rejections) since start. */
unsigned long agent_applied(const struct agent *a);

#endif
