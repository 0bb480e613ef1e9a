/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-balloon frontend for known-zero pages (include/linux/page_zeroed.h):
 * VIRTIO_BALLOON_F_DEVICE_INIT_REPORTED and VIRTIO_BALLOON_F_DEVICE_INIT_ON_INFLATE.
 *
 * The trust decision is taken once, in validate(): the features survive only
 * when the device can make the promise and the guest can believe it.  Data
 * paths only test the negotiated feature bits.
 */
#ifndef _VIRTIO_BALLOON_ZEROED_H
#define _VIRTIO_BALLOON_ZEROED_H

#include <linux/mm.h>
#include <linux/page_reporting.h>
#include <linux/scatterlist.h>
#include <linux/virtio.h>
#include <linux/virtio_balloon.h>
#include <linux/virtio_config.h>
#include <linux/wait.h>

#if IS_ENABLED(CONFIG_VIRTIO_BALLOON_ZEROED)
void virtio_balloon_zeroed_validate(struct virtio_device *vdev);
int virtio_balloon_report_zeroed(struct page_reporting_dev_info *prdev,
				 struct virtqueue *vq, wait_queue_head_t *acked,
				 struct scatterlist *sg, unsigned int nents);
u8 *virtio_balloon_inflate_zeroed_init(struct virtio_device *vdev,
				       unsigned int max_pfns);
void virtio_balloon_inflate_zeroed_exit(u8 *map);
void virtio_balloon_inflate_zeroed(struct virtqueue *vq, wait_queue_head_t *acked,
				   const __virtio32 *pfns, unsigned int num_pfns,
				   struct page * const *pages, u8 *map,
				   unsigned int max_pfns);
void virtio_balloon_put_page(struct page *page);
void virtio_balloon_page_forget_zeroed(struct page *page);
#else
static inline void virtio_balloon_zeroed_validate(struct virtio_device *vdev)
{
	__virtio_clear_bit(vdev, VIRTIO_BALLOON_F_DEVICE_INIT_REPORTED);
	__virtio_clear_bit(vdev, VIRTIO_BALLOON_F_DEVICE_INIT_ON_INFLATE);
}

static inline int virtio_balloon_report_zeroed(struct page_reporting_dev_info *prdev,
					       struct virtqueue *vq,
					       wait_queue_head_t *acked,
					       struct scatterlist *sg,
					       unsigned int nents)
{
	return -EOPNOTSUPP;
}

static inline u8 *virtio_balloon_inflate_zeroed_init(struct virtio_device *vdev,
						     unsigned int max_pfns)
{
	return NULL;
}

static inline void virtio_balloon_inflate_zeroed_exit(u8 *map)
{
}

static inline void virtio_balloon_inflate_zeroed(struct virtqueue *vq,
						 wait_queue_head_t *acked,
						 const __virtio32 *pfns,
						 unsigned int num_pfns,
						 struct page * const *pages,
						 u8 *map, unsigned int max_pfns)
{
}

static inline void virtio_balloon_put_page(struct page *page)
{
	put_page(page);
}

static inline void virtio_balloon_page_forget_zeroed(struct page *page)
{
}
#endif

#endif /* _VIRTIO_BALLOON_ZEROED_H */
