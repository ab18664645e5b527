// SPDX-License-Identifier: GPL-2.0
/*
 * nstree: PID namespaces and the process tree in each, every process with
 * its PID at every namespace level, served over generic netlink.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "nstree.h"
#include "nstree_event.h"

static int __init nstree_init(void)
{
	int err;

	err = nstree_track_init();
	if (err)
		return err;
	err = nstree_nsid_init();
	if (err)
		return err;
	err = nstree_queue_init();
	if (err)
		goto err_nsid;
	err = nstree_genl_init();
	if (err) {
		pr_err("cannot register the generic netlink family: %d\n", err);
		nstree_queue_exit();
		goto err_nsid;
	}
	return 0;

err_nsid:
	nstree_nsid_exit();
	return err;
}

static void __exit nstree_exit(void)
{
	/* Subscribers go first: their workers send with the family's id. */
	nstree_queue_exit();
	nstree_genl_exit();
	/* No kprobe and no request runs any more. */
	nstree_nsid_exit();
}

module_init(nstree_init);
module_exit(nstree_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("PID namespaces and process trees over generic netlink");
MODULE_VERSION(NSTREE_VERSION);
MODULE_ALIAS_GENL_FAMILY(NSTREE_FAMILY_NAME);
