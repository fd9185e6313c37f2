/* Commands (lock held): signing and publishing, and each one's outcome.
 *
 * Ids are "<seq hex>-<8 random hex>": the sequence number picks the slot
 * in the ring of records, the random part makes ids unguessable.
 * Published with QoS 1, message expiry = ttl, response topic = the
 * worker's reply topic, correlation data = the id, user property "mac" =
 * HMAC-SHA256(worker key, payload). */
#include "fabric_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[] = {
	[CMD_FREE] = "free",
	[CMD_PENDING] = "pending",
	[CMD_OK] = "ok",
	[CMD_ERROR] = "error",
	[CMD_REJECTED] = "rejected",
	[CMD_EXPIRED] = "expired",
	[CMD_UNDELIVERABLE] = "undeliverable",
};

void fab_event(struct fabric *f, const char *node, const char *kind, json_t *detail)
{
	json_t *e = json_pack("{s:I, s:s, s:s, s:o}", "ts", (json_int_t)fab_now_ms(), "node", node,
			      "kind", kind, "detail", detail ? detail : json_null());

	if (json_array_size(f->events) >= FAB_EVENTS)
		json_array_remove(f->events, 0);
	json_array_append_new(f->events, e);
}

static struct fab_cmd *cmd_find(struct fabric *f, const char *id)
{
	unsigned long long seq;
	struct fab_cmd *c;

	if (!id || sscanf(id, "%llx-", &seq) != 1)
		return NULL;
	c = &f->cmds[seq % FAB_CMDS];
	return c->state != CMD_FREE && strcmp(c->id, id) == 0 ? c : NULL;
}

static void cmd_clear(struct fabric *f, struct fab_cmd *c)
{
	json_decref(c->reply);
	json_decref(c->rejections);
	if (c->mid > 0 && f->mid_cmd[c->mid & 0xffff] == (int32_t)(c - f->cmds) + 1)
		f->mid_cmd[c->mid & 0xffff] = 0;
	memset(c, 0, sizeof(*c));
}

static json_t *cmd_body(struct fabric *f, const struct fab_cmd *c, const char *nonce, json_t *args)
{
	json_t *b = json_pack("{s:i, s:s, s:s, s:s, s:I, s:i, s:s}", "v", FAB_VERSION, "id", c->id,
			      "node", c->node, "op", fab_op_name(c->op), "ts",
			      (json_int_t)c->issued_wall, "ttl", c->ttl_s, "nonce", nonce);

	if (c->vm[0])
		json_object_set_new(b, "vm", json_string(c->vm));
	if (args)
		json_object_set(b, "args", args);
	return b;
}

static int publish(struct fabric *f, struct fab_node *n, struct fab_cmd *c, const char *payload)
{
	char mac[FAB_MAC_HEX + 1], topic[FAB_TOPIC_MAX], reply[FAB_TOPIC_MAX];
	mosquitto_property *props = NULL;
	int mid = 0, rc;

	fab_hmac_hex(n->key, payload, strlen(payload), mac);
	fab_topic(topic, sizeof(topic), n->id, "cmd");
	fab_topic(reply, sizeof(reply), n->id, "reply");
	mosquitto_property_add_int32(&props, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, (uint32_t)c->ttl_s);
	mosquitto_property_add_string(&props, MQTT_PROP_RESPONSE_TOPIC, reply);
	mosquitto_property_add_binary(&props, MQTT_PROP_CORRELATION_DATA, c->id,
				      (uint16_t)strlen(c->id));
	mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, FAB_MAC_PROP, mac);
	rc = mosquitto_publish_v5(f->mosq, &mid, topic, (int)strlen(payload), payload, 1, false,
				  props);
	mosquitto_property_free_all(&props);
	if (rc == MOSQ_ERR_SUCCESS && mid > 0) {
		c->mid = mid;
		f->mid_cmd[mid & 0xffff] = (int32_t)(c - f->cmds) + 1;
	}
	return rc;
}

int fab_send(struct fabric *f, struct fab_node *n, enum fab_op op, const char *vm, json_t *args,
	     int ttl_s, char id[FAB_CMDID_MAX], char *err, size_t errlen)
{
	char rnd[9], nonce[FAB_NONCE_HEX + 1];
	uint64_t seq = ++f->cmd_seq;
	struct fab_cmd *c = &f->cmds[seq % FAB_CMDS];
	char *payload;
	json_t *body;
	int rc;

	if (!fab_random_hex(rnd, 4) || !fab_random_hex(nonce, FAB_NONCE_HEX / 2)) {
		snprintf(err, errlen, "no randomness");
		return 500;
	}
	cmd_clear(f, c); /* the oldest record gives way */
	snprintf(c->id, sizeof(c->id), "%llx-%s", (unsigned long long)seq, rnd);
	snprintf(c->node, sizeof(c->node), "%s", n->id);
	snprintf(c->vm, sizeof(c->vm), "%s", vm ? vm : "");
	c->op = op;
	c->state = CMD_PENDING;
	c->ttl_s = ttl_s > 0 && ttl_s <= FAB_TTL_MAX ? ttl_s : f->cfg.ttl_s;
	c->issued_wall = fab_now_ms();
	c->issued_mono = fab_mono_ms();
	/* The broker drops the message ttl after it got it, so an answer
	 * can only come from a worker that received it before then. */
	c->expires_mono = c->issued_mono + (int64_t)c->ttl_s * 1000 + FAB_GRACE_MS;
	body = cmd_body(f, c, nonce, args);
	payload = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(body);
	rc = payload ? publish(f, n, c, payload) : MOSQ_ERR_NOMEM;
	free(payload);
	if (rc != MOSQ_ERR_SUCCESS) {
		snprintf(err, errlen, "broker: %s", mosquitto_strerror(rc));
		cmd_clear(f, c);
		return 503;
	}
	snprintf(id, FAB_CMDID_MAX, "%s", c->id);
	return 202;
}

void fab_on_puback(struct fabric *f, int mid, int reason)
{
	int32_t slot = f->mid_cmd[mid & 0xffff];
	struct fab_cmd *c;

	if (!slot)
		return;
	f->mid_cmd[mid & 0xffff] = 0;
	c = &f->cmds[slot - 1];
	if (c->mid != mid)
		return;
	c->mid = 0;
	c->broker_rc = reason;
	/* 0x10 "no matching subscribers": the worker never had a session, so
	 * the broker kept nothing for it.  Other codes >= 0x80: refused. */
	if (c->state == CMD_PENDING &&
	    (reason == MQTT_RC_NO_MATCHING_SUBSCRIBERS || reason >= 0x80))
		c->state = CMD_UNDELIVERABLE;
}

static enum fab_cmd_state outcome_state(const char *outcome)
{
	if (!outcome)
		return CMD_FREE;
	if (strcmp(outcome, "ok") == 0)
		return CMD_OK;
	if (strcmp(outcome, "error") == 0)
		return CMD_ERROR;
	if (strcmp(outcome, "rejected") == 0)
		return CMD_REJECTED;
	return CMD_FREE;
}

/* A rejection after the command already has an outcome (a replay of it,
 * an altered copy) is kept beside the outcome, never over it. */
static void note_rejection(struct fab_cmd *c, json_t *doc)
{
	if (!c->rejections)
		c->rejections = json_array();
	if (json_array_size(c->rejections) < 32)
		json_array_append(c->rejections, doc);
}

void fab_on_reply(struct fabric *f, struct fab_node *n, json_t *doc, const void *corr, int corrlen)
{
	const char *id = json_string_value(json_object_get(doc, "id"));
	enum fab_cmd_state st = outcome_state(json_string_value(json_object_get(doc, "outcome")));
	char cid[FAB_CMDID_MAX] = "";
	struct fab_cmd *c;

	if (!id && corr && corrlen > 0 && corrlen < FAB_CMDID_MAX) {
		memcpy(cid, corr, (size_t)corrlen);
		id = cid;
	}
	if (st == CMD_REJECTED) {
		json_t *d = json_deep_copy(doc);
		if (cid[0])
			json_object_set_new(d, "correlation", json_string(cid));
		fab_event(f, n->id, "rejected", d);
	}
	c = cmd_find(f, id);
	if (!c || strcmp(c->node, n->id) != 0 || st == CMD_FREE)
		return; /* not ours, or another worker's command */
	if (json_is_true(json_object_get(doc, "duplicate")))
		c->duplicates++;
	if (st == CMD_REJECTED && c->state != CMD_PENDING && c->state != CMD_EXPIRED) {
		note_rejection(c, doc);
		return;
	}
	if (c->reply && c->state != CMD_EXPIRED && c->state != CMD_REJECTED)
		return; /* the first outcome stands */
	json_decref(c->reply);
	c->reply = json_incref(doc);
	c->state = st;
	c->answered_mono = fab_mono_ms();
}

void fab_cmds_sweep(struct fabric *f, int64_t now)
{
	for (unsigned i = 0; i < FAB_CMDS; i++) {
		struct fab_cmd *c = &f->cmds[i];
		if (c->state == CMD_PENDING && now > c->expires_mono) {
			c->state = CMD_EXPIRED;
			fab_event(f, c->node, "expired", json_string(c->id));
		}
	}
}

json_t *fabric_command_json(struct fabric *f, const char *id)
{
	struct fab_cmd *c;
	json_t *d = NULL;

	pthread_mutex_lock(&f->lock);
	c = cmd_find(f, id);
	if (c) {
		d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:i, s:i, s:O?, s:O?}", "id", c->id,
			      "node", c->node, "op", fab_op_name(c->op), "vm", c->vm, "state",
			      state_names[c->state], "issued_ms", (json_int_t)c->issued_wall,
			      "ttl_s", c->ttl_s, "duplicates", (int)c->duplicates, "reply",
			      c->reply, "rejections", c->rejections);
		if (c->answered_mono)
			json_object_set_new(d, "round_trip_ms",
					    json_integer(c->answered_mono - c->issued_mono));
		if (c->reply)
			json_object_set(d, "http", json_object_get(c->reply, "http"));
	}
	pthread_mutex_unlock(&f->lock);
	return d;
}

json_t *fabric_events_json(struct fabric *f)
{
	json_t *e;

	pthread_mutex_lock(&f->lock);
	e = json_deep_copy(f->events);
	pthread_mutex_unlock(&f->lock);
	return e;
}
