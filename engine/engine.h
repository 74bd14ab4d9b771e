/* SPDX-License-Identifier: GPL-2.0 */
/*
 * engine.h - the hook engine: kernel functions replaced or observed through
 * ftrace, over one table of struct vpid_hook.  It knows nothing of
 * containers: it resolves the table's symbols, registers and unregisters
 * its hooks, and waits until no task runs a replacement.  Whoever owns the
 * table (core/life.c) decides when.
 *
 * Offers, to every other unit: struct vpid_hook, VPID_HOOK_ABI, the
 * in-flight count (vpid_call_begin/end), the symbol resolver (vpid_ksym,
 * vpid_callable) and the engine's life (vpid_engine_*).
 */
#ifndef VPID_ENGINE_H
#define VPID_ENGINE_H

#include <linux/ftrace.h>
#include <linux/percpu.h>

/*
 * VPID_HOOK_ABI marks a replacement: it runs where the kernel called the
 * original, with its signature and the plain C calling convention.  No
 * kernel caller can count on the original clobbering fewer registers than
 * the ABI allows: gcc turns interprocedural register allocation off for
 * -pg code (every traced kernel function), so callers assume the worst.
 * (It was __no_caller_saved_registers, ~18 instructions a call.)
 */
#define VPID_HOOK_ABI

/**
 * struct vpid_hook - one kernel function vpid hooks
 * @name: the kernel symbol
 * @alt: another name the same function has on other kernels (a rename with
 *	the same signature and call site), tried when @name is not found
 * @redirect: replacement run instead of it when @want says so, or NULL
 * @direct: the hook's own trampoline (engine/direct.h), reached by an
 *	ftrace direct call: it filters and jumps to @redirect itself, or
 *	answers in the filter (then @redirect is NULL); @want is unused
 * @observe: called at its entry for every caller, or NULL; with @ipmodify
 *	it may rewrite arguments or divert the call (vpid_fregs_set_ip())
 * @ipmodify: @observe may modify registers
 * @optional: a kernel built without the function (a configuration option
 *	off, or the compiler inlined it) loads without this hook, saying so
 * @want: with @redirect (required there), whether to redirect this call
 * @orig: where to store the target's address, for replacements that call
 *	the original (checked for ENDBR64 on IBT kernels)
 * @addr: resolved address
 * @ops: with @direct, the ftrace_ops of this hook alone (the others
 *	share two of the engine's, engine.c)
 *
 * At most one of @redirect and @observe is set; with neither (nor @direct),
 * the symbol is only resolved, for vpid to call it through @orig.  A hook
 * with @direct is registered with ftrace as a direct call; the others are
 * callbacks (vpid_ftrace_thunk()).
 */
struct vpid_hook {
	const char *name;
	const char *alt;
	void *redirect;
	void *direct;
	void (*observe)(struct ftrace_regs *fregs);
	bool (*want)(struct ftrace_regs *fregs);
	bool ipmodify;
	bool optional;
	unsigned long *orig;
	unsigned long addr;
	struct ftrace_ops ops;
};

/*
 * A replacement that calls into the kernel may sleep there (alloc_pid(),
 * pidfd_open(), free_pid() on PREEMPT_RT) and come back to module text
 * after its hook is gone: it counts itself, and vpid_engine_drain() waits
 * for the count to drop.
 */
DECLARE_PER_CPU(long, vpid_calls);

static inline void vpid_call_begin(void)
{
	this_cpu_inc(vpid_calls);
}

static inline void vpid_call_end(void)
{
	this_cpu_dec(vpid_calls);
}

/* engine/ksym.c */
int vpid_ksym_init(void);
unsigned long vpid_ksym(const char *name);
bool vpid_callable(unsigned long addr);
int vpid_ksym_func(const char *name, unsigned long *addr);

/* engine/engine.c: the caller serialises every call but drain */
int vpid_engine_init(struct vpid_hook *table, unsigned int nr);

/* vpid's own code (set by vpid_engine_init(), engine.c) */
extern unsigned long vpid_text_start, vpid_text_len;

/**
 * vpid_ip_in_module() - is @ip in vpid's own code
 * @ip: a return address
 *
 * within_module() for the one part that matters, two instructions: a
 * replacement calling the original function is vpid code, and the core
 * text holds all of it (hooks go in after the module's init code ran:
 * core/life.c).
 *
 * Return: true if it is.
 */
static inline bool vpid_ip_in_module(unsigned long ip)
{
	return ip - vpid_text_start < vpid_text_len;
}

unsigned int vpid_engine_size(void);
int vpid_engine_install(void);
bool vpid_engine_remove_one(void);
bool vpid_engine_installed(void);
bool vpid_engine_drain(bool (*stop)(void));
void vpid_engine_exit(void);

#endif /* VPID_ENGINE_H */
