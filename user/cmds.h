/* SPDX-License-Identifier: GPL-2.0 */
/* The nstree commands that live in files of their own. */
#ifndef NSTREE_CMDS_H
#define NSTREE_CMDS_H

int cmd_run(int argc, char **argv);

#endif /* NSTREE_CMDS_H */
