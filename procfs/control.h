/* SPDX-License-Identifier: GPL-2.0 */
/*
 * control.h - what procfs/ offers the module's top: the control file
 * /proc/container (its commands are parsed by parse.c, carried out by the
 * core).
 */
#ifndef VPID_CONTROL_H
#define VPID_CONTROL_H

int vpid_control_init(void);
void vpid_control_exit(void);

#endif /* VPID_CONTROL_H */
