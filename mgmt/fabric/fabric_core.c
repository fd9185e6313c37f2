/* The central fabric client's life cycle, MQTT callbacks and the public
 * calls: see fabric.h. */
#include "fabric_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MSG_MAX (256 * 1024) /* largest status/telemetry/reply taken */
#define SESSION_EXPIRY_S (24 * 3600)

static void on_connect(struct mosquitto *m, void *obj, int rc, int flags,
		       const mosquitto_property *p)
{
	struct fabric *f = obj;
	static const char *const leaves[] = {"status", "telemetry", "reply"};

	if (rc != 0) {
		fprintf(stderr, "fabric: broker refused: %s\n", mosquitto_reason_string(rc));
		return;
	}
	for (unsigned i = 0; i < 3; i++) {
		char t[FAB_TOPIC_MAX];
		snprintf(t, sizeof(t), "%s/+/%s", FAB_ROOT, leaves[i]);
		mosquitto_subscribe_v5(m, NULL, t, 1, 0, NULL);
	}
	f->connected = 1;
	if (!f->cfg.quiet)
		fprintf(stderr, "fabric: connected to the broker\n");
}

static void on_disconnect(struct mosquitto *m, void *obj, int rc, const mosquitto_property *p)
{
	((struct fabric *)obj)->connected = 0;
}

static void on_publish(struct mosquitto *m, void *obj, int mid, int reason,
		       const mosquitto_property *p)
{
	struct fabric *f = obj;

	pthread_mutex_lock(&f->lock);
	fab_on_puback(f, mid, reason);
	pthread_mutex_unlock(&f->lock);
}

static void dispatch(struct fabric *f, const struct mosquitto_message *msg, json_t *doc,
		     const mosquitto_property *props)
{
	char node[FAB_ID_MAX];
	struct fab_node *n;
	void *corr = NULL;
	uint16_t clen = 0;

	if (fab_topic_node(msg->topic, "status", node) && (n = fab_node_get(f, node)))
		fab_on_status(f, n, doc);
	else if (fab_topic_node(msg->topic, "telemetry", node) && (n = fab_node_find(f, node)))
		fab_on_telemetry(f, n, doc);
	else if (fab_topic_node(msg->topic, "reply", node) && (n = fab_node_find(f, node))) {
		mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &corr, &clen,
					       false);
		fab_on_reply(f, n, doc, corr, clen);
		free(corr);
	}
}

static void on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg,
		       const mosquitto_property *props)
{
	struct fabric *f = obj;
	json_t *doc;

	if (msg->payloadlen <= 0 || msg->payloadlen > MSG_MAX)
		return;
	doc = json_loadb(msg->payload, (size_t)msg->payloadlen, 0, NULL);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return;
	}
	pthread_mutex_lock(&f->lock);
	dispatch(f, msg, doc, props);
	pthread_mutex_unlock(&f->lock);
	json_decref(doc);
}

static void *ticker(void *arg)
{
	struct fabric *f = arg;

	while (!f->stopping) {
		pthread_mutex_lock(&f->lock);
		fab_cmds_sweep(f, fab_mono_ms());
		pthread_mutex_unlock(&f->lock);
		for (int i = 0; i < 10 && !f->stopping; i++)
			usleep(100000);
	}
	return NULL;
}

static int setup_mosq(struct fabric *f, char *err, size_t errlen)
{
	int rc;

	f->mosq = mosquitto_new(FAB_CENTRAL, false, f);
	if (!f->mosq) {
		snprintf(err, errlen, "mosquitto_new failed");
		return 0;
	}
	mosquitto_int_option(f->mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
	mosquitto_int_option(f->mosq, MOSQ_OPT_TCP_NODELAY, 1);
	rc = mosquitto_tls_set(f->mosq, f->cfg.cafile, NULL, f->cfg.certfile, f->cfg.keyfile, NULL);
	if (rc == MOSQ_ERR_SUCCESS)
		rc = mosquitto_tls_opts_set(f->mosq, 1, "tlsv1.2", NULL);
	if (rc != MOSQ_ERR_SUCCESS) {
		snprintf(err, errlen, "TLS setup: %s", mosquitto_strerror(rc));
		return 0;
	}
	mosquitto_reconnect_delay_set(f->mosq, 1, 5, true);
	mosquitto_max_inflight_messages_set(f->mosq, 0); /* the broker bounds it */
	mosquitto_connect_v5_callback_set(f->mosq, on_connect);
	mosquitto_disconnect_v5_callback_set(f->mosq, on_disconnect);
	mosquitto_publish_v5_callback_set(f->mosq, on_publish);
	mosquitto_message_v5_callback_set(f->mosq, on_message);
	return 1;
}

static int alloc_tables(struct fabric *f)
{
	f->nodes = calloc(FAB_MAX_NODES, sizeof(*f->nodes));
	f->hash = calloc(FAB_HASH, sizeof(*f->hash));
	f->cmds = calloc(FAB_CMDS, sizeof(*f->cmds));
	f->mid_cmd = calloc(65536, sizeof(*f->mid_cmd));
	f->events = json_array();
	return f->nodes && f->hash && f->cmds && f->mid_cmd && f->events;
}

static int connect_start(struct fabric *f, char *err, size_t errlen)
{
	mosquitto_property *props = NULL;
	int rc;

	mosquitto_property_add_int32(&props, MQTT_PROP_SESSION_EXPIRY_INTERVAL, SESSION_EXPIRY_S);
	rc = mosquitto_connect_bind_v5(f->mosq, f->cfg.host, f->cfg.port, 20, NULL, props);
	mosquitto_property_free_all(&props);
	if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_ERRNO && rc != MOSQ_ERR_CONN_REFUSED) {
		snprintf(err, errlen, "connect: %s", mosquitto_strerror(rc));
		return 0;
	}
	rc = mosquitto_loop_start(f->mosq);
	if (rc != MOSQ_ERR_SUCCESS) {
		snprintf(err, errlen, "loop: %s", mosquitto_strerror(rc));
		return 0;
	}
	return 1;
}

struct fabric *fabric_start(const struct fabric_cfg *cfg, char *err, size_t errlen)
{
	struct fabric *f = calloc(1, sizeof(*f));

	if (!f || !alloc_tables(f)) {
		snprintf(err, errlen, "out of memory");
		fabric_stop(f);
		return NULL;
	}
	f->cfg = *cfg;
	f->cfg.ttl_s = cfg->ttl_s > 0 && cfg->ttl_s <= FAB_TTL_MAX ? cfg->ttl_s : 300;
	f->cfg.period_s = cfg->period_s > 0 ? cfg->period_s : 5;
	snprintf(f->keys_dir, sizeof(f->keys_dir), "%s", cfg->keys_dir ? cfg->keys_dir : ".");
	snprintf(f->image_dir, sizeof(f->image_dir), "%s",
		 cfg->image_dir ? cfg->image_dir : "/tmp");
	pthread_mutex_init(&f->lock, NULL);
	mosquitto_lib_init();
	fab_nodes_load(f);
	if (!setup_mosq(f, err, errlen) || !fab_images_start(f, err, errlen) ||
	    !connect_start(f, err, errlen) || pthread_create(&f->ticker, NULL, ticker, f) != 0) {
		fabric_stop(f);
		return NULL;
	}
	f->ticker_started = 1;
	return f;
}

void fabric_stop(struct fabric *f)
{
	if (!f)
		return;
	f->stopping = 1;
	if (f->ticker_started)
		pthread_join(f->ticker, NULL);
	if (f->mosq) {
		mosquitto_disconnect_v5(f->mosq, 0, NULL);
		mosquitto_loop_stop(f->mosq, false);
		mosquitto_destroy(f->mosq);
	}
	fab_images_stop(f);
	for (unsigned i = 0; f->nodes && i < f->nr_nodes; i++) {
		json_decref(f->nodes[i].vms);
		json_decref(f->nodes[i].info);
	}
	for (unsigned i = 0; f->cmds && i < FAB_CMDS; i++) {
		json_decref(f->cmds[i].reply);
		json_decref(f->cmds[i].rejections);
	}
	json_decref(f->events);
	free(f->nodes);
	free(f->hash);
	free(f->cmds);
	free(f->mid_cmd);
	free(f);
}

int fabric_connected(struct fabric *f)
{
	return f->connected;
}

int fabric_image_port(struct fabric *f)
{
	return f->image_port;
}
