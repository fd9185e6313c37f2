/* Internal to aetherd: between the event streams and the ticker. */
#ifndef AETHERD_EVENTS_H
#define AETHERD_EVENTS_H

#include <jansson.h>

int aetherd_event_clients(void);
void aetherd_events_close_all(void);
/* The first event of a stream: the node and its VMs (ticker.c). */
json_t *aetherd_hello_json(void);

#endif
