/* SPDX-License-Identifier: GPL-2.0 */
/*
 * direct.S - the trampolines of the hooks reached by ftrace direct calls
 * (engine/direct.h): the caller's-view helpers every getpid(), kill() and
 * wait() goes through, the explicit-namespace ones a container's /proc
 * reads through, and __send_signal_locked(), every signal queued.  Each
 * vpid_dt_NAME calls the filters vpid_df_NAME() and vpid_dw_NAME() and may
 * jump to the replacement vpid_h_NAME() (hooks/table.c: DIRECT()), or
 * calls vpid_df_NAME() and vpid_dr_NAME(), which may answer itself
 * (DIRECT_RESULT()).
 */
#include "direct_tramp.S"
#include "vpid_compat.h"
#include "vpid_offsets.h"

/*
 * VPID_QUICK_INLINE MAYBE: vpid_quick_in_container() (hooks/hooks.h), "may
 * the current task be in a container", without a call: is the bucket of
 * current->thread_pid in vpid_hash non-empty (vpid_bucket()).  Jumps to
 * MAYBE if so; clobbers %rax only.
 */
.macro VPID_QUICK_INLINE maybe
	movq VPID_CURRENT_TASK, %rax
	movq VPID_TASK_THREAD_PID(%rax), %rax
	imull $VPID_GOLDEN_RATIO_32, %eax, %eax
	shrl $VPID_HASH_SHIFT, %eax
	cmpq $0, vpid_hash(, %rax, 8)
	jne \maybe
.endm

VPID_DIRECT_RESULT task_pid_nr_ns, inline_arg3null
VPID_DIRECT_RESULT pid_vnr, inline
VPID_DIRECT_RESULT find_vpid, inline
VPID_DIRECT_RESULT find_get_pid, inline
VPID_DIRECT_RESULT find_task_by_vpid, inline
VPID_DIRECT_RESULT find_get_task_by_vpid, inline
VPID_DIRECT_RESULT pid_nr_ns
VPID_DIRECT_RESULT find_ge_pid
VPID_DIRECT_RESULT find_task_by_pid_ns
VPID_DIRECT_RESULT find_pid_ns
VPID_DIRECT send_signal
VPID_DIRECT kill_pid_info, inline
VPID_DIRECT kill_pgrp_info, inline
VPID_DIRECT task_active_pid_ns
