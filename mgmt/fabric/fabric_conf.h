/* Reading the central side's configuration file (see fabric_conf.c). */
#ifndef AETHER_FABRIC_CONF_H
#define AETHER_FABRIC_CONF_H

#include <stddef.h>

#include "fabric.h"

/* 1 on success; strings are allocated and live as long as the process. */
int fabric_conf_load(const char *path, struct fabric_cfg *cfg, char *err, size_t errlen);

#endif
