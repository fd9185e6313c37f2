/* The management device on the socket (vm/dev/mgmt.c): only on the VM
 * whose description says `management = yes`. */
#ifndef AETHER_VM_DEV_MGMT_H
#define AETHER_VM_DEV_MGMT_H

#include "vm/vdev.h"

extern const struct vm_dev mgmt_dev;

#endif
