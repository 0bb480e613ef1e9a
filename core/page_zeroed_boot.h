/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot-zeroed memory without a race: which pages the allocator has not
 * handed out since boot.
 *
 * A hypervisor can say which guest memory is still zero when it is asked
 * (Hyper-V: HvExtCallGetBootZeroedMemory), but it can only be asked once
 * hypercalls work, long after the page allocator started handing out
 * memory.  Marking the free blocks of such a range at that point
 * (page_zeroed_mark_range()) is wrong: a block may have been allocated,
 * written and freed in between, and be free again when it is marked.
 *
 * So, when platform code expects such an answer, the allocator remembers
 * from the start which pages it has never handed out:
 *   - platform code calls page_zeroed_boot_track_request() before
 *     mm_core_init();
 *   - mm_core_init() calls page_zeroed_boot_track_init() right before
 *     memblock_free_all(): one bit per page, set for every range memblock
 *     never allocated (the memory that is about to enter the allocator
 *     untouched by the kernel);
 *   - every allocation clears the bits of its pages in post_alloc_hook(),
 *     before its caller can write them;
 *   - the frontend, once the hypervisor answered, calls
 *     page_zeroed_boot_claim() for each range, which marks, under
 *     zone->lock, the free buddy blocks of the range all of whose bits are
 *     still set, and then page_zeroed_boot_track_stop().
 * A block that is free at the claim and has all its bits set was never
 * handed out since boot, so it holds what it held when the hypervisor was
 * asked: zeros.  Memory freed into the allocator later (initrd, init
 * sections, firmware regions) was reserved at track_init and never has a
 * bit set.
 */
#ifndef _LINUX_PAGE_ZEROED_BOOT_H
#define _LINUX_PAGE_ZEROED_BOOT_H

#include <linux/errno.h>
#include <linux/init.h>
#include <linux/jump_label.h>
#include <linux/mm_types.h>

/*
 * Hot-added memory the caller guarantees reads as zero enters the allocator
 * known-zero as it is onlined (mm/memory_hotplug.c), never afterwards.
 */
#ifdef CONFIG_MEMORY_HOTPLUG
void generic_online_page_zeroed(struct page *page, unsigned int order);
#endif

#ifdef CONFIG_PAGE_REPORTING_ZEROED
DECLARE_STATIC_KEY_FALSE(page_zeroed_boot_key);

void __init page_zeroed_boot_track_request(void);
void __init page_zeroed_boot_track_init(void);
int page_zeroed_boot_track_start(unsigned long start_pfn, unsigned long nr_pages);
bool page_zeroed_boot_tracking(void);
unsigned long page_zeroed_boot_claim(unsigned long start_pfn,
				     unsigned long nr_pages);
void page_zeroed_boot_track_stop(void);
void __page_zeroed_boot_alloc(struct page *page, unsigned int order);

/* post_alloc_hook(): the pages of this block are no longer untouched. */
static inline void page_zeroed_boot_alloc(struct page *page, unsigned int order)
{
	if (static_branch_unlikely(&page_zeroed_boot_key))
		__page_zeroed_boot_alloc(page, order);
}
#else
static inline void page_zeroed_boot_track_request(void)
{
}

static inline void page_zeroed_boot_track_init(void)
{
}

static inline int page_zeroed_boot_track_start(unsigned long start_pfn,
					       unsigned long nr_pages)
{
	return -EOPNOTSUPP;
}

static inline bool page_zeroed_boot_tracking(void)
{
	return false;
}

static inline unsigned long page_zeroed_boot_claim(unsigned long start_pfn,
						   unsigned long nr_pages)
{
	return 0;
}

static inline void page_zeroed_boot_track_stop(void)
{
}

static inline void page_zeroed_boot_alloc(struct page *page, unsigned int order)
{
}
#endif /* CONFIG_PAGE_REPORTING_ZEROED */
#endif /* _LINUX_PAGE_ZEROED_BOOT_H */
