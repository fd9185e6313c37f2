/* The fabric's wire conventions, shared by the worker agent (mgmt/agent/)
 * and the central side (mgmt/fabric/): topic names, node ids, the command
 * signature (HMAC-SHA256 keyed per worker), digests, clocks, and the JSON
 * shape of VM lists and stats.  Crypto is OpenSSL's libcrypto.
 *
 * Topics (FAB_ROOT = "aether/v1/node"):
 *   FAB_ROOT/<node>/cmd        central -> worker, QoS 1, message expiry
 *   FAB_ROOT/<node>/reply      worker -> central, QoS 1 (response topic)
 *   FAB_ROOT/<node>/status     worker, retained, QoS 1; last will "offline"
 *   FAB_ROOT/<node>/telemetry  worker, QoS 0, every period
 * The broker's ACL lets a worker read only its own cmd topic and write only
 * its own reply/status/telemetry topics. */
#ifndef AETHER_FABRIC_PROTO_H
#define AETHER_FABRIC_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "aether_mgmt_abi.h"

#define FAB_ROOT "aether/v1/node"
#define FAB_VERSION 1
#define FAB_ID_MAX 32	 /* node ids, including the NUL */
#define FAB_CMDID_MAX 40 /* command ids, including the NUL */
#define FAB_NONCE_HEX 32 /* 16 random bytes */
#define FAB_KEY_BYTES 32 /* HMAC key per worker */
#define FAB_MAC_HEX 64	 /* HMAC-SHA256, hex */
#define FAB_TOPIC_MAX 96
#define FAB_CMD_MAX 8192      /* largest command payload an agent takes */
#define FAB_TTL_MAX 86400     /* seconds */
#define FAB_SKEW_MS 30000     /* clock difference tolerated */
#define FAB_MAC_PROP "mac"    /* MQTT v5 user property carrying the HMAC */
#define FAB_CENTRAL "central" /* the central node's identity; no worker may use it */

/* Node ids: 1-31 characters of [a-z0-9-], starting with a letter or digit,
 * never "central".  Safe in topics (no '/', '+', '#') and file names. */
int fab_node_id_valid(const char *id);
/* Command ids: 1-39 characters of [A-Za-z0-9_-]. */
int fab_cmd_id_valid(const char *id);
/* "aether/v1/node/<node>/<leaf>" */
void fab_topic(char *buf, size_t n, const char *node, const char *leaf);
/* The node of a topic FAB_ROOT/<node>/<leaf>, copied into node; 0 if it
 * does not have that shape or the node id is invalid. */
int fab_topic_node(const char *topic, const char *leaf, char node[FAB_ID_MAX]);

/* Reads a key file: 64 hex digits (a trailing newline allowed). */
int fab_key_load(const char *path, uint8_t key[FAB_KEY_BYTES], char *err, size_t errlen);
/* HMAC-SHA256 of data under key as 64 lowercase hex digits + NUL. */
void fab_hmac_hex(const uint8_t key[FAB_KEY_BYTES], const void *data, size_t len,
		  char out[FAB_MAC_HEX + 1]);
/* 1 when mac (hex, any case) is the HMAC of data; constant time. */
int fab_hmac_check(const uint8_t key[FAB_KEY_BYTES], const void *data, size_t len, const char *mac);
void fab_sha256(const void *data, size_t len, uint8_t out[32]);
void fab_hex(const uint8_t *in, size_t n, char *out); /* out: 2n+1 bytes */
/* Decodes exactly 2n hex digits; 0 on anything else. */
int fab_unhex(const char *hex, uint8_t *out, size_t n);
/* nbytes random bytes from OpenSSL's CSPRNG as hex (out: 2n+1); 0 on failure. */
int fab_random_hex(char *out, size_t nbytes);

int64_t fab_now_ms(void);  /* wall clock, ms since the epoch */
int64_t fab_mono_ms(void); /* monotonic clock, ms */

const char *fab_state_name(uint32_t state);
json_t *fab_vm_json(const struct mgmt_vm_info *vm);
json_t *fab_stats_json(const struct mgmt_vm_stats *st);
json_t *fab_node_info_json(const struct mgmt_node_info *ni);

/* Operations a command may carry. */
enum fab_op {
	FAB_OP_NONE = 0,
	FAB_OP_LIST,
	FAB_OP_START,
	FAB_OP_STOP,
	FAB_OP_KILL,
	FAB_OP_RESTART,
	FAB_OP_DEPLOY,
};
enum fab_op fab_op_parse(const char *name);
const char *fab_op_name(enum fab_op op);
/* The management interface operation of a VM action, 0 for others. */
uint32_t fab_op_mgmt(enum fab_op op);

/* HTTP status of a management interface error, as the local API answers. */
int fab_http_status(int mgmt_status);
/* Short stable name of a management interface status ("ok", "no-vm", ...). */
const char *fab_status_name(int mgmt_status);

#endif
