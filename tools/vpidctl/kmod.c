// SPDX-License-Identifier: GPL-2.0
/*
 * kmod.c - load the vpid module through libkmod: by name from
 * /lib/modules/$(uname -r) as modprobe does, or from the file given with
 * --module; a refusal of the kernel is turned into the reason and the fix.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libkmod.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "vpidctl.h"

static const char *kernel_release(void)
{
	static struct utsname u;

	if (!u.release[0] && uname(&u))
		return "?";
	return u.release;
}

static bool file_has(const char *file, const char *word)
{
	char buf[512];
	bool found = false;
	FILE *f = fopen(file, "re");

	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f))
		found = !!strstr(buf, word);
	fclose(f);
	return found;
}

static void vermagic(struct kmod_module *mod, char *buf, size_t size)
{
	struct kmod_list *info = NULL, *l;

	buf[0] = '\0';
	if (kmod_module_get_info(mod, &info) < 0)
		return;
	kmod_list_foreach(l, info) {
		if (!strcmp(kmod_module_info_get_key(l), "vermagic")) {
			snprintf(buf, size, "%s", kmod_module_info_get_value(l));
			break;
		}
	}
	kmod_module_info_free_list(info);
}

/* EPERM, EACCES: who refused. */
static int load_denied(int err, const char *what)
{
	if (geteuid() != 0)
		return fail(err, "cannot load %s: loading a kernel module needs root (CAP_SYS_MODULE)",
			    what);
	if (file_has("/proc/sys/kernel/modules_disabled", "1"))
		return fail(err, "cannot load %s: module loading is disabled (kernel.modules_disabled=1)",
			    what);
	if (file_has("/sys/kernel/security/lockdown", "[integrity]") ||
	    file_has("/sys/kernel/security/lockdown", "[confidentiality]"))
		return fail(err, "cannot load %s: the kernel is locked down (Secure Boot) and takes only modules signed with a trusted key",
			    what);
	return fail(err, "cannot load %s: the kernel refused it", what);
}

/* Why init_module/finit_module failed, in words; returns EXIT_FAIL. */
static int load_failed(int err, struct kmod_module *mod, const char *what)
{
	char magic[256];

	switch (err) {
	case EPERM:
	case EACCES:
		return load_denied(err, what);
	case EKEYREJECTED:
	case ENOKEY:
	case EKEYEXPIRED:
	case EKEYREVOKED:
	case EBADMSG:
	case ENOPKG:
		return fail(err, "cannot load %s: the kernel enforces module signatures and rejects this one's; sign it with a trusted key (dkms's: mokutil --import /var/lib/dkms/mok.pub)",
			    what);
	case ENOEXEC:
		vermagic(mod, magic, sizeof(magic));
		return fail(err, "cannot load %s: it is not built for this kernel (running %s%s%s); rebuild it: make KVER=%s, or make dkms-install",
			    what, kernel_release(), magic[0] ? ", module built for " : "",
			    magic, kernel_release());
	case EBUSY:
		return fail(err, "cannot load %s: it is being loaded or unloaded right now; try again",
			    what);
	default:
		return fail(err, "cannot load %s: %s (see the kernel log: dmesg)",
			    what, strerror(err));
	}
}

static void kmod_quiet(void *data, int prio, const char *file, int line,
		       const char *fn, const char *fmt, va_list args)
{
	(void)data;
	(void)prio;
	(void)file;
	(void)line;
	if (!opt_verbose)
		return;
	fprintf(stderr, "vpidctl: libkmod: %s: ", fn);
	vfprintf(stderr, fmt, args);
}

/**
 * vpidctl_kmod_open() - a libkmod context for the running kernel
 *
 * Its messages go to stderr with --verbose only.
 *
 * Return: the context (kmod_unref() it), or NULL.
 */
struct kmod_ctx *vpidctl_kmod_open(void)
{
	struct kmod_ctx *ctx = kmod_new(NULL, NULL);

	if (!ctx)
		return NULL;
	kmod_set_log_fn(ctx, kmod_quiet, NULL);
	kmod_set_log_priority(ctx, opt_verbose ? LOG_DEBUG : LOG_ERR);
	return ctx;
}

/* Load the file of --module; 0 or EXIT_FAIL. */
static int load_from_path(struct kmod_ctx *ctx, const char *path)
{
	struct kmod_module *mod = NULL;
	int err, ret = 0;

	err = kmod_module_new_from_path(ctx, path, &mod);
	if (err < 0)
		return fail(-err, "cannot load %s: %s", path, strerror(-err));
	err = kmod_module_insert_module(mod, 0, NULL);
	if (err == -EEXIST)
		err = 0;	/* a module of that name is there */
	if (err < 0)
		ret = load_failed(-err, mod, path);
	kmod_module_unref(mod);
	return ret;
}

/* Load module vpid as modprobe would; 0 or EXIT_FAIL. */
static int load_by_name(struct kmod_ctx *ctx)
{
	struct kmod_list *list = NULL, *l;
	struct kmod_module *mod;
	int err, ret = 0;

	err = kmod_module_new_from_lookup(ctx, VPID_MODNAME, &list);
	if (err < 0 || !list)
		return fail(ENOENT, "cannot load module %s: not found in %s (build and install it with make dkms-install, or give --module PATH.ko)",
			    VPID_MODNAME, kmod_get_dirname(ctx));
	kmod_list_foreach(l, list) {
		mod = kmod_module_get_module(l);
		err = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL,
						      NULL);
		if (err < 0) {
			char what[PATH_MAX + 32];
			const char *path = kmod_module_get_path(mod);

			snprintf(what, sizeof(what), "module %s%s%s%s",
				 kmod_module_get_name(mod), path ? " (" : "",
				 path ? path : "", path ? ")" : "");
			ret = load_failed(-err, mod, what);
		}
		kmod_module_unref(mod);
		if (ret)
			break;
	}
	kmod_module_unref_list(list);
	return ret;
}

/* Load vpid (by name or from --module); 0 or EXIT_FAIL. */
static int load_module(void)
{
	struct kmod_ctx *ctx;
	int ret;

	ctx = vpidctl_kmod_open();
	if (!ctx)
		return fail(0, "cannot load module %s: libkmod failed to initialise",
			    VPID_MODNAME);
	if (opt_module)
		ret = load_from_path(ctx, opt_module);
	else
		ret = load_by_name(ctx);
	kmod_unref(ctx);
	if (!ret && access(VPID_CONTROL_FILE, F_OK))
		ret = fail(errno, "module %s is loaded but %s is missing",
			   VPID_MODNAME, VPID_CONTROL_FILE);
	return ret;
}

/**
 * ensure_module() - load vpid unless its control file is there
 *
 * Nothing to do either when $VPID_CONTROL names another control file.
 *
 * Return: 0, or EXIT_FAIL once the failure is printed.
 */
int ensure_module(void)
{
	if (getenv("VPID_CONTROL") && *getenv("VPID_CONTROL"))
		return 0;
	if (!access(VPID_CONTROL_FILE, F_OK))
		return 0;
	return load_module();
}
