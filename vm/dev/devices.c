/* The devices a VM may have, in attach order.  Each decides from the VM's
 * description whether it belongs to the VM (see include/vm/vdev.h). */
#include "vm/dev/devices.h"
#include "types.h"
#include "vm/dev/mgmt.h"
#include "vm/dev/uart.h"
#include "vm/vdev.h"

static const struct vm_dev *const devices[] = {
	&uart_dev,
	&mgmt_dev,
};

int vm_devs_attach(struct vm *vm)
{
	for (u32 i = 0; i < ARRAY_SIZE(devices); i++) {
		int ret = vm_dev_attach_one(vm, devices[i]);
		if (ret)
			return ret;
	}
	return 0;
}
