// SPDX-License-Identifier: GPL-2.0
/*
 * ksym.c - addresses of kernel symbols that are not exported.
 *
 * kallsyms_lookup_name() itself is not exported on these kernels; a kprobe
 * registered on it reports its address.  On a CONFIG_X86_KERNEL_IBT kernel
 * (Debian 6.12) the kprobe core moves a probe on a function entry past the
 * 4-byte ENDBR64, so that address is NOT a valid indirect-call target: an
 * indirect call to it raises #CP on IBT hardware (QEMU does not emulate IBT,
 * so no test here would notice).  vpid_ksym_init() steps back over the ENDBR,
 * and vpid_callable() checks every function address vpid calls through a
 * pointer.
 */
#include <linux/kprobes.h>
#include "engine.h"
#include "vpid_compat.h"

static unsigned long (*vpid_kallsyms_lookup_name)(const char *name);

static bool vpid_endbr_at(unsigned long addr)
{
	u32 insn;

	if (get_kernel_nofault(insn, (u32 *)addr))
		return false;
	return vpid_insn_is_endbr(insn);
}

/**
 * vpid_callable() - may vpid call a kernel function through this pointer
 * @addr: the function's address
 *
 * Return: true unless IBT is on and @addr does not start with ENDBR64.
 */
bool vpid_callable(unsigned long addr)
{
	return addr && (!VPID_IBT || vpid_endbr_at(addr));
}

/**
 * vpid_ksym() - address of a kernel symbol
 * @name: the symbol
 *
 * Return: its address (for a function, the ENDBR64 on IBT kernels) or 0.
 */
unsigned long vpid_ksym(const char *name)
{
	return vpid_kallsyms_lookup_name(name);
}

/**
 * vpid_ksym_func() - address of a kernel function vpid calls through a
 * pointer, at module load
 * @name: the function
 * @addr: set to its address
 *
 * Return: 0, or -ENOENT (logged) when it is missing or, on IBT kernels,
 * does not start with ENDBR64.
 */
int vpid_ksym_func(const char *name, unsigned long *addr)
{
	*addr = vpid_ksym(name);
	if (!vpid_callable(*addr)) {
		pr_err("kernel function %s not found or not callable\n", name);
		return -ENOENT;
	}
	return 0;
}

/**
 * vpid_ksym_init() - find kallsyms_lookup_name through a kprobe
 *
 * Return: 0 or a -errno.
 */
int vpid_ksym_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;
	int err;

	err = register_kprobe(&kp);
	if (err) {
		pr_err("cannot locate kallsyms_lookup_name (kprobe: %d)\n",
		       err);
		return err;
	}
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);

	/* IBT: the probe sits after ENDBR64; calls must land on it. */
	if (VPID_IBT && !vpid_endbr_at(addr) &&
	    vpid_endbr_at(addr - VPID_ENDBR_SIZE))
		addr -= VPID_ENDBR_SIZE;
	if (!vpid_callable(addr)) {
		pr_err("kallsyms_lookup_name (%pS) has no ENDBR64\n",
		       (void *)addr);
		return -ENOENT;
	}
	vpid_kallsyms_lookup_name = (void *)addr;
	return 0;
}
