/* SPDX-License-Identifier: GPL-2.0 */
/*
 * direct_tramp.S - the assembler macros VPID_DIRECT NAME and
 * VPID_DIRECT_RESULT NAME, included by the file that lists the direct
 * hooks (hooks/direct.S).  What the trampolines do and why: engine/direct.h.
 */

#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/ibt.h>
#include <asm/nospec-branch.h>

/*
 * VPID_QUICK_CALL NAME: the quick filter vpid_df_NAME(), called in a frame:
 * "surely not" returns into the traced function, "maybe" goes on at the
 * next label 1 with the frame kept.
 */
.macro VPID_QUICK_CALL name
	pushq %rbp
	movq %rsp, %rbp
	call vpid_df_\name
	testb %al, %al
	jnz 1f
	popq %rbp
	RET
.endm

/*
 * VPID_DIRECT_ENTRY NAME QUICK: a trampoline's start, up to its quick
 * filter, which returns into the traced function on "surely not" and goes
 * on at the caller's next label 1 with a frame set up on "maybe".  QUICK
 * is how it asks:
 *	call		vpid_df_NAME()
 *	inline		VPID_QUICK_INLINE MAYBE, a macro the including file
 *			defines: a few instructions that clobber only %rax
 *			and jump to MAYBE unless the answer is "surely not"
 *	inline_arg3null	VPID_QUICK_INLINE when the third argument is NULL,
 *			else vpid_df_NAME()
 */
.macro VPID_DIRECT_ENTRY name, quick
	.pushsection .text, "ax", @progbits
	.globl vpid_dt_\name
	.type vpid_dt_\name, @function
	.p2align 4
vpid_dt_\name:
	ENDBR
#ifdef VPID_HAVE_CALL_DEPTH_ACCOUNT
	CALL_DEPTH_ACCOUNT
#endif
.ifc \quick, call
	VPID_QUICK_CALL \name
.else
.ifc \quick, inline_arg3null
	testq %rdx, %rdx
	jnz 5f
.endif
	VPID_QUICK_INLINE 4f
	RET
.ifc \quick, inline_arg3null
5:	VPID_QUICK_CALL \name
.endif
4:	pushq %rbp
	movq %rsp, %rbp
.endif
.endm

.macro VPID_DIRECT name, quick=call
	VPID_DIRECT_ENTRY \name, \quick
1:	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %r8
	pushq %r9
	movq %rsp, %rdi
	call vpid_dw_\name
	testb %al, %al
	popq %r9
	popq %r8
	popq %rcx
	popq %rdx
	popq %rsi
	popq %rdi
	popq %rbp
	jnz 2f
	RET
2:	addq $8, %rsp
	jmp vpid_h_\name
	.size vpid_dt_\name, . - vpid_dt_\name
	.popsection
	STACK_FRAME_NON_STANDARD vpid_dt_\name
.endm


.macro VPID_DIRECT_RESULT name, quick=call
	VPID_DIRECT_ENTRY \name, \quick
	/* called by vpid's own code: the kernel's function answers */
1:	movq 16(%rbp), %rax
	subq vpid_text_start(%rip), %rax
	cmpq vpid_text_len(%rip), %rax
	jb 3f
	/* at most three arguments: %rcx, %r8-%r11 are free at entry */
	pushq %rdi
	pushq %rsi
	pushq %rdx
	call vpid_dr_\name
	testq %rax, %rax
	jnz 2f
	popq %rdx
	popq %rsi
	popq %rdi
3:	popq %rbp
	RET
	/* answered: return .val to the traced function's caller */
2:	movq %rdx, %rax
	addq $24, %rsp
	popq %rbp
	addq $8, %rsp
	RET
	.size vpid_dt_\name, . - vpid_dt_\name
	.popsection
	STACK_FRAME_NON_STANDARD vpid_dt_\name
.endm
