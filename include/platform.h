/* Platform defaults: the only place platform addresses are written down.
 *
 * At run time everything comes from the DTB the hypervisor is booted with,
 * the console included (no UART address is assumed, not even before the DTB
 * is read).  These values are the link address and the guest-visible
 * layout, which deliberately mirrors QEMU virt so guest software built for
 * virt runs unchanged. */
#ifndef AETHER_PLATFORM_H
#define AETHER_PLATFORM_H

/* Where the image is linked; any 2 MiB-aligned load address works because
 * boot/head.S applies its own relocations. */
#define PLAT_LINK_BASE 0x40200000

/* Guest-visible layout (QEMU virt). */
#define GUEST_GICD_BASE 0x08000000UL
#define GUEST_GICD_SIZE 0x10000UL
#define GUEST_GICR_BASE 0x080a0000UL
#define GUEST_GICR_STRIDE 0x20000UL
#define GUEST_GICC_BASE 0x08010000UL /* vGICv2 CPU interface (the host's GICV) */
#define GUEST_UART_BASE 0x09000000UL
#define GUEST_UART_SIZE 0x1000UL
#define GUEST_UART_INTID 33
#define GUEST_RAM_BASE 0x40000000UL

/* Arch timer PPIs (INTIDs) */
#define INTID_HYP_TIMER 26
#define INTID_VIRT_TIMER 27
#define INTID_PHYS_TIMER 30 /* the guest's EL1 physical timer (emulated) */
#define INTID_PHYS_TIMER 30

#endif
