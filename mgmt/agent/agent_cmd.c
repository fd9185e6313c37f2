/* Checking and applying one command (agent lock held).
 *
 * A command is the MQTT payload, a JSON object
 *   {"v":1,"id","node","op","vm","ts":ms,"ttl":s,"nonce":32 hex,"args":{}}
 * with the MQTT v5 user property "mac" = HMAC-SHA256(worker key, payload).
 * Checks, in order, each failure answered with outcome "rejected" and a
 * reason, logged, and nothing applied:
 *   too-big, bad-mac (altered or not signed with this worker's key),
 *   malformed, wrong-node, stale (now > ts + ttl + skew), future
 *   (ts > now + skew), replay (nonce already seen), busy (journal full).
 * A known id with a fresh nonce (the central node re-sent it) is answered
 * with the earlier reply, "duplicate": true, not applied again.
 * The reply goes to this worker's reply topic with the command's
 * correlation data. */
#include "agent_int.h"

#include <stdlib.h>
#include <string.h>

#define CORR_MAX 64

struct cmd {
	const char *id, *node, *op_name, *vm, *nonce;
	enum fab_op op;
	int64_t ts, ttl;
	json_t *args;
};

struct corr {
	uint8_t data[CORR_MAX];
	uint16_t len;
};

static void send_reply(struct agent *a, const char *reply, const struct corr *c)
{
	mosquitto_property *props = NULL;

	if (c->len)
		mosquitto_property_add_binary(&props, MQTT_PROP_CORRELATION_DATA, c->data, c->len);
	mosquitto_publish_v5(a->mosq, NULL, a->t_reply, (int)strlen(reply), reply, 1, false, props);
	mosquitto_property_free_all(&props);
}

static json_t *reply_base(struct agent *a, const char *id, const char *op, const char *outcome)
{
	json_t *r = json_pack("{s:i, s:s, s:s, s:s, s:I, s:b}", "v", FAB_VERSION, "node", a->node,
			      "op", op ? op : "", "outcome", outcome, "ts",
			      (json_int_t)agent_now(a), "duplicate", 0);

	json_object_set_new(r, "id", id ? json_string(id) : json_null());
	return r;
}

static void send_json(struct agent *a, json_t *r, const struct corr *c)
{
	char *s = json_dumps(r, JSON_COMPACT);

	json_decref(r);
	if (s)
		send_reply(a, s, c);
	free(s);
}

static void reject(struct agent *a, const struct corr *c, const char *id, const char *reason,
		   const char *detail)
{
	json_t *r = reply_base(a, id, NULL, "rejected");

	json_object_set_new(r, "reason", json_string(reason));
	json_object_set_new(r, "detail", json_string(detail));
	agent_log_reject(a, "command %s: %s (%s)", id ? id : "?", reason, detail);
	send_json(a, r, c);
}

/* The "mac" user property and the correlation data, if present. */
static void read_props(const mosquitto_property *props, struct corr *c, char **mac)
{
	const mosquitto_property *p;
	void *cd = NULL;
	uint16_t cdlen = 0;
	char *name = NULL, *value = NULL;

	*mac = NULL;
	c->len = 0;
	if (mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &cd, &cdlen, false) &&
	    cd && cdlen <= CORR_MAX) {
		memcpy(c->data, cd, cdlen);
		c->len = cdlen;
	}
	free(cd);
	for (p = mosquitto_property_read_string_pair(props, MQTT_PROP_USER_PROPERTY, &name, &value,
						     false);
	     p; p = mosquitto_property_read_string_pair(p, MQTT_PROP_USER_PROPERTY, &name, &value,
							true)) {
		if (!*mac && strcmp(name, FAB_MAC_PROP) == 0) {
			*mac = value;
			value = NULL;
		}
		free(name);
		free(value);
		name = value = NULL;
	}
}

static int parse_cmd(json_t *root, struct cmd *c)
{
	json_int_t v = 0, ts = 0, ttl = 0;

	memset(c, 0, sizeof(*c));
	if (json_unpack(root, "{s:I, s:s, s:s, s:s, s:I, s:I, s:s, s?s, s?o}", "v", &v, "id",
			&c->id, "node", &c->node, "op", &c->op_name, "ts", &ts, "ttl", &ttl,
			"nonce", &c->nonce, "vm", &c->vm, "args", &c->args) != 0)
		return 0;
	c->ts = ts;
	c->ttl = ttl;
	c->op = fab_op_parse(c->op_name);
	return v == FAB_VERSION && fab_cmd_id_valid(c->id) && c->op != FAB_OP_NONE && ttl > 0 &&
	       ttl <= FAB_TTL_MAX && strlen(c->nonce) == FAB_NONCE_HEX &&
	       (c->op == FAB_OP_LIST || c->vm) && (!c->args || json_is_object(c->args));
}

/* Runs the operation; the reply document. */
static json_t *execute(struct agent *a, const struct cmd *c)
{
	char detail[160] = "";
	json_t *r, *result = NULL;
	int vm = 0, rc = MGMT_OK;

	if (c->vm) {
		vm = mgmt_vm_by_name(a->cfg.mgmt, c->vm);
		rc = vm < 0 ? vm : MGMT_OK;
	}
	if (rc == MGMT_OK && c->op == FAB_OP_LIST)
		result = json_pack("{s:o}", "vms", agent_vm_list_json(a, true));
	else if (rc == MGMT_OK && c->op == FAB_OP_DEPLOY)
		rc = agent_deploy(a, (uint32_t)vm, c->args, detail, sizeof(detail));
	else if (rc == MGMT_OK)
		rc = mgmt_vm_action(a->cfg.mgmt, (uint32_t)vm, fab_op_mgmt(c->op));
	if (rc != MGMT_OK && !detail[0])
		snprintf(detail, sizeof(detail), "%s", mgmt_last_error(a->cfg.mgmt));
	r = reply_base(a, c->id, c->op_name, rc == MGMT_OK ? "ok" : "error");
	json_object_set_new(r, "code", json_integer(rc));
	json_object_set_new(r, "http", json_integer(fab_http_status(rc)));
	json_object_set_new(r, "error", json_string(rc == MGMT_OK ? "" : fab_status_name(rc)));
	json_object_set_new(r, "detail", json_string(detail));
	if (result)
		json_object_set_new(r, "result", result);
	agent_log(a, "command %s %s %s: %s", c->id, c->op_name, c->vm ? c->vm : "",
		  fab_status_name(rc));
	return r;
}

static void answer_duplicate(struct agent *a, const struct journal_entry *e, const struct corr *c)
{
	json_t *r = json_loads(e->reply, 0, NULL);

	if (!r)
		return;
	json_object_set_new(r, "duplicate", json_true());
	agent_log(a, "command %s: seen before, earlier result sent again", e->id);
	send_json(a, r, c);
}

/* Freshness, replay and duplicate checks, then apply and journal. */
static void check_and_apply(struct agent *a, const struct cmd *c, const struct corr *corr)
{
	int64_t now = agent_now(a), exp = c->ts + c->ttl * 1000 + FAB_SKEW_MS;
	const struct journal_entry *e;
	char *s;
	json_t *r;

	const char *reason = NULL, *detail = NULL;

	if (now > exp) {
		reason = "stale";
		detail = "issued too long ago (ts + ttl passed)";
	} else if (c->ts > now + FAB_SKEW_MS) {
		reason = "future";
		detail = "issued in the future";
	} else if (journal_find_nonce(&a->journal, c->nonce)) {
		reason = "replay";
		detail = "nonce already used";
	} else if ((e = journal_find_id(&a->journal, c->id))) {
		answer_duplicate(a, e, corr);
		return;
	} else if (!journal_room(&a->journal, now)) {
		reason = "busy";
		detail = "too many live commands";
	}
	if (reason) {
		reject(a, corr, c->id, reason, detail);
		return;
	}
	r = execute(a, c);
	a->applied++;
	s = json_dumps(r, JSON_COMPACT);
	if (s) {
		journal_add(&a->journal, a->cfg.state_dir ? a->journal_path : NULL, c->id, c->nonce,
			    exp, s);
		send_reply(a, s, corr);
	}
	free(s);
	json_decref(r);
	agent_publish_status(a, NULL);
}

void agent_on_command(struct agent *a, const struct mosquitto_message *msg,
		      const mosquitto_property *props)
{
	struct corr corr;
	struct cmd c;
	char *mac = NULL;
	json_t *root;

	int signed_ok;

	read_props(props, &corr, &mac);
	if (msg->payloadlen <= 0 || msg->payloadlen > FAB_CMD_MAX) {
		free(mac);
		reject(a, &corr, NULL, "too-big", "payload empty or over the limit");
		return;
	}
	signed_ok = mac && fab_hmac_check(a->cfg.key, msg->payload, (size_t)msg->payloadlen, mac);
	free(mac);
	if (!signed_ok) {
		reject(a, &corr, NULL, "bad-mac", "signature missing or wrong");
		return;
	}
	root = json_loadb(msg->payload, (size_t)msg->payloadlen, 0, NULL);
	if (!root || !parse_cmd(root, &c))
		reject(a, &corr, NULL, "malformed", "not a valid command");
	else if (strcmp(c.node, a->node) != 0)
		reject(a, &corr, c.id, "wrong-node", "addressed to another worker");
	else
		check_and_apply(a, &c, &corr);
	json_decref(root);
}
