/* Unit tests for the VM description parser and validator (tools/vmcfg_*.c).
 * Every rule is tried once accepted and once rejected, and rejections are
 * checked against the full message: the messages are the tool's interface. */
#include "check.h"
#include "vmcfg.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Files the fake file system knows; anything else does not exist. */
static const struct {
	const char *path;
	uint64_t size;
} files[] = {
	{"img/a.bin", 4096},
	{"img/b.bin", 123},
	{"img/empty.bin", 0},
	{"img/initrd.cpio", 777},
};

static int fake_size(void *ctx, const char *path, uint64_t *size)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (!strcmp(files[i].path, path)) {
			*size = files[i].size;
			return 0;
		}
	}
	return -1;
}

static struct vmcfg cfg;

static const char *parse(const char *text)
{
	return vmcfg_parse(&cfg, "t.cfg", text, strlen(text), fake_size, NULL);
}

#define EXPECT_OK(text)                                                  \
	do {                                                             \
		const char *e_ = parse(text);                            \
		if (e_)                                                  \
			fprintf(stderr, "  unexpected error: %s\n", e_); \
		CHECK(e_ == NULL);                                       \
	} while (0)

#define EXPECT_ERR(text, want)                                                               \
	do {                                                                                 \
		const char *e_ = parse(text);                                                \
		if (!e_ || strcmp(e_, want))                                                 \
			fprintf(stderr, "  got:  %s\n  want: %s\n", e_ ? e_ : "(ok)", want); \
		CHECK(e_ && !strcmp(e_, want));                                              \
	} while (0)

/* A minimal valid VM: its header is line 1, so the next line is line 4. */
#define VM_A "vm a {\n\timage = img/a.bin\n\tmemory = 16M\n"
#define VM_B "vm b {\n\timage = img/b.bin\n\tmemory = 16M\n"

static void test_good_config(void)
{
	const struct vmcfg_vm *web, *db;

	EXPECT_OK("# a node with two VMs\n"
		  "node {\n"
		  "\tcpus = 4      # four cores\n"
		  "\tmemory = 1G\n"
		  "}\n"
		  "\n"
		  "vm web {\n"
		  "\timage = img/a.bin\n"
		  "\tinitrd = \"img/initrd.cpio\"\n"
		  "\tmemory = 256M\n"
		  "\tvcpus = 3\n"
		  "\tcpus = 1 2\n"
		  "\tlayout = identity\n"
		  "\tbootargs = \"console=ttyAMA0 quiet x=\\\"y\\\" p=a\\\\b # not a comment\"\n"
		  "\ton_exit = restart\n"
		  "\tmanagement = yes\n"
		  "\tdevice = 0x0a000000 0x1000 irq 48 49\n"
		  "\tdevice = 0x10000000 8K\n"
		  "}\n"
		  "vm db {\n"
		  "\timage = img/b.bin\n"
		  "\tmemory = 0x800000\n"
		  "\tvcpus = 8\n"
		  "\tcpus = 0 1 2 3\n"
		  "\tlayout = virt\n"
		  "\ton_exit = off\n"
		  "\tmanagement = no\n"
		  "\tdevice = 0x0a001000 4K irq 1019\n"
		  "}\n");
	CHECK_EQ(cfg.node_cpus, 4);
	CHECK_EQ(cfg.node_mem, 1ULL << 30);
	CHECK_EQ(cfg.nr_vms, 2);
	web = &cfg.vms[0];
	db = &cfg.vms[1];
	CHECK(!strcmp(web->name, "web"));
	CHECK_EQ(web->line, 7);
	CHECK(!strcmp(web->image.path, "img/a.bin"));
	CHECK_EQ(web->image.size, 4096);
	CHECK(!strcmp(web->initrd.path, "img/initrd.cpio"));
	CHECK_EQ(web->initrd.size, 777);
	CHECK_EQ(web->mem_size, 256ULL << 20);
	CHECK_EQ(web->nr_vcpus, 3);
	CHECK_EQ(web->vcpu_cpu[0], 1);
	CHECK_EQ(web->vcpu_cpu[1], 2);
	CHECK_EQ(web->vcpu_cpu[2], 1);
	CHECK_EQ(web->cpu_mask, 0x6);
	CHECK_EQ(web->layout, VMCFG_LAYOUT_IDENTITY);
	CHECK(!strcmp(web->bootargs, "console=ttyAMA0 quiet x=\"y\" p=a\\b # not a comment"));
	CHECK_EQ(web->on_exit, VMCFG_ON_EXIT_RESTART);
	CHECK(web->management);
	CHECK_EQ(web->nr_devices, 2);
	CHECK_EQ(web->devices[0].base, 0x0a000000);
	CHECK_EQ(web->devices[0].size, 0x1000);
	CHECK_EQ(web->devices[0].nr_irqs, 2);
	CHECK_EQ(web->devices[0].irqs[0], 48);
	CHECK_EQ(web->devices[0].irqs[1], 49);
	CHECK_EQ(web->devices[1].base, 0x10000000);
	CHECK_EQ(web->devices[1].size, 0x2000);
	CHECK_EQ(web->devices[1].nr_irqs, 0);

	CHECK(!strcmp(db->name, "db"));
	CHECK_EQ(db->image.size, 123);
	CHECK_EQ(db->initrd.path[0], '\0');
	CHECK_EQ(db->mem_size, 8ULL << 20);
	CHECK_EQ(db->nr_vcpus, 8);
	CHECK_EQ(db->vcpu_cpu[4], 0);
	CHECK_EQ(db->vcpu_cpu[7], 3);
	CHECK_EQ(db->cpu_mask, 0xf);
	CHECK_EQ(db->layout, VMCFG_LAYOUT_VIRT);
	CHECK_EQ(db->on_exit, VMCFG_ON_EXIT_OFF);
	CHECK(!db->management);
	CHECK_EQ(db->devices[0].irqs[0], 1019);
}

static void test_defaults(void)
{
	const struct vmcfg_vm *vm = &cfg.vms[0];

	EXPECT_OK(VM_A "}\n");
	CHECK_EQ(cfg.node_cpus, 1);
	CHECK_EQ(cfg.node_mem, 0);
	CHECK(!cfg.boot_ram_zero); /* a claim about firmware: never assumed */
	CHECK_EQ(cfg.nr_vms, 1);
	CHECK_EQ(vm->nr_vcpus, 1);
	CHECK_EQ(vm->nr_cpus, 1);
	CHECK_EQ(vm->vcpu_cpu[0], 0);
	CHECK_EQ(vm->cpu_mask, 1);
	CHECK_EQ(vm->layout, VMCFG_LAYOUT_VIRT);
	CHECK_EQ(vm->on_exit, VMCFG_ON_EXIT_OFF);
	CHECK(!vm->management);
	CHECK(!vm->slot);
	CHECK(!strcmp(vm->bootargs, "console=ttyAMA0"));
	CHECK_EQ(vm->initrd.path[0], '\0');
	CHECK_EQ(vm->nr_devices, 0);
}

static void test_lexical(void)
{
	/* CRLF line ends, comments everywhere, non-ASCII inside comments */
	EXPECT_OK("# caf\xc3\xa9\r\nvm a { # start\r\n\timage=img/a.bin\r\n\tmemory=16M}\r\n");
	/* an entry may end right before the closing brace */
	EXPECT_OK("vm a {\n\timage = img/a.bin\n\tmemory = 16M }\n");
	EXPECT_OK("vm a {\n\timage = img/a.bin\n\tmemory = 16M\n}");
	EXPECT_ERR("vm a {\n\tbootargs = \"abc\n}\n", "t.cfg:2: vm 'a': unterminated string");
	EXPECT_ERR("vm a {\n\tbootargs = \"abc", "t.cfg:2: vm 'a': unterminated string");
	EXPECT_ERR("vm a {\n\tbootargs = \"a\\nb\"\n}\n",
		   "t.cfg:2: vm 'a': unsupported escape in string (only \\\" and \\\\)");
	EXPECT_ERR("vm a {\n\tbootargs = \"a\tb\"\n}\n",
		   "t.cfg:2: vm 'a': unexpected byte 0x09 in string");
	EXPECT_ERR("vm a {\n\tmemory = 16M;\n}\n",
		   "t.cfg:2: vm 'a': bad size suffix in '16M;' (use K, M or G)");
	EXPECT_ERR("vm a {\n\tmemory = 16M\x7f\n}\n", "t.cfg:2: vm 'a': unexpected byte 0x7f");
	EXPECT_ERR("vm a {\n\tmemory = \xc3\xa9\n}\n", "t.cfg:2: vm 'a': unexpected byte 0xc3");
	{
		static const char nul[] = VM_A "\x00}\n";
		const char *e = vmcfg_parse(&cfg, "t.cfg", nul, sizeof(nul) - 1, fake_size, NULL);

		CHECK(e && !strcmp(e, "t.cfg:4: vm 'a': unexpected byte 0x00"));
	}
}

static void test_syntax(void)
{
	EXPECT_ERR(VM_A "\tvcpus 2\n}\n", "t.cfg:4: vm 'a': expected '=' after 'vcpus'");
	EXPECT_ERR(VM_A "\tvcpus =\n}\n", "t.cfg:4: vm 'a': missing value for 'vcpus'");
	EXPECT_ERR(VM_A "\tvcpus = {\n}\n", "t.cfg:4: vm 'a': unexpected '{' in value of 'vcpus'");
	EXPECT_ERR(VM_A "\tvcpus = 1 = 2\n}\n",
		   "t.cfg:4: vm 'a': unexpected '=' in value of 'vcpus'");
	EXPECT_ERR(VM_A "\tvcpus = 1 2\n}\n", "t.cfg:4: vm 'a': 'vcpus' takes one value, got 2");
	EXPECT_ERR(VM_A "\t= 2\n}\n", "t.cfg:4: vm 'a': expected a key, got '='");
	EXPECT_ERR(VM_A "\tdevice = 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n}\n",
		   "t.cfg:4: vm 'a': too many values for 'device'");
	EXPECT_ERR(VM_A, "t.cfg:1: vm 'a': missing '}' at end of file");
	EXPECT_ERR(VM_A "} vm b {\n}\n",
		   "t.cfg:4: vm 'a': expected end of line after '}', got a word");
	EXPECT_ERR("vm a { memory = 2M\n}\n",
		   "t.cfg:1: vm 'a': expected end of line after '{', got a word");
	EXPECT_ERR("vm a\n{\n}\n", "t.cfg:1: expected '{' after the vm name, got end of line");
	EXPECT_ERR("vm {\n}\n", "t.cfg:1: vm block needs a name");
	EXPECT_ERR("vm\n", "t.cfg:1: vm block needs a name");
	EXPECT_ERR("node\n{\n}\n", "t.cfg:1: expected '{' after 'node', got end of line");
	EXPECT_ERR("vms a {\n}\n", "t.cfg:1: unknown block 'vms' (expected 'vm' or 'node')");
	EXPECT_ERR("\n\n}\n", "t.cfg:3: expected a 'vm' or 'node' block, got '}'");
	EXPECT_ERR("\"vm\" a {\n}\n", "t.cfg:1: expected a 'vm' or 'node' block, got a string");
}

static void test_names(void)
{
	EXPECT_OK("vm a-b_c9 {\n\timage = img/a.bin\n\tmemory = 2M\n}\n");
	EXPECT_OK("vm abcdefghijabcdefghijabcdefghij1 {\n\timage = img/a.bin\n\tmemory = 2M\n}\n");
	CHECK_EQ(strlen(cfg.vms[0].name), 31);
	EXPECT_ERR("vm abcdefghijabcdefghijabcdefghij12 {\n}\n",
		   "t.cfg:1: bad vm name 'abcdefghijabcdefghijabcdefghij12' (1..31 characters of "
		   "a-z, 0-9, _ and -)");
	EXPECT_ERR("vm Web {\n}\n",
		   "t.cfg:1: bad vm name 'Web' (1..31 characters of a-z, 0-9, _ and -)");
	EXPECT_ERR("vm \"a\" {\n}\n",
		   "t.cfg:1: bad vm name 'a' (1..31 characters of a-z, 0-9, _ and -)");
	EXPECT_ERR(VM_A "}\n" VM_A "}\n", "t.cfg:5: vm 'a' defined twice (first on line 1)");
}

static void test_keys(void)
{
	EXPECT_ERR(VM_A "\tcolour = red\n}\n", "t.cfg:4: vm 'a': unknown key 'colour'");
	EXPECT_ERR(VM_A "\tmemory = 32M\n}\n",
		   "t.cfg:4: vm 'a': duplicate key 'memory' (first on line 3)");
	EXPECT_ERR(VM_A "\tlayout = virt\n\tlayout = virt\n}\n",
		   "t.cfg:5: vm 'a': duplicate key 'layout' (first on line 4)");
	EXPECT_ERR("node {\n\tthreads = 2\n}\n", "t.cfg:2: node: unknown key 'threads'");
	EXPECT_ERR("node {\n\tcpus = 2\n\tcpus = 2\n}\n",
		   "t.cfg:3: node: duplicate key 'cpus' (first on line 2)");
	EXPECT_ERR("node {\n\tmemory = 1G\n\tmemory = 1G\n}\n",
		   "t.cfg:3: node: duplicate key 'memory' (first on line 2)");
	EXPECT_ERR("node {\n}\nnode {\n}\n", "t.cfg:3: duplicate node block (first on line 1)");
	/* the node block may come last */
	EXPECT_OK(VM_A "\tcpus = 1\n}\nnode {\n\tcpus = 2\n}\n");
	CHECK_EQ(cfg.node_cpus, 2);
}

static void test_numbers(void)
{
	EXPECT_OK("vm a {\n\timage = img/a.bin\n\tmemory = 2048K\n}\n");
	CHECK_EQ(cfg.vms[0].mem_size, 2ULL << 20);
	EXPECT_OK("vm a {\n\timage = img/a.bin\n\tmemory = 1g\n}\n");
	CHECK_EQ(cfg.vms[0].mem_size, 1ULL << 30);
	EXPECT_OK("vm a {\n\timage = img/a.bin\n\tmemory = 0X400000\n}\n");
	CHECK_EQ(cfg.vms[0].mem_size, 4ULL << 20);
	EXPECT_OK("vm a {\n\timage = img/a.bin\n\tmemory = 0x2m\n}\n");
	CHECK_EQ(cfg.vms[0].mem_size, 2ULL << 20);
	EXPECT_ERR(VM_A "\tvcpus = two\n}\n", "t.cfg:4: vm 'a': bad number 'two'");
	EXPECT_ERR(VM_A "\tvcpus = 2M\n}\n", "t.cfg:4: vm 'a': bad number '2M'");
	EXPECT_ERR(VM_A "\tvcpus = -1\n}\n", "t.cfg:4: vm 'a': bad number '-1'");
	EXPECT_ERR(VM_A "\tvcpus = \"1\"\n}\n",
		   "t.cfg:4: vm 'a': 'vcpus' needs a number, not a string");
	EXPECT_ERR(VM_A "\tvcpus = 0x\n}\n", "t.cfg:4: vm 'a': bad number '0x'");
	EXPECT_ERR("vm a {\n\tmemory = 16Q\n}\n",
		   "t.cfg:2: vm 'a': bad size suffix in '16Q' (use K, M or G)");
	EXPECT_ERR("vm a {\n\tmemory = 16MB\n}\n",
		   "t.cfg:2: vm 'a': bad size suffix in '16MB' (use K, M or G)");
	EXPECT_ERR("vm a {\n\tmemory = M\n}\n", "t.cfg:2: vm 'a': bad number 'M'");
	EXPECT_ERR("vm a {\n\tmemory = 18446744073709551616\n}\n",
		   "t.cfg:2: vm 'a': number '18446744073709551616' out of range");
	EXPECT_ERR("vm a {\n\tmemory = 0x40000000000G\n}\n",
		   "t.cfg:2: vm 'a': number '0x40000000000G' out of range");
	EXPECT_ERR(VM_A "\tvcpus = 4294967297\n}\n",
		   "t.cfg:4: vm 'a': number '4294967297' out of range");
}

static void test_image(void)
{
	EXPECT_ERR("vm a {\n\tmemory = 16M\n}\n", "t.cfg:1: vm 'a': missing image");
	EXPECT_ERR("vm a {\n\timage = img/a.bin\n}\n", "t.cfg:1: vm 'a': missing memory");
	EXPECT_ERR("vm a {\n\timage = img/nope.bin\n\tmemory = 16M\n}\n",
		   "t.cfg: vm 'a': image 'img/nope.bin' not found");
	EXPECT_ERR("vm a {\n\timage = img/empty.bin\n\tmemory = 16M\n}\n",
		   "t.cfg: vm 'a': image 'img/empty.bin' is empty");
	EXPECT_ERR(VM_A "\tinitrd = img/nope.cpio\n}\n",
		   "t.cfg: vm 'a': initrd 'img/nope.cpio' not found");
	EXPECT_ERR(VM_A "\tinitrd = img/empty.bin\n}\n",
		   "t.cfg: vm 'a': initrd 'img/empty.bin' is empty");
	EXPECT_ERR("vm a {\n\timage = \"img/a b.bin\"\n}\n",
		   "t.cfg:2: vm 'a': image path 'img/a b.bin' contains ' ' (use A-Z a-z 0-9 . _ / "
		   "+ , @ -)");
	EXPECT_ERR("vm a {\n\timage = img/$x\n}\n", "t.cfg:2: vm 'a': image path 'img/$x' contains "
						    "'$' (use A-Z a-z 0-9 . _ / + , @ -)");
	EXPECT_ERR("vm a {\n\timage = \"\"\n}\n", "t.cfg:2: vm 'a': empty image path");
	/* mistakes in the text come before missing files, which a build makes */
	EXPECT_ERR("vm a {\n\timage = img/nope.bin\n\tmemory = 16M\n\tmanagement = yes\n}\n"
		   "vm b {\n\timage = img/nope.bin\n\tmemory = 16M\n\tmanagement = yes\n}\n",
		   "t.cfg:9: vm 'b': more than one management VM (vm 'a' is one)");
	EXPECT_ERR("vm a {\n\timage = a b\n}\n", "t.cfg:2: vm 'a': 'image' takes one value, got 2");
}

static void test_long_path(void)
{
	static char text[1024];
	char path[300];

	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	snprintf(text, sizeof(text), "vm a {\n\timage = %s\n}\n", path);
	EXPECT_ERR(text, "t.cfg:2: vm 'a': path longer than 255 characters");
}

static void test_memory(void)
{
	EXPECT_OK("vm a {\n\timage = img/a.bin\n\tmemory = 2M\n}\n");
	EXPECT_OK("vm a {\n\timage = img/a.bin\n\tmemory = 1024G\n}\n");
	EXPECT_ERR("vm a {\n\tmemory = 0\n}\n", "t.cfg:2: vm 'a': memory must not be zero");
	EXPECT_ERR("vm a {\n\tmemory = 1M\n}\n",
		   "t.cfg:2: vm 'a': memory 1M is not a multiple of 2M");
	EXPECT_ERR("vm a {\n\tmemory = 3M\n}\n",
		   "t.cfg:2: vm 'a': memory 3M is not a multiple of 2M");
	EXPECT_ERR("vm a {\n\tmemory = 0x200001\n}\n",
		   "t.cfg:2: vm 'a': memory 2097153 is not a multiple of 2M");
	EXPECT_ERR("vm a {\n\tmemory = 1026G\n}\n",
		   "t.cfg:2: vm 'a': memory 1026G is more than the 1T a VM may have");
}

static void test_node_memory(void)
{
	/* 1G - 64M = 960M: exactly full is fine */
	EXPECT_OK("node {\n\tmemory = 1G\n}\n"
		  "vm a {\n\timage = img/a.bin\n\tmemory = 480M\n}\n"
		  "vm b {\n\timage = img/b.bin\n\tmemory = 480M\n}\n");
	EXPECT_ERR("node {\n\tmemory = 1G\n}\n"
		   "vm a {\n\timage = img/a.bin\n\tmemory = 480M\n}\n"
		   "vm b {\n\timage = img/b.bin\n\tmemory = 482M\n}\n",
		   "t.cfg:2: VMs need 962M of memory in total, more than the node's 1G minus 64M "
		   "reserved for the hypervisor");
	EXPECT_ERR("node {\n\tmemory = 64M\n}\n", "t.cfg:2: node: memory 64M leaves nothing after "
						  "the 64M reserved for the hypervisor");
	EXPECT_ERR(
		"node {\n\tmemory = 0\n}\n",
		"t.cfg:2: node: memory 0 leaves nothing after the 64M reserved for the hypervisor");
	/* without a node memory there is nothing to check against */
	EXPECT_OK("vm a {\n\timage = img/a.bin\n\tmemory = 64G\n}\n");
}

static void test_cpus(void)
{
	EXPECT_OK(VM_A "\tvcpus = 8\n}\n");
	CHECK_EQ(cfg.vms[0].cpu_mask, 1);
	CHECK_EQ(cfg.vms[0].vcpu_cpu[7], 0);
	/* no cpus line: vCPU i on CPU i modulo the node's CPUs */
	EXPECT_OK("node {\n\tcpus = 2\n}\n" VM_A "\tvcpus = 2\n}\n");
	CHECK_EQ(cfg.vms[0].vcpu_cpu[0], 0);
	CHECK_EQ(cfg.vms[0].vcpu_cpu[1], 1);
	CHECK_EQ(cfg.vms[0].cpu_mask, 3);
	EXPECT_OK("node {\n\tcpus = 3\n}\n" VM_A "\tvcpus = 5\n}\n");
	CHECK_EQ(cfg.vms[0].vcpu_cpu[2], 2);
	CHECK_EQ(cfg.vms[0].vcpu_cpu[3], 0);
	CHECK_EQ(cfg.vms[0].vcpu_cpu[4], 1);
	CHECK_EQ(cfg.vms[0].cpu_mask, 7);
	EXPECT_OK("node {\n\tcpus = 4\n}\n" VM_A "\tvcpus = 2\n}\n");
	CHECK_EQ(cfg.vms[0].cpu_mask, 3);
	EXPECT_OK("node {\n\tcpus = 64\n}\n" VM_A "\tvcpus = 2\n\tcpus = 63 5\n}\n");
	CHECK_EQ(cfg.vms[0].cpu_mask, (1ULL << 63) | (1ULL << 5));
	EXPECT_ERR(VM_A "\tvcpus = 0\n}\n", "t.cfg:4: vm 'a': vcpus must be 1..8, got 0");
	EXPECT_ERR(VM_A "\tvcpus = 9\n}\n", "t.cfg:4: vm 'a': vcpus must be 1..8, got 9");
	EXPECT_ERR(VM_A "\tcpus = 1\n}\n",
		   "t.cfg:4: vm 'a': cpu 1 does not exist: the node has 1 CPUs");
	EXPECT_ERR("node {\n\tcpus = 2\n}\n" VM_A "\tvcpus = 2\n\tcpus = 0 2\n}\n",
		   "t.cfg:8: vm 'a': cpu 2 does not exist: the node has 2 CPUs");
	EXPECT_ERR("node {\n\tcpus = 4\n}\n" VM_A "\tcpus = 0 1\n}\n",
		   "t.cfg:7: vm 'a': cpus lists 2 CPUs but the VM has 1 vCPUs");
	EXPECT_ERR(VM_A "\tcpus = 0 0 0 0 0 0 0 0 0\n}\n",
		   "t.cfg:4: vm 'a': cpus lists more than 8 CPUs");
	EXPECT_ERR("node {\n\tcpus = 0\n}\n", "t.cfg:2: node: cpus must be 1..64, got 0");
	EXPECT_ERR("node {\n\tcpus = 65\n}\n", "t.cfg:2: node: cpus must be 1..64, got 65");
}

static void test_choices(void)
{
	EXPECT_ERR(VM_A "\tlayout = flat\n}\n",
		   "t.cfg:4: vm 'a': bad value 'flat' for 'layout' (virt or identity)");
	EXPECT_ERR(VM_A "\ton_exit = reboot\n}\n",
		   "t.cfg:4: vm 'a': bad value 'reboot' for 'on_exit' (off or restart)");
	EXPECT_ERR(VM_A "\tmanagement = true\n}\n",
		   "t.cfg:4: vm 'a': bad value 'true' for 'management' (yes or no)");
	EXPECT_ERR(VM_A "\tmanagement = \"yes\"\n}\n",
		   "t.cfg:4: vm 'a': bad value for 'management' (yes or no)");
	EXPECT_OK(VM_A "\tmanagement = yes\n}\n" VM_B "\tmanagement = no\n}\n");
	EXPECT_ERR(VM_A "\tmanagement = yes\n}\n" VM_B "\tmanagement = yes\n}\n",
		   "t.cfg:9: vm 'b': more than one management VM (vm 'a' is one)");
	EXPECT_ERR("node {\n\tboot_ram_zero = maybe\n}\n",
		   "t.cfg:2: node: bad value 'maybe' for 'boot_ram_zero' (yes or no)");
	EXPECT_ERR("node {\n\tboot_ram_zero = yes\n\tboot_ram_zero = no\n}\n",
		   "t.cfg:3: node: duplicate key 'boot_ram_zero' (first on line 2)");
	EXPECT_OK("node {\n\tboot_ram_zero = yes\n}\n" VM_A "}\n");
	CHECK(cfg.boot_ram_zero);
	EXPECT_OK("node {\n\tboot_ram_zero = no\n}\n" VM_A "}\n");
	CHECK(!cfg.boot_ram_zero);
}

static void test_bootargs(void)
{
	static char text[1024];
	char args[514];

	EXPECT_ERR(VM_A "\tbootargs = quiet\n}\n",
		   "t.cfg:4: vm 'a': bootargs must be a double-quoted string");
	EXPECT_OK(VM_A "\tbootargs = \"\"\n}\n");
	CHECK_EQ(cfg.vms[0].bootargs[0], '\0');
	memset(args, 'x', 512);
	args[512] = '\0';
	snprintf(text, sizeof(text), VM_A "\tbootargs = \"%s\"\n}\n", args);
	EXPECT_OK(text);
	CHECK_EQ(strlen(cfg.vms[0].bootargs), 512);
	args[512] = 'x';
	args[513] = '\0';
	snprintf(text, sizeof(text), VM_A "\tbootargs = \"%s\"\n}\n", args);
	EXPECT_ERR(text, "t.cfg:4: vm 'a': bootargs longer than 512 characters");
}

/* A slot: memory, vCPUs and CPUs reserved at boot, no image until a deploy. */
#define SLOT_S "vm s {\n\tslot = yes\n\tmemory = 64M\n"

static void test_slot(void)
{
	const struct vmcfg_vm *vm = &cfg.vms[1];

	EXPECT_OK("node {\n\tcpus = 2\n}\n" VM_A "}\n"
		  "vm s {\n\tslot = yes\n\tmemory = 256M\n\tvcpus = 2\n\tcpus = 1 0\n"
		  "\tlayout = identity\n\ton_exit = restart\n\tbootargs = \"console=ttyAMA0 "
		  "quiet\"\n}\n");
	CHECK_EQ(cfg.nr_vms, 2);
	CHECK(vm->slot);
	CHECK(!cfg.vms[0].slot);
	CHECK_EQ(vm->image.path[0], '\0');
	CHECK_EQ(vm->image.size, 0);
	CHECK_EQ(vm->initrd.path[0], '\0');
	CHECK_EQ(vm->mem_size, 256ULL << 20);
	CHECK_EQ(vm->nr_vcpus, 2);
	CHECK_EQ(vm->vcpu_cpu[0], 1);
	CHECK_EQ(vm->vcpu_cpu[1], 0);
	CHECK_EQ(vm->layout, VMCFG_LAYOUT_IDENTITY);
	CHECK_EQ(vm->on_exit, VMCFG_ON_EXIT_RESTART);
	CHECK(!strcmp(vm->bootargs, "console=ttyAMA0 quiet"));
	/* a slot alone is a valid node; slot = no is an ordinary VM */
	EXPECT_OK(SLOT_S "}\n");
	CHECK(cfg.vms[0].slot);
	CHECK(!strcmp(cfg.vms[0].bootargs, "console=ttyAMA0"));
	EXPECT_OK(VM_A "\tslot = no\n}\n");
	CHECK(!cfg.vms[0].slot);
	EXPECT_ERR("vm a {\n\tslot = no\n\tmemory = 16M\n}\n", "t.cfg:1: vm 'a': missing image");
	EXPECT_ERR(SLOT_S "\timage = img/a.bin\n}\n",
		   "t.cfg:4: vm 's': a slot has no image at boot (it is deployed through the "
		   "management interface)");
	/* the image is refused as such, even one that does not exist */
	EXPECT_ERR(SLOT_S "\timage = img/nope.bin\n}\n",
		   "t.cfg:4: vm 's': a slot has no image at boot (it is deployed through the "
		   "management interface)");
	EXPECT_ERR(
		SLOT_S "\tinitrd = img/initrd.cpio\n}\n",
		"t.cfg:4: vm 's': a slot has no initrd at boot (it is deployed with the kernel)");
	EXPECT_ERR(SLOT_S "\tmanagement = yes\n}\n", "t.cfg:4: vm 's': the management VM cannot be "
						     "a slot (it must boot with its image)");
	EXPECT_ERR("vm s {\n\tmanagement = yes\n\tslot = yes\n\tmemory = 64M\n}\n",
		   "t.cfg:3: vm 's': the management VM cannot be a slot (it must boot with its "
		   "image)");
	EXPECT_ERR("vm s {\n\tslot = yes\n}\n", "t.cfg:1: vm 's': missing memory");
	EXPECT_ERR(SLOT_S "\tslot = yes\n}\n",
		   "t.cfg:4: vm 's': duplicate key 'slot' (first on line 2)");
	EXPECT_ERR(SLOT_S "\tslot = maybe\n}\n",
		   "t.cfg:4: vm 's': duplicate key 'slot' (first on line 2)");
	EXPECT_ERR("vm s {\n\tslot = maybe\n}\n",
		   "t.cfg:2: vm 's': bad value 'maybe' for 'slot' (yes or no)");
	EXPECT_ERR("vm s {\n\tslot = \"yes\"\n}\n",
		   "t.cfg:2: vm 's': bad value for 'slot' (yes or no)");
	/* a slot keeps the vcpus/cpus rules of any VM */
	EXPECT_ERR(SLOT_S "\tcpus = 1\n}\n",
		   "t.cfg:4: vm 's': cpu 1 does not exist: the node has 1 CPUs");
}

/* The padded bootargs property holds MGMT_BOOTARGS_MAX bytes with the NUL. */
static void test_slot_bootargs(void)
{
	static char text[1024];
	char args[513];

	memset(args, 'x', 511);
	args[511] = '\0';
	snprintf(text, sizeof(text), SLOT_S "\tbootargs = \"%s\"\n}\n", args);
	EXPECT_OK(text);
	CHECK_EQ(strlen(cfg.vms[0].bootargs), 511);
	EXPECT_OK(SLOT_S "\tbootargs = \"\"\n}\n");
	args[511] = 'x';
	args[512] = '\0';
	snprintf(text, sizeof(text), SLOT_S "\tbootargs = \"%s\"\n}\n", args);
	EXPECT_ERR(text, "t.cfg:4: vm 's': a slot's bootargs are at most 511 characters (deploys "
			 "patch them in place)");
	/* an ordinary VM still takes 512 */
	snprintf(text, sizeof(text), VM_A "\tbootargs = \"%s\"\n}\n", args);
	EXPECT_OK(text);
}

/* A slot's memory is reserved at boot: it counts in the node's total. */
static void test_slot_memory(void)
{
	EXPECT_OK("node {\n\tmemory = 1G\n}\n"
		  "vm a {\n\timage = img/a.bin\n\tmemory = 480M\n}\n"
		  "vm s {\n\tslot = yes\n\tmemory = 480M\n}\n");
	EXPECT_ERR("node {\n\tmemory = 1G\n}\n"
		   "vm a {\n\timage = img/a.bin\n\tmemory = 480M\n}\n"
		   "vm s {\n\tslot = yes\n\tmemory = 482M\n}\n",
		   "t.cfg:2: VMs need 962M of memory in total, more than the node's 1G minus 64M "
		   "reserved for the hypervisor");
}

/* The management VM's doorbell page and window sit at fixed IPAs: its own
 * passthrough devices may not cover them; other VMs have nothing there. */
static void test_management_ranges(void)
{
	EXPECT_ERR(VM_A "\tmanagement = yes\n\tdevice = 0x0b000000 0x1000\n}\n",
		   "t.cfg:5: vm 'a': device 0x0b000000-0x0b000fff overlaps the management doorbell "
		   "page (0x0b000000-0x0b000fff)");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000000 17M\n\tmanagement = yes\n}\n",
		   "t.cfg:4: vm 'a': device 0x0a000000-0x0b0fffff overlaps the management doorbell "
		   "page (0x0b000000-0x0b000fff)");
	EXPECT_ERR(VM_A "\tmanagement = yes\n\tdevice = 0x0b13f000 0x1000\n}\n",
		   "t.cfg:5: vm 'a': device 0x0b13f000-0x0b13ffff overlaps the management window "
		   "(0x0b100000-0x0b13ffff)");
	EXPECT_ERR(VM_A "\tmanagement = yes\n\tdevice = 0x0b0ff000 0x2000\n}\n",
		   "t.cfg:5: vm 'a': device 0x0b0ff000-0x0b100fff overlaps the management window "
		   "(0x0b100000-0x0b13ffff)");
	/* next to them is free, and another VM's address space is its own */
	EXPECT_OK(VM_A "\tmanagement = yes\n\tdevice = 0x0b001000 0xff000\n\tdevice = 0x0b140000 "
		       "0x1000\n}\n");
	EXPECT_OK(VM_A "\tmanagement = yes\n}\n" VM_B "\tdevice = 0x0b000000 0x200000\n}\n");
	EXPECT_OK(VM_A "\tdevice = 0x0b000000 0x1000\n}\n");
}

static void test_device_syntax(void)
{
	EXPECT_OK(VM_A "\tdevice = 0x0a000000 0x1000 irq 32 34 35 36\n}\n");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000000\n}\n",
		   "t.cfg:4: vm 'a': device needs a base and a size");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000000 0x1000 48\n}\n",
		   "t.cfg:4: vm 'a': device: expected 'irq' after the size");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000000 0x1000 irq\n}\n",
		   "t.cfg:4: vm 'a': device: 'irq' needs at least one INTID");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000000 0x1000 irq 40 41 42 43 44\n}\n",
		   "t.cfg:4: vm 'a': device has more than 4 interrupts");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000000 1M irq x\n}\n", "t.cfg:4: vm 'a': bad number 'x'");
	EXPECT_ERR(VM_A "\tdevice = 16M 0x1000\n}\n", "t.cfg:4: vm 'a': bad number '16M'");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000000 0\n}\n",
		   "t.cfg:4: vm 'a': device size must not be zero");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000800 0x1000\n}\n",
		   "t.cfg:4: vm 'a': device 0xa000800 size 0x1000 is not page-aligned");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000000 0x200\n}\n",
		   "t.cfg:4: vm 'a': device 0xa000000 size 0x200 is not page-aligned");
	EXPECT_ERR(VM_A "\tdevice = 0xfffffffff000 0x2000\n}\n",
		   "t.cfg:4: vm 'a': device 0xfffffffff000 size 0x2000 ends beyond the 48-bit "
		   "address space");
	EXPECT_ERR(VM_A "\tdevice = 0xfffffffffffff000 0x1000\n}\n",
		   "t.cfg:4: vm 'a': device 0xfffffffffffff000 size 0x1000 ends beyond the 48-bit "
		   "address space");
	EXPECT_OK(VM_A "\tdevice = 0xfffffffff000 0x1000\n}\n");
}

static void test_virtio(void)
{
	EXPECT_OK(VM_A "\tlayout = identity\n\tvirtio = 0x0a003e00 irq 79\n}\n");
	CHECK_EQ(cfg.vms[0].nr_devices, 1);
	CHECK_EQ(cfg.vms[0].devices[0].base, 0x0a003000);
	CHECK_EQ(cfg.vms[0].devices[0].size, 0x1000);
	CHECK_EQ(cfg.vms[0].devices[0].virtio_base, 0x0a003e00);
	CHECK_EQ(cfg.vms[0].devices[0].irqs[0], 79);
	CHECK_EQ(cfg.vms[0].devices[0].nr_irqs, 1);
	EXPECT_ERR(VM_A "\tvirtio = 0x0a003e00 irq 79\n}\n",
		   "t.cfg:4: vm 'a': virtio transport 0xa003e00 needs layout = identity (the "
		   "device DMAs to guest-physical addresses)");
	EXPECT_ERR(VM_A "\tlayout = identity\n\tvirtio = 0x0a003e10 irq 79\n}\n",
		   "t.cfg:5: vm 'a': virtio transport 0xa003e10 is not a 0x200-aligned address "
		   "below 2^48");
	EXPECT_ERR(VM_A "\tlayout = identity\n\tvirtio = 0x0a003e00\n}\n",
		   "t.cfg:5: vm 'a': virtio needs a transport base, 'irq' and one INTID");
	EXPECT_ERR(VM_A "\tlayout = identity\n\tvirtio = 0x0a003e00 irq 33\n}\n",
		   "t.cfg:5: vm 'a': interrupt 33 is the UART's, owned by the hypervisor");
	/* two transports in one page would map the page twice */
	EXPECT_ERR(VM_A "\tlayout = identity\n\tvirtio = 0x0a003e00 irq 79\n"
			"\tvirtio = 0x0a003c00 irq 78\n}\n",
		   "t.cfg:6: vm 'a': device 0x0a003000-0x0a003fff overlaps the device of vm 'a' on "
		   "line 5 (0x0a003000-0x0a003fff)");
}

static void test_device_count(void)
{
	EXPECT_OK(VM_A "\tdevice = 0x10000000 4K\n\tdevice = 0x10001000 4K\n"
		       "\tdevice = 0x10002000 4K\n\tdevice = 0x10003000 4K\n"
		       "\tdevice = 0x10004000 4K\n\tdevice = 0x10005000 4K\n"
		       "\tdevice = 0x10006000 4K\n\tdevice = 0x10007000 4K\n}\n");
	CHECK_EQ(cfg.vms[0].nr_devices, 8);
	EXPECT_ERR(VM_A "\tdevice = 0x10000000 4K\n\tdevice = 0x10001000 4K\n"
			"\tdevice = 0x10002000 4K\n\tdevice = 0x10003000 4K\n"
			"\tdevice = 0x10004000 4K\n\tdevice = 0x10005000 4K\n"
			"\tdevice = 0x10006000 4K\n\tdevice = 0x10007000 4K\n"
			"\tdevice = 0x10008000 4K\n}\n",
		   "t.cfg:12: vm 'a': more than 8 devices");
}

static void test_device_overlap(void)
{
	EXPECT_ERR(VM_A "\tdevice = 0x08000000 0x1000\n}\n",
		   "t.cfg:4: vm 'a': device 0x08000000-0x08000fff overlaps the emulated GIC "
		   "distributor (0x08000000-0x0800ffff)");
	EXPECT_ERR(VM_A "\tdevice = 0x07fff000 0x2000\n}\n",
		   "t.cfg:4: vm 'a': device 0x07fff000-0x08000fff overlaps the emulated GIC "
		   "distributor (0x08000000-0x0800ffff)");
	EXPECT_ERR(VM_A "\tdevice = 0x08fff000 0x1000\n}\n",
		   "t.cfg:4: vm 'a': device 0x08fff000-0x08ffffff overlaps the emulated GIC "
		   "redistributors (0x080a0000-0x08ffffff)");
	EXPECT_ERR(VM_A "\tdevice = 0x09000000 0x1000\n}\n",
		   "t.cfg:4: vm 'a': device 0x09000000-0x09000fff overlaps the emulated UART "
		   "(0x09000000-0x09000fff)");
	/* the gaps between the emulated devices are free */
	EXPECT_OK(VM_A "\tdevice = 0x08010000 0x90000\n\tdevice = 0x09001000 0x1000\n}\n");
	EXPECT_ERR(VM_A "\tdevice = 0x40fff000 0x1000\n}\n",
		   "t.cfg:4: vm 'a': device 0x40fff000-0x40ffffff overlaps the VM's RAM "
		   "(0x40000000-0x40ffffff)");
	EXPECT_OK(VM_A "\tdevice = 0x41000000 0x1000\n}\n");
	/* identity RAM is placed at boot; another VM's window is not ours */
	EXPECT_OK(VM_A "\tlayout = identity\n\tdevice = 0x40000000 0x1000\n}\n");
	EXPECT_OK(VM_A "}\n" VM_B "\tlayout = identity\n\tdevice = 0x40000000 0x1000\n}\n");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000000 0x2000\n\tdevice = 0x0a001000 0x1000\n}\n",
		   "t.cfg:5: vm 'a': device 0x0a001000-0x0a001fff overlaps the device of vm 'a' on "
		   "line 4 (0x0a000000-0x0a001fff)");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000000 0x1000\n}\n" VM_B
			"\tdevice = 0x0a000000 0x1000\n}\n",
		   "t.cfg:9: vm 'b': device 0x0a000000-0x0a000fff overlaps the device of vm 'a' on "
		   "line 4 (0x0a000000-0x0a000fff)");
	EXPECT_OK(VM_A "\tdevice = 0x0a000000 0x1000\n}\n" VM_B
		       "\tdevice = 0x0a001000 0x1000\n}\n");
}

static void test_irqs(void)
{
	EXPECT_OK(VM_A "\tdevice = 0x0a000000 0x1000 irq 32 1019\n}\n");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000000 0x1000 irq 33\n}\n",
		   "t.cfg:4: vm 'a': interrupt 33 is the UART's, owned by the hypervisor");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000000 0x1000 irq 31\n}\n",
		   "t.cfg:4: vm 'a': interrupt 31 is not an SPI (32..1019)");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000000 0x1000 irq 1020\n}\n",
		   "t.cfg:4: vm 'a': interrupt 1020 is not an SPI (32..1019)");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000000 0x1000 irq 48 48\n}\n",
		   "t.cfg:4: vm 'a': interrupt 48 is already given to vm 'a' on line 4");
	EXPECT_ERR(
		VM_A
		"\tdevice = 0x0a000000 0x1000 irq 48\n\tdevice = 0x0a001000 0x1000 irq 49 48\n}\n",
		"t.cfg:5: vm 'a': interrupt 48 is already given to vm 'a' on line 4");
	EXPECT_ERR(VM_A "\tdevice = 0x0a000000 0x1000 irq 48\n}\n" VM_B
			"\tdevice = 0x0a001000 0x1000 irq 48\n}\n",
		   "t.cfg:9: vm 'b': interrupt 48 is already given to vm 'a' on line 4");
}

static void test_vm_count(void)
{
	static char text[4096];
	size_t n = 0;
	int i;

	EXPECT_ERR("", "t.cfg: no vm blocks");
	EXPECT_ERR("# nothing\nnode {\n}\n", "t.cfg: no vm blocks");
	for (i = 0; i < 16; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "vm v%d {\n\timage = img/a.bin\n\tmemory = 2M\n}\n", i);
	EXPECT_OK(text);
	CHECK_EQ(cfg.nr_vms, 16);
	snprintf(text + n, sizeof(text) - n, "vm v16 {\n}\n");
	EXPECT_ERR(text, "t.cfg:65: more than 16 VMs");
}

static void test_fmt_size(void)
{
	char buf[32];

	vmcfg_fmt_size(buf, sizeof(buf), 0);
	CHECK(!strcmp(buf, "0"));
	vmcfg_fmt_size(buf, sizeof(buf), 1536);
	CHECK(!strcmp(buf, "1536"));
	vmcfg_fmt_size(buf, sizeof(buf), 2048);
	CHECK(!strcmp(buf, "2K"));
	vmcfg_fmt_size(buf, sizeof(buf), 3ULL << 20);
	CHECK(!strcmp(buf, "3M"));
	vmcfg_fmt_size(buf, sizeof(buf), 2ULL << 30);
	CHECK(!strcmp(buf, "2G"));
	vmcfg_fmt_size(buf, sizeof(buf), 1ULL << 40);
	CHECK(!strcmp(buf, "1T"));
}

/* The parser must not read past len: the fuzzer relies on it too. */
static void test_unterminated_buffer(void)
{
	static const char text[] = "vm a {\n\timage = img/a.bin\n\tmemory = 16M\n}\nvm b";

	CHECK(vmcfg_parse(&cfg, "t.cfg", text, strlen(text) - 5, fake_size, NULL) == NULL);
	CHECK(vmcfg_parse(&cfg, "t.cfg", text, strlen(text) - 2, fake_size, NULL) != NULL);
}

int main(void)
{
	RUN_TEST(test_good_config);
	RUN_TEST(test_defaults);
	RUN_TEST(test_lexical);
	RUN_TEST(test_syntax);
	RUN_TEST(test_names);
	RUN_TEST(test_keys);
	RUN_TEST(test_numbers);
	RUN_TEST(test_image);
	RUN_TEST(test_long_path);
	RUN_TEST(test_memory);
	RUN_TEST(test_node_memory);
	RUN_TEST(test_cpus);
	RUN_TEST(test_choices);
	RUN_TEST(test_bootargs);
	RUN_TEST(test_slot);
	RUN_TEST(test_slot_bootargs);
	RUN_TEST(test_slot_memory);
	RUN_TEST(test_management_ranges);
	RUN_TEST(test_device_syntax);
	RUN_TEST(test_virtio);
	RUN_TEST(test_device_count);
	RUN_TEST(test_device_overlap);
	RUN_TEST(test_irqs);
	RUN_TEST(test_vm_count);
	RUN_TEST(test_fmt_size);
	RUN_TEST(test_unterminated_buffer);
	return check_done();
}
