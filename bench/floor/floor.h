/* SPDX-License-Identifier: GPL-2.0 */
/* The direct call's target, written in asm in floor.c. */
#ifndef FLOOR_H
#define FLOOR_H

void floor_tramp(void);

#endif
