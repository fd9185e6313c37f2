/* The agent's journal of commands it has answered, so that each command is
 * applied once: a redelivered id gets the earlier result back, a nonce seen
 * before is a replay.  Entries live until their command could no longer be
 * accepted anyway (issued + ttl + allowed skew), then they are dropped.
 * Optionally kept in a file so an agent restart does not forget them. */
#ifndef AETHER_AGENT_JOURNAL_H
#define AETHER_AGENT_JOURNAL_H

#include <stdint.h>

#include "fabric_proto.h"

#define JOURNAL_MAX 2048

struct journal_entry {
	char id[FAB_CMDID_MAX];
	char nonce[FAB_NONCE_HEX + 1];
	int64_t expires_ms;
	char *reply; /* the JSON reply sent, malloc'd */
};

struct journal {
	struct journal_entry *e;
	unsigned n;
};

/* Loads path (if it exists), dropping expired entries. */
void journal_init(struct journal *j, const char *path, int64_t now);
void journal_free(struct journal *j);
const struct journal_entry *journal_find_id(const struct journal *j, const char *id);
const struct journal_entry *journal_find_nonce(const struct journal *j, const char *nonce);
/* Drops expired entries; 0 when the journal is full of live entries. */
int journal_room(struct journal *j, int64_t now);
/* Records an answered command and rewrites path (if any). */
void journal_add(struct journal *j, const char *path, const char *id, const char *nonce,
		 int64_t expires_ms, const char *reply);

#endif
