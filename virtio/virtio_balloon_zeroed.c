// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-balloon frontend for known-zero pages.
 *
 * DEVICE_INIT_REPORTED (bit 6): the device initialises every page it is told
 * about on the reporting queue and says so per element: used_len equal to the
 * buffer's length means "this page now reads as zero".  To get an answer per
 * page, each reported page goes into its own buffer.  Anything but an exact
 * match is "not known": a short used_len is a host that could not discard, a
 * longer one is a broken or hostile host, counted and logged.
 */
#define pr_fmt(fmt) "virtio_balloon: " fmt

#include <linux/cc_platform.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/page_zeroed.h>
#include <linux/virtio_balloon.h>
#include <linux/virtio_config.h>

#include "virtio_balloon_zeroed.h"

/**
 * virtio_balloon_zeroed_validate - decide whether the device may vouch for zeros
 * @vdev: the balloon device, in its validate() callback
 *
 * Called after the driver has settled VIRTIO_BALLOON_F_PAGE_POISON and
 * VIRTIO_BALLOON_F_REPORTING.  Clears DEVICE_INIT_REPORTED without free page
 * reporting, and both DEVICE_INIT_* features when the host is not trusted
 * (confidential guest) or when the device would initialise pages with a
 * non-zero poison value instead of zeros.
 */
void virtio_balloon_zeroed_validate(struct virtio_device *vdev)
{
	const char *why = NULL;

	if (!virtio_has_feature(vdev, VIRTIO_BALLOON_F_REPORTING))
		__virtio_clear_bit(vdev, VIRTIO_BALLOON_F_DEVICE_INIT_REPORTED);

	if (cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
		why = "confidential guest: the host is not trusted";
	/*
	 * The driver writes poison_val 0 under init_on_free and PAGE_POISON
	 * otherwise; a device that initialises with poison does not zero.
	 */
	else if (virtio_has_feature(vdev, VIRTIO_BALLOON_F_PAGE_POISON) &&
		 !want_init_on_free())
		why = "pages are initialised with a non-zero poison value";

	if (!why)
		return;
	if (virtio_has_feature(vdev, VIRTIO_BALLOON_F_DEVICE_INIT_REPORTED) ||
	    virtio_has_feature(vdev, VIRTIO_BALLOON_F_DEVICE_INIT_ON_INFLATE))
		dev_info(&vdev->dev, "not using device-initialised pages: %s\n", why);
	__virtio_clear_bit(vdev, VIRTIO_BALLOON_F_DEVICE_INIT_REPORTED);
	__virtio_clear_bit(vdev, VIRTIO_BALLOON_F_DEVICE_INIT_ON_INFLATE);
}
EXPORT_SYMBOL_FOR_MODULES(virtio_balloon_zeroed_validate, "virtio_balloon");

/**
 * virtio_balloon_report_zeroed - report free pages one buffer per page
 * @prdev: the page reporting device; its zeroed_bitmap receives the answers
 * @vq: the reporting virtqueue (empty, at least @nents entries)
 * @acked: woken by the virtqueue callback when the device returns buffers
 * @sg: the pages to report
 * @nents: number of entries in @sg
 *
 * Sets bit i of @prdev->zeroed_bitmap when the device returned buffer i with
 * used_len equal to its length.  Waits for every buffer it added, also on
 * error, so that no page is returned to the allocator while the device may
 * still use it.
 *
 * Return: 0 when every page was handed to the device, else a negative errno
 * (the caller treats the whole batch as not reported).
 */
int virtio_balloon_report_zeroed(struct page_reporting_dev_info *prdev,
				 struct virtqueue *vq, wait_queue_head_t *acked,
				 struct scatterlist *sg, unsigned int nents)
{
	struct scatterlist one;
	unsigned int i, added = 0, done = 0, len;
	struct scatterlist *token;
	int err = 0;

	for (i = 0; i < nents; i++) {
		sg_init_table(&one, 1);
		sg_set_page(&one, sg_page(&sg[i]), sg[i].length, sg[i].offset);
		/* The token is the entry itself: it maps an answer to its page. */
		err = virtqueue_add_inbuf(vq, &one, 1, &sg[i], GFP_NOWAIT);
		if (WARN_ON_ONCE(err))
			break;
		added++;
	}
	if (added)
		virtqueue_kick(vq);

	while (done < added) {
		wait_event(*acked, (token = virtqueue_get_buf(vq, &len)));
		done++;
		i = token - sg;
		if (WARN_ON_ONCE(token < sg || i >= nents))
			continue;
		if (len == sg[i].length) {
			set_bit(i, prdev->zeroed_bitmap);
		} else if (len > sg[i].length) {
			page_zeroed_bad_input(PAGE_ZEROED_REPORT);
			pr_warn_ratelimited("device returned used_len %u for a %u byte report: ignored\n",
					    len, sg[i].length);
		}
	}
	return err;
}
EXPORT_SYMBOL_FOR_MODULES(virtio_balloon_report_zeroed, "virtio_balloon");

MODULE_DESCRIPTION("virtio-balloon frontend for host-zeroed pages");
MODULE_LICENSE("GPL");
