/* Central fabric internals shared by its files (not an interface). */
#ifndef AETHER_FABRIC_INT_H
#define AETHER_FABRIC_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "fabric.h"

#define FAB_MAX_NODES 8192
#define FAB_HASH (FAB_MAX_NODES * 2)
#define FAB_CMDS 65536 /* command records kept (a ring) */
#define FAB_EVENTS 256
#define FAB_GRACE_MS 5000

struct fab_node {
	char id[FAB_ID_MAX];
	uint8_t key[FAB_KEY_BYTES];
	bool online;	   /* last status said "online" */
	int64_t last_seen; /* monotonic ms of the last status/telemetry/reply, 0: never */
	int64_t last_seen_wall;
	json_t *info; /* node info from the status */
	json_t *vms;  /* VM list (with stats from telemetry) */
};

enum fab_cmd_state {
	CMD_FREE = 0,
	CMD_PENDING,
	CMD_OK,
	CMD_ERROR,
	CMD_REJECTED,
	CMD_EXPIRED,
	CMD_UNDELIVERABLE,
};

struct fab_cmd {
	char id[FAB_CMDID_MAX];
	char node[FAB_ID_MAX];
	char vm[MGMT_NAME_MAX];
	enum fab_op op;
	enum fab_cmd_state state;
	int64_t issued_wall; /* ts in the command */
	int64_t issued_mono;
	int64_t answered_mono; /* 0 until an outcome */
	int64_t expires_mono;
	int ttl_s;
	int mid;	     /* MQTT message id until the broker acknowledged it */
	int broker_rc;	     /* PUBACK reason code */
	unsigned duplicates; /* duplicate answers received */
	json_t *reply;	     /* the worker's answer */
	json_t *rejections;  /* rejections reported for this id after an outcome */
};

struct fabric {
	struct fabric_cfg cfg;
	char keys_dir[512], image_dir[512], image_url[256];
	struct mosquitto *mosq;
	pthread_mutex_t lock;
	struct fab_node *nodes;
	unsigned nr_nodes;
	int32_t *hash; /* node index + 1, 0 = empty */
	struct fab_cmd *cmds;
	uint64_t cmd_seq;
	int32_t *mid_cmd; /* MQTT message id -> command slot + 1 */
	json_t *events;
	volatile int connected;
	pthread_t ticker;
	int ticker_started;
	volatile int stopping;
	void *httpd; /* image server (struct MHD_Daemon) */
	int image_port;
};

/* fabric_nodes.c (lock held) */
struct fab_node *fab_node_find(struct fabric *f, const char *id);
/* Finds or provisions (loads <keys_dir>/<id>.hmac); NULL if not provisioned. */
struct fab_node *fab_node_get(struct fabric *f, const char *id);
void fab_nodes_load(struct fabric *f);
void fab_on_status(struct fabric *f, struct fab_node *n, json_t *doc);
void fab_on_telemetry(struct fabric *f, struct fab_node *n, json_t *doc);
bool fab_node_reachable(struct fabric *f, const struct fab_node *n, int64_t now);
json_t *fab_node_doc(struct fabric *f, const struct fab_node *n, int64_t now);

/* fabric_cmd.c (lock held) */
void fab_on_reply(struct fabric *f, struct fab_node *n, json_t *doc, const void *corr, int corrlen);
void fab_on_puback(struct fabric *f, int mid, int reason);
void fab_cmds_sweep(struct fabric *f, int64_t now);
void fab_event(struct fabric *f, const char *node, const char *kind, json_t *detail);
int fab_send(struct fabric *f, struct fab_node *n, enum fab_op op, const char *vm, json_t *args,
	     int ttl_s, char id[FAB_CMDID_MAX], char *err, size_t errlen);

/* fabric_images.c */
int fab_images_start(struct fabric *f, char *err, size_t errlen);
void fab_images_stop(struct fabric *f);
/* Stores data under its SHA-256; fills hex. 0 on failure. */
int fab_image_store(struct fabric *f, const void *data, size_t len, char hex[65]);
/* {"url","sha256","size"} for node (lock held: reads its key). */
json_t *fab_image_spec(struct fabric *f, const struct fab_node *n, const char hex[65], size_t len);

#endif
