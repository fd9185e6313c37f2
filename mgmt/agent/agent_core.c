/* Agent life cycle and MQTT session: see agent.h.
 *
 * Session: MQTT v5, clean start off with a session expiry, so the broker
 * keeps the subscription and queues QoS 1 commands while the worker is
 * away.  The last will (retained, QoS 1) replaces the status with
 * "offline" when the connection drops without a DISCONNECT. */
#include "agent_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SESSION_EXPIRY_S (7 * 24 * 3600)

int64_t agent_now(const struct agent *a)
{
	return fab_now_ms() + a->cfg.clock_offset_ms;
}

void agent_log(struct agent *a, const char *fmt, ...)
{
	va_list ap;

	if (a->cfg.quiet)
		return;
	fprintf(stderr, "agent %s: ", a->node);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void agent_log_reject(struct agent *a, const char *fmt, ...)
{
	int64_t sec = fab_mono_ms() / 1000;
	va_list ap;

	if (sec != a->log_second) {
		a->log_second = sec;
		a->log_budget = 10;
	}
	if (a->log_budget <= 0)
		return;
	a->log_budget--;
	fprintf(stderr, "agent %s: REJECTED ", a->node);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void on_connect(struct mosquitto *m, void *obj, int rc, int flags,
		       const mosquitto_property *props)
{
	struct agent *a = obj;

	if (rc != 0) {
		agent_log(a, "broker refused the connection: %s", mosquitto_reason_string(rc));
		return;
	}
	a->connected = 1;
	agent_log(a, "connected (session %s)", (flags & 1) ? "resumed" : "new");
	mosquitto_subscribe_v5(m, NULL, a->t_cmd, 1, 0, NULL);
	pthread_mutex_lock(&a->lock);
	agent_publish_status(a, "online");
	a->next_telemetry = 0;
	pthread_mutex_unlock(&a->lock);
}

static void on_disconnect(struct mosquitto *m, void *obj, int rc, const mosquitto_property *p)
{
	struct agent *a = obj;

	a->connected = 0;
	if (rc != 0)
		agent_log(a, "disconnected (%d); reconnecting", rc);
}

static void run_command(struct agent *a, const struct mosquitto_message *msg,
			const mosquitto_property *props)
{
	pthread_mutex_lock(&a->lock);
	agent_on_command(a, msg, props);
	pthread_mutex_unlock(&a->lock);
}

static void *cmd_thread(void *arg)
{
	struct agent *a = arg;

	pthread_mutex_lock(&a->qlock);
	for (;;) {
		struct agent_qitem it;
		while (!a->qlen && !a->cmd_thread_stop)
			pthread_cond_wait(&a->qcond, &a->qlock);
		if (!a->qlen)
			break; /* stopping, and everything received was run */
		it = a->queue[a->qhead];
		a->qhead = (a->qhead + 1) % AGENT_QUEUE;
		a->qlen--;
		pthread_mutex_unlock(&a->qlock);
		run_command(a, it.msg, it.props);
		mosquitto_message_free(&it.msg);
		mosquitto_property_free_all(&it.props);
		pthread_mutex_lock(&a->qlock);
	}
	pthread_mutex_unlock(&a->qlock);
	return NULL;
}

/* Network thread: queue a copy for the command thread.  When the queue is
 * full (or a copy fails) the command runs here: slower, never dropped. */
static void on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg,
		       const mosquitto_property *props)
{
	struct agent *a = obj;
	struct agent_qitem it = {calloc(1, sizeof(*it.msg)), NULL};

	if (strcmp(msg->topic, a->t_cmd) != 0) {
		free(it.msg);
		return;
	}
	if (it.msg && mosquitto_message_copy(it.msg, msg) == MOSQ_ERR_SUCCESS &&
	    mosquitto_property_copy_all(&it.props, props) == MOSQ_ERR_SUCCESS) {
		pthread_mutex_lock(&a->qlock);
		if (a->qlen < AGENT_QUEUE && a->cmd_thread_started) {
			a->queue[(a->qhead + a->qlen++) % AGENT_QUEUE] = it;
			pthread_cond_signal(&a->qcond);
			pthread_mutex_unlock(&a->qlock);
			return;
		}
		pthread_mutex_unlock(&a->qlock);
	}
	mosquitto_message_free(&it.msg);
	mosquitto_property_free_all(&it.props);
	run_command(a, msg, props);
}

static int set_will(struct agent *a)
{
	char buf[160];

	snprintf(buf, sizeof(buf),
		 "{\"v\":%d,\"node\":\"%s\",\"state\":\"offline\",\"cause\":\"will\"}", FAB_VERSION,
		 a->node);
	return mosquitto_will_set_v5(a->mosq, a->t_status, (int)strlen(buf), buf, 1, true, NULL);
}

static int setup_mosq(struct agent *a, char *err, size_t errlen)
{
	int rc;

	a->mosq = mosquitto_new(a->node, false, a);
	if (!a->mosq) {
		snprintf(err, errlen, "mosquitto_new failed");
		return 0;
	}
	mosquitto_int_option(a->mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
	mosquitto_int_option(a->mosq, MOSQ_OPT_TCP_NODELAY, 1);
	rc = mosquitto_tls_set(a->mosq, a->cfg.cafile, NULL, a->cfg.certfile, a->cfg.keyfile, NULL);
	if (rc == MOSQ_ERR_SUCCESS)
		rc = mosquitto_tls_opts_set(a->mosq, 1, "tlsv1.2", NULL);
	if (rc == MOSQ_ERR_SUCCESS)
		rc = set_will(a);
	if (rc != MOSQ_ERR_SUCCESS) {
		snprintf(err, errlen, "TLS/will setup: %s", mosquitto_strerror(rc));
		return 0;
	}
	mosquitto_reconnect_delay_set(a->mosq, 1, 10, true);
	mosquitto_connect_v5_callback_set(a->mosq, on_connect);
	mosquitto_disconnect_v5_callback_set(a->mosq, on_disconnect);
	mosquitto_message_v5_callback_set(a->mosq, on_message);
	return 1;
}

struct agent *agent_new(const struct agent_cfg *cfg, char *err, size_t errlen)
{
	struct agent *a;

	if (!fab_node_id_valid(cfg->node)) {
		snprintf(err, errlen, "invalid node id '%s'", cfg->node ? cfg->node : "");
		return NULL;
	}
	a = calloc(1, sizeof(*a));
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->cfg = *cfg;
	snprintf(a->node, sizeof(a->node), "%s", cfg->node);
	fab_topic(a->t_cmd, sizeof(a->t_cmd), a->node, "cmd");
	fab_topic(a->t_reply, sizeof(a->t_reply), a->node, "reply");
	fab_topic(a->t_status, sizeof(a->t_status), a->node, "status");
	fab_topic(a->t_telemetry, sizeof(a->t_telemetry), a->node, "telemetry");
	if (cfg->state_dir)
		snprintf(a->journal_path, sizeof(a->journal_path), "%s/journal", cfg->state_dir);
	pthread_mutex_init(&a->lock, NULL);
	pthread_mutex_init(&a->qlock, NULL);
	pthread_cond_init(&a->qcond, NULL);
	journal_init(&a->journal, cfg->state_dir ? a->journal_path : NULL, agent_now(a));
	if (!a->journal.e || !setup_mosq(a, err, errlen)) {
		if (!a->journal.e)
			snprintf(err, errlen, "out of memory");
		agent_free(a);
		return NULL;
	}
	return a;
}

int agent_start(struct agent *a)
{
	mosquitto_property *props = NULL;
	int rc;

	mosquitto_property_add_int32(&props, MQTT_PROP_SESSION_EXPIRY_INTERVAL, SESSION_EXPIRY_S);
	rc = mosquitto_connect_bind_v5(a->mosq, a->cfg.host, a->cfg.port, a->cfg.keepalive_s, NULL,
				       props);
	mosquitto_property_free_all(&props);
	if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_ERRNO && rc != MOSQ_ERR_CONN_REFUSED)
		return rc;
	if (!a->cmd_thread_started) {
		if (pthread_create(&a->cmd_thread, NULL, cmd_thread, a) != 0)
			return MOSQ_ERR_NOMEM;
		a->cmd_thread_started = 1;
	}
	/* A first connection that failed is retried by the loop thread. */
	return mosquitto_loop_start(a->mosq);
}

void agent_tick(struct agent *a)
{
	int64_t now = fab_mono_ms();

	if (!a->connected)
		return;
	pthread_mutex_lock(&a->lock);
	if (now >= a->next_telemetry) {
		json_t *doc = json_pack("{s:i, s:s, s:I, s:I, s:o}", "v", FAB_VERSION, "node",
					a->node, "ts", (json_int_t)agent_now(a), "seq",
					(json_int_t)a->telemetry_seq++, "vms",
					agent_vm_list_json(a, true));
		agent_publish_json(a, a->t_telemetry, doc, 0, false, NULL);
		a->next_telemetry = now + (int64_t)a->cfg.period_s * 1000;
	}
	agent_publish_status(a, NULL); /* only if a VM changed state */
	pthread_mutex_unlock(&a->lock);
}

void agent_stop(struct agent *a)
{
	if (!a->mosq)
		return;
	if (a->connected) {
		pthread_mutex_lock(&a->lock);
		agent_publish_status(a, "offline");
		pthread_mutex_unlock(&a->lock);
	}
	mosquitto_disconnect_v5(a->mosq, 0, NULL);
	mosquitto_loop_stop(a->mosq, false);
	if (a->cmd_thread_started) {
		pthread_mutex_lock(&a->qlock);
		a->cmd_thread_stop = 1;
		pthread_cond_broadcast(&a->qcond);
		pthread_mutex_unlock(&a->qlock);
		pthread_join(a->cmd_thread, NULL);
		a->cmd_thread_started = 0;
	}
}

void agent_free(struct agent *a)
{
	if (!a)
		return;
	if (a->mosq)
		mosquitto_destroy(a->mosq);
	journal_free(&a->journal);
	pthread_mutex_destroy(&a->lock);
	pthread_mutex_destroy(&a->qlock);
	pthread_cond_destroy(&a->qcond);
	free(a);
}

int agent_connected(const struct agent *a)
{
	return a->connected;
}

unsigned long agent_applied(const struct agent *a)
{
	return a->applied;
}
