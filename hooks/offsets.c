// SPDX-License-Identifier: GPL-2.0
/*
 * offsets.c - the C constants the trampolines in assembler need
 * (hooks/direct.S).  Compiled to offsets.s only, never linked:
 * Kbuild turns its ".ascii" lines into vpid_offsets.h, the way the kernel
 * makes its asm-offsets.h.
 */
#include <linux/hash.h>
#include <linux/kbuild.h>
#include <linux/sched.h>

#include "vpid.h"

/*
 * The assembler's copy of vpid_bucket() (VPID_QUICK_INLINE) is the
 * generic hash_32(): a multiply by GOLDEN_RATIO_32 and a shift.
 */
#ifdef HAVE_ARCH__HASH_32
#error "vpid_bucket() in assembler assumes the generic hash_32()"
#endif

void vpid_offsets(void);

void vpid_offsets(void)
{
	OFFSET(VPID_TASK_THREAD_PID, task_struct, thread_pid);
	DEFINE(VPID_GOLDEN_RATIO_32, GOLDEN_RATIO_32);
	DEFINE(VPID_HASH_SHIFT, 32 - VPID_HASH_BITS);
}
