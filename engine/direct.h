/* SPDX-License-Identifier: GPL-2.0 */
/*
 * direct.h - ftrace direct calls: the hottest helpers are hooked by a
 * small trampoline of vpid's own that the traced function's fentry call
 * reaches directly, instead of ftrace's generic trampoline, its recursion
 * guard and an indirect callback.
 *
 * VPID_DIRECT (engine/direct_tramp.S, x86-64) makes vpid_dt_NAME:
 *
 *	ENDBR
 *	the quick filter: a few instructions that clobber nothing but %rax
 *		and say "surely not" for almost every call that is not to be
 *		redirected (a host task's): either in line (VPID_QUICK_INLINE,
 *		defined by the file listing the hooks) or, in a frame, a call
 *		of vpid_df_NAME(the traced function's arguments), a leaf
 *		(VPID_DIRECT_QUICK)
 *	not: return into the traced function, which runs as if untouched
 *	maybe: frame; save the argument registers
 *	call vpid_dw_NAME(struct vpid_dregs *), the full filter, in C
 *	restore
 *	false: return into the traced function
 *	true:  drop that return address and jump to vpid_h_NAME, the
 *	       replacement, which returns to the traced function's caller
 *
 * VPID_DIRECT_RESULT makes the same trampoline for a replacement short
 * enough to run in the filter, which then finds the record once, not once
 * to filter and again to answer.  For a function of at most three
 * arguments: on "maybe", and unless the call comes from vpid's own code
 * (vpid_ip_in_module(), tested in the trampoline), it saves only those
 * three registers and calls vpid_dr_NAME() with the traced function's own
 * arguments.  That returns a struct vpid_dres (in %rax:%rdx): .done false
 * returns into the traced function, true returns .val to the traced
 * function's caller.
 *
 * %rax is clobbered at the traced function's entry: never hook a varargs
 * function (%al counts its vector arguments) this way.
 *
 * A VPID_DIRECT full filter must return false when
 * vpid_dregs_from_module() says so: a replacement calling the original
 * reaches the trampoline again.  The
 * frame pointer set up before any call lets the ORC unwinder (which has no
 * data for this code) walk through it, as for BPF trampolines; objtool is
 * told not to expect a standard function.
 */
#ifndef VPID_DIRECT_H
#define VPID_DIRECT_H

#include "engine.h"

/**
 * struct vpid_dregs - what a direct trampoline saved, as its filter sees it
 * @r9: sixth argument
 * @r8: fifth argument
 * @cx: fourth argument
 * @dx: third argument
 * @si: second argument
 * @di: first argument
 * @bp: the caller's frame pointer
 * @ret: the return address into the traced function
 * @parent_ip: the return address into the traced function's caller
 */
struct vpid_dregs {
	unsigned long r9, r8, cx, dx, si, di, bp;
	unsigned long ret;
	unsigned long parent_ip;
};

/**
 * struct vpid_dres - what a VPID_DIRECT_RESULT filter decided
 * @done: zero to run the traced function, else it returns @val
 * @val: the traced function's return value
 */
struct vpid_dres {
	unsigned long done;
	unsigned long val;
};

/* vpid_answer() - a VPID_DIRECT_RESULT filter's "done: return @val" */
static __always_inline struct vpid_dres vpid_answer(unsigned long val)
{
	return (struct vpid_dres){ .done = 1, .val = val };
}

/*
 * A quick filter keeps every register but %rax (and is defined notrace:
 * the call is on every hooked path).
 */
#define VPID_DIRECT_QUICK __no_caller_saved_registers

/*
 * Was the traced function called from vpid itself (a replacement calling
 * the original, never as a tail call): then it must run as the kernel's.
 */
static inline bool vpid_dregs_from_module(const struct vpid_dregs *r)
{
	return vpid_ip_in_module(r->parent_ip);
}

#endif /* VPID_DIRECT_H */
