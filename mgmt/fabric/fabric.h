/* The central node's side of the fabric, as a library (linked by aetherd,
 * the fleet simulation and the tests).
 *
 * One MQTT v5 client with the identity "central" (TLS client certificate)
 * and a persistent session subscribes to every worker's status, telemetry
 * and reply topics, keeps the node table, publishes signed commands (QoS 1,
 * message expiry, response topic + correlation data, HMAC user property)
 * and tracks each command to its outcome:
 *   pending   published, not answered yet (queued in the broker while the
 *             worker is away)
 *   ok | error          the worker applied it (error: the management
 *                       interface refused; "http" says what the local call
 *                       would have answered)
 *   rejected            the worker refused it (bad-mac, stale, replay...)
 *   expired             no answer by ts + ttl + skew + grace: the broker
 *                       dropped it or the worker never came back in time
 *   undeliverable       the broker had no session for that worker
 * A late answer still replaces "expired".  Thread-safe. */
#ifndef AETHER_FABRIC_H
#define AETHER_FABRIC_H

#include <stddef.h>

#include <jansson.h>

#include "fabric_proto.h"

struct fabric_cfg {
	const char *host; /* broker */
	int port;
	const char *cafile, *certfile, *keyfile;
	const char *keys_dir;	/* <node>.hmac per provisioned worker */
	const char *image_dir;	/* deploy images, by SHA-256 */
	const char *image_bind; /* image server address ("127.0.0.1"); NULL: none */
	int image_port;		/* 0: any free port */
	const char *image_url;	/* base URL workers fetch from; NULL: http://bind:port */
	int ttl_s;		/* command lifetime (default 300) */
	int period_s;		/* workers' telemetry period (default 5) */
	int quiet;
};

struct fabric;

struct fabric *fabric_start(const struct fabric_cfg *cfg, char *err, size_t errlen);
void fabric_stop(struct fabric *f);
int fabric_connected(struct fabric *f);
int fabric_image_port(struct fabric *f);

/* GET /api/v1/nodes: [{"node","reachable","state","last_seen_ms",
 * "last_seen_ago_ms","info","vms":[...]}] */
json_t *fabric_nodes_json(struct fabric *f);
/* One node, or NULL if it is not provisioned. */
json_t *fabric_node_json(struct fabric *f, const char *node);
/* Issues a command; on success returns 202 and fills id.  Otherwise the
 * HTTP status (400 bad op/args, 404 unknown node or VM, 409 not allowed on
 * the management VM or the VM's known state forbids it, 503 broker down)
 * and a message.  ttl_s 0: the configured lifetime. */
int fabric_command(struct fabric *f, const char *node, const char *op, const char *vm, json_t *args,
		   int ttl_s, char id[FAB_CMDID_MAX], char *err, size_t errlen);
/* Deploy: stores the image(s) and sends a deploy command naming their
 * SHA-256 and a URL on the image server. */
int fabric_deploy(struct fabric *f, const char *node, const char *vm, const void *kernel,
		  size_t klen, const void *initrd, size_t ilen, const char *bootargs,
		  char id[FAB_CMDID_MAX], char *err, size_t errlen);
/* GET /api/v1/commands/{id}, or NULL */
json_t *fabric_command_json(struct fabric *f, const char *id);
/* Rejections and other security events reported by workers (newest last). */
json_t *fabric_events_json(struct fabric *f);

#endif
