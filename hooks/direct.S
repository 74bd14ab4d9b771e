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

VPID_DIRECT_RESULT task_pid_nr_ns
VPID_DIRECT_RESULT pid_vnr
VPID_DIRECT_RESULT find_vpid
VPID_DIRECT_RESULT find_get_pid
VPID_DIRECT_RESULT find_task_by_vpid
VPID_DIRECT_RESULT find_get_task_by_vpid
VPID_DIRECT_RESULT pid_nr_ns
VPID_DIRECT_RESULT find_ge_pid
VPID_DIRECT_RESULT find_task_by_pid_ns
VPID_DIRECT send_signal
VPID_DIRECT kill_pid_info
VPID_DIRECT kill_pgrp_info
