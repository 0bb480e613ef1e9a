/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory a hypervisor says reads as zero now, claimed without a race.
 *
 * A hypervisor can say which guest memory reads as zero at the moment it is
 * asked (Hyper-V: HvExtCallGetBootZeroedMemory, "known to be zeroed at the
 * time the hypercall is made").  Such an answer is only worth something for
 * the free blocks that stay free from the moment the question is asked to
 * the moment they are marked: a block handed out in between may have been
 * written, and freed again, before the mark.
 *
 * page_zeroed_claim_free() closes that window without tracking anything:
 * for each populated zone it asks the question with zone->lock held and
 * marks the zone's free blocks that lie wholly inside the answer before it
 * lets go of the lock.  While the lock is held no block can leave or enter
 * the zone's free lists, so every block marked was free, untouched by the
 * guest, from the question to the mark.  The allocation paths carry no
 * hook for this and the claim allocates nothing.
 *
 * What the guest wrote before the question (a previous kernel under kexec,
 * firmware, the boot loader, the decompressor) is the answer's business:
 * the claim is exactly as good as the hypervisor's promise that the ranges
 * read as zero when it answers.  A frontend uses it only where that
 * promise is documented and refuses it where it cannot hold.
 */
#ifndef _LINUX_PAGE_ZEROED_BOOT_H
#define _LINUX_PAGE_ZEROED_BOOT_H

#include <linux/errno.h>
#include <linux/mm_types.h>
#include <linux/types.h>

/*
 * Hot-added memory the caller guarantees reads as zero enters the allocator
 * known-zero as it is onlined (mm/memory_hotplug.c), never afterwards.
 */
#ifdef CONFIG_MEMORY_HOTPLUG
void generic_online_page_zeroed(struct page *page, unsigned int order);
#endif

/**
 * struct page_zeroed_pfn_range - page frames [@start, @end) that read as zero
 * @start: first page frame
 * @end: one past the last page frame
 *
 * u64 so that a hypervisor's answer is never truncated on 32-bit kernels;
 * frames without memory are allowed and never match a free block.
 */
struct page_zeroed_pfn_range {
	u64 start;
	u64 end;
};

/* The most ranges one answer may give page_zeroed_claim_free() */
#define PAGE_ZEROED_CLAIM_MAX_RANGES	255

/**
 * typedef page_zeroed_ask_t - ask which memory reads as zero now
 * @ctx: the caller's context
 * @ranges: filled with at most @max ranges, in any order, overlaps allowed
 * @max: PAGE_ZEROED_CLAIM_MAX_RANGES
 *
 * Called with a zone's lock held and interrupts off: it must not sleep,
 * allocate memory or print (keep what is to be said in @ctx and say it
 * afterwards).
 *
 * Return: the number of ranges filled, or a negative errno, which ends
 * the claim.
 */
typedef int (*page_zeroed_ask_t)(void *ctx, struct page_zeroed_pfn_range *ranges,
				 unsigned int max);

#ifdef CONFIG_PAGE_REPORTING_ZEROED
unsigned long page_zeroed_claim_free(page_zeroed_ask_t ask, void *ctx);
#else
static inline unsigned long page_zeroed_claim_free(page_zeroed_ask_t ask, void *ctx)
{
	return 0;
}
#endif /* CONFIG_PAGE_REPORTING_ZEROED */
#endif /* _LINUX_PAGE_ZEROED_BOOT_H */
