/* Agent internals shared by its files (not an interface). */
#ifndef AETHER_AGENT_INT_H
#define AETHER_AGENT_INT_H

#include <pthread.h>
#include <stdbool.h>

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "agent.h"
#include "agent_journal.h"

#define AGENT_MAX_VMS 64
#define AGENT_QUEUE 32 /* commands received, waiting for the command thread */

struct agent_qitem {
	struct mosquitto_message *msg;
	mosquitto_property *props;
};

struct agent {
	struct agent_cfg cfg;
	char node[FAB_ID_MAX];
	char t_cmd[FAB_TOPIC_MAX], t_reply[FAB_TOPIC_MAX];
	char t_status[FAB_TOPIC_MAX], t_telemetry[FAB_TOPIC_MAX];
	char journal_path[512];
	struct mosquitto *mosq;
	pthread_mutex_t lock; /* mgmt handle, journal, last_states */
	struct journal journal;
	uint32_t last_states[AGENT_MAX_VMS];
	int last_count;
	int64_t next_telemetry;
	unsigned long telemetry_seq;
	unsigned long applied;
	volatile int connected;
	/* Commands run on their own thread, so a slow deploy never stalls
	 * the MQTT keepalive on the network thread; applied in arrival order. */
	struct agent_qitem queue[AGENT_QUEUE];
	unsigned qhead, qlen;
	pthread_mutex_t qlock;
	pthread_cond_t qcond;
	pthread_t cmd_thread;
	int cmd_thread_started;
	volatile int cmd_thread_stop;
	int log_budget; /* rejection log lines left this second */
	int64_t log_second;
};

int64_t agent_now(const struct agent *a);
void agent_log(struct agent *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Rejections are logged even when quiet, at most 10 lines a second. */
void agent_log_reject(struct agent *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* agent_cmd.c: one message from the command topic. */
void agent_on_command(struct agent *a, const struct mosquitto_message *msg,
		      const mosquitto_property *props);
/* agent_report.c (lock held): status and telemetry documents. */
json_t *agent_vm_list_json(struct agent *a, bool with_stats);
void agent_publish_status(struct agent *a, const char *state);
void agent_publish_json(struct agent *a, const char *topic, json_t *doc, int qos, bool retain,
			const mosquitto_property *props);
/* agent_deploy.c (lock held): fetch, check, hand to mgmt_deploy. */
int agent_deploy(struct agent *a, uint32_t vm, json_t *args, char *detail, size_t dlen);

#endif
