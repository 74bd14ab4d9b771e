/* SPDX-License-Identifier: GPL-2.0 */
/*
 * direct.S - the trampolines of the hooks reached by ftrace direct calls
 * (engine/direct.h): the caller's-view helpers every getpid(), kill() and
 * wait() goes through, the explicit-namespace ones a container's /proc
 * reads through, and __send_signal_locked(), every signal queued.  Each
 * vpid_dt_NAME calls the filters vpid_df_NAME() and vpid_dw_NAME() and may
 * jump to the replacement vpid_h_NAME() (hooks/table.c: DIRECT()).
 */
#include "direct_tramp.S"

VPID_DIRECT task_pid_nr_ns
VPID_DIRECT pid_vnr
VPID_DIRECT find_vpid
VPID_DIRECT find_get_pid
VPID_DIRECT find_task_by_vpid
VPID_DIRECT find_get_task_by_vpid
VPID_DIRECT pid_nr_ns
VPID_DIRECT find_ge_pid
VPID_DIRECT find_task_by_pid_ns
VPID_DIRECT send_signal
