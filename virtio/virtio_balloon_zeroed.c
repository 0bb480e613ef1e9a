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
 *
 * DEVICE_INIT_ON_INFLATE (bit 7): an inflate request carries a device-writable
 * bitmap after the PFN array; the device sets bit i when it discarded PFN i,
 * so that the page reads as zero until the guest writes it.  A balloon page is
 * known-zero only when the bits of all its PFNs are set (a guest page larger
 * than the 4 KiB balloon page).  The answer is kept on the balloon page as
 * PG_zeroed, with the atomic helpers because isolation for migration updates
 * the flags of balloon pages concurrently, and consumed on deflate by
 * put_page_zeroed().  Bits beyond the used length, or past the request, are
 * "not known"; a used length larger than the bitmap is a broken or hostile
 * host, counted and logged, and the whole answer is ignored.
 */
#define pr_fmt(fmt) "virtio_balloon: " fmt

#include <linux/cc_platform.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/page_zeroed.h>
#include <linux/slab.h>
#include <linux/virtio_balloon.h>
#include <linux/virtio_config.h>

#include "virtio_balloon_zeroed.h"

/**
 * virtio_balloon_zeroed_validate - decide whether the device may vouch for zeros
 * @vdev: the balloon device, in its validate() callback
 *
 * Called after the driver has settled VIRTIO_BALLOON_F_PAGE_POISON and
 * VIRTIO_BALLOON_F_REPORTING.  This is the only place the decision is
 * taken: a DEVICE_INIT_* bit that survives it is used.  Clears
 * DEVICE_INIT_REPORTED without free page reporting, and both DEVICE_INIT_*
 * features when the host is not trusted (confidential guest), over the
 * legacy interface (whose devices may put anything in the used length),
 * when the device would initialise pages with a non-zero poison value
 * instead of zeros, and when page poisoning keeps every free page non-zero
 * (page_zeroed_source_get() would refuse).  When one survives, clears
 * VIRTIO_F_IN_ORDER: the used length is the answer, and with in-order
 * completion the ring makes up the used length of every buffer the device
 * skips in a batch.
 */
void virtio_balloon_zeroed_validate(struct virtio_device *vdev)
{
	const char *why = NULL;

	if (!virtio_has_feature(vdev, VIRTIO_BALLOON_F_REPORTING))
		__virtio_clear_bit(vdev, VIRTIO_BALLOON_F_DEVICE_INIT_REPORTED);
	if (!virtio_has_feature(vdev, VIRTIO_BALLOON_F_DEVICE_INIT_REPORTED) &&
	    !virtio_has_feature(vdev, VIRTIO_BALLOON_F_DEVICE_INIT_ON_INFLATE))
		return;

	if (cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
		why = "confidential guest: the host is not trusted";
	else if (!virtio_has_feature(vdev, VIRTIO_F_VERSION_1))
		why = "legacy interface: used lengths are not reliable";
	/*
	 * The driver writes poison_val 0 under init_on_free and PAGE_POISON
	 * otherwise; a device that initialises with poison does not zero.
	 */
	else if (virtio_has_feature(vdev, VIRTIO_BALLOON_F_PAGE_POISON) &&
		 !want_init_on_free())
		why = "pages are initialised with a non-zero poison value";
	else if (page_poisoning_enabled_static())
		why = "page poisoning is on";

	if (why) {
		dev_info(&vdev->dev, "not using device-initialised pages: %s\n", why);
		__virtio_clear_bit(vdev, VIRTIO_BALLOON_F_DEVICE_INIT_REPORTED);
		__virtio_clear_bit(vdev, VIRTIO_BALLOON_F_DEVICE_INIT_ON_INFLATE);
		return;
	}

	/*
	 * A device may use a batch of in-order buffers with a single used
	 * entry; virtio_ring then returns every skipped buffer with its full
	 * length, which would read as "zeroed".  The balloon has at most one
	 * inflate request and a few reports in flight: in-order completion
	 * buys it nothing, the answers are worth more.
	 */
	if (virtio_has_feature(vdev, VIRTIO_F_IN_ORDER)) {
		dev_info(&vdev->dev, "not using VIRTIO_F_IN_ORDER: used lengths carry device-initialised page answers\n");
		__virtio_clear_bit(vdev, VIRTIO_F_IN_ORDER);
	}
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
 * used_len equal to its length.  Without a bitmap (the core does not track
 * host-zeroed pages) nothing is claimed.  Waits for every buffer it added, also on
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
	unsigned long *zeroed = prdev->zeroed_bitmap;
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
			if (zeroed)
				set_bit(i, zeroed);
		} else if (len > sg[i].length) {
			page_zeroed_reject(1);
			pr_warn_ratelimited("device returned used_len %u for a %u byte report: ignored\n",
					    len, sg[i].length);
		}
	}
	return err;
}
EXPORT_SYMBOL_FOR_MODULES(virtio_balloon_report_zeroed, "virtio_balloon");

/* Balloon PFNs are 4 KiB; a guest page may span several. */
#define BALLOON_PFNS_PER_PAGE	(PAGE_SIZE >> VIRTIO_BALLOON_PFN_SHIFT)

/**
 * virtio_balloon_inflate_zeroed_init - set up inflate answers
 * @vdev: the balloon device, in probe() after validate() settled its features
 * @max_pfns: the largest number of PFNs one inflate request carries
 *
 * When DEVICE_INIT_ON_INFLATE was negotiated, takes a known-zero source
 * reference (page_zeroed_source_get()) and allocates the bitmap the device
 * writes its answers into.  validate() already refused the feature in every
 * case the core refuses a source, so a negotiated feature is always used;
 * failing here fails the probe.
 *
 * Return: NULL when the feature was not negotiated, the bitmap
 * (BITS_TO_BYTES(@max_pfns) bytes) when it was, or an ERR_PTR().  Release
 * it with virtio_balloon_inflate_zeroed_exit().
 */
u8 *virtio_balloon_inflate_zeroed_init(struct virtio_device *vdev,
				       unsigned int max_pfns)
{
	u8 *map;
	int err;

	if (!virtio_has_feature(vdev, VIRTIO_BALLOON_F_DEVICE_INIT_ON_INFLATE))
		return NULL;
	map = kzalloc(BITS_TO_BYTES(max_pfns), GFP_KERNEL);
	if (!map)
		return ERR_PTR(-ENOMEM);
	err = page_zeroed_source_get();
	if (WARN_ON_ONCE(err)) {
		kfree(map);
		return ERR_PTR(err);
	}
	return map;
}
EXPORT_SYMBOL_FOR_MODULES(virtio_balloon_inflate_zeroed_init, "virtio_balloon");

/**
 * virtio_balloon_inflate_zeroed_exit - undo virtio_balloon_inflate_zeroed_init()
 * @map: its return value (may be NULL or an ERR_PTR())
 *
 * Call only when no balloon page holds a hint any more (the balloon is
 * empty), so that every deflated page was still freed as known-zero.
 */
void virtio_balloon_inflate_zeroed_exit(u8 *map)
{
	if (IS_ERR_OR_NULL(map))
		return;
	kfree(map);
	page_zeroed_source_put();
}
EXPORT_SYMBOL_FOR_MODULES(virtio_balloon_inflate_zeroed_exit, "virtio_balloon");

/**
 * virtio_balloon_inflate_zeroed - tell the device about inflated PFNs, get its answer
 * @vq: the inflate virtqueue (empty)
 * @acked: woken by the virtqueue callback when the device returns the request
 * @pfns: the PFN array, VIRTIO_BALLOON_PAGES_PER_PAGE PFNs per balloon page,
 *	each run starting at the first PFN of its page
 * @num_pfns: number of PFNs in @pfns
 * @pages: the balloon pages the PFNs were made from, one per
 *	VIRTIO_BALLOON_PAGES_PER_PAGE PFNs, in the same order
 * @map: the bitmap from virtio_balloon_inflate_zeroed_init()
 * @max_pfns: the @max_pfns given to virtio_balloon_inflate_zeroed_init()
 *
 * Sends @pfns with a device-writable bitmap of BITS_TO_BYTES(@num_pfns) bytes
 * and waits for the device.  Sets PG_zeroed on each balloon page all of whose
 * PFN bits the device set inside its used length.  The hint goes on the
 * page the driver holds, never on one rebuilt from a PFN on the wire (32
 * bits of 4 KiB frames).  Called with the balloon lock held, so the pages
 * cannot be deflated or migrated meanwhile.
 */
void virtio_balloon_inflate_zeroed(struct virtqueue *vq, wait_queue_head_t *acked,
				   const __virtio32 *pfns, unsigned int num_pfns,
				   struct page * const *pages, u8 *map,
				   unsigned int max_pfns)
{
	unsigned int i, j, len, bytes, answered;
	struct scatterlist out, in, *sgs[] = { &out, &in };

	if (WARN_ON_ONCE(!num_pfns || num_pfns > max_pfns))
		return;
	bytes = BITS_TO_BYTES(num_pfns);
	memset(map, 0, bytes);
	sg_init_one(&out, pfns, sizeof(pfns[0]) * num_pfns);
	sg_init_one(&in, map, bytes);

	/* We should always be able to add one request to an empty queue. */
	if (WARN_ON_ONCE(virtqueue_add_sgs(vq, sgs, 1, 1, map, GFP_KERNEL)))
		return;
	virtqueue_kick(vq);
	wait_event(*acked, virtqueue_get_buf(vq, &len));

	if (len > bytes) {
		page_zeroed_reject(1);
		pr_warn_ratelimited("device returned used_len %u for a %u byte inflate bitmap: ignored\n",
				    len, bytes);
		return;
	}
	answered = min(len * BITS_PER_BYTE, num_pfns);

	for (i = 0; i + BALLOON_PFNS_PER_PAGE <= answered; i += BALLOON_PFNS_PER_PAGE) {
		for (j = i; j < i + BALLOON_PFNS_PER_PAGE; j++)
			if (!(map[j / BITS_PER_BYTE] & BIT(j % BITS_PER_BYTE)))
				break;
		if (j < i + BALLOON_PFNS_PER_PAGE)
			continue;
		SetPageZeroed(pages[i / BALLOON_PFNS_PER_PAGE]);
	}
}
EXPORT_SYMBOL_FOR_MODULES(virtio_balloon_inflate_zeroed, "virtio_balloon");

/**
 * virtio_balloon_put_page - free a deflated balloon page
 * @page: a page taken off the balloon, the driver's reference
 *
 * Frees it as known-zero when its inflate answer said so, else as usual.
 */
void virtio_balloon_put_page(struct page *page)
{
	if (TestClearPageZeroed(page))
		put_page_zeroed(page);
	else
		put_page(page);
}
EXPORT_SYMBOL_FOR_MODULES(virtio_balloon_put_page, "virtio_balloon");

/**
 * virtio_balloon_page_forget_zeroed - drop the hint of a balloon page
 * @page: a balloon page that is about to be freed by someone else, e.g. the
 *	old page of a balloon page migration, which mm/balloon.c frees with
 *	put_page(): PG_zeroed aliases PG_private, which must be clear at free
 */
void virtio_balloon_page_forget_zeroed(struct page *page)
{
	TestClearPageZeroed(page);
}
EXPORT_SYMBOL_FOR_MODULES(virtio_balloon_page_forget_zeroed, "virtio_balloon");

MODULE_DESCRIPTION("virtio-balloon frontend for host-zeroed pages");
MODULE_LICENSE("GPL");
