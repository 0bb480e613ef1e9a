// SPDX-License-Identifier: GPL-2.0
/* arch_zeroed_folio.cocci must accept these. */

/* arm64: an out-of-line override announced by the self-referencing marker. */
#define vma_alloc_zeroed_movable_folio vma_alloc_zeroed_movable_folio

struct folio *vma_alloc_zeroed_movable_folio(struct vm_area_struct *vma,
					     unsigned long vaddr)
{
	gfp_t flags = GFP_HIGHUSER_MOVABLE | __GFP_ZERO;

	if (vma->vm_flags & VM_MTE)
		flags |= __GFP_ZEROTAGS;

	return vma_alloc_folio(flags, 0, vma, vaddr);
}

/* Callers and a mention in a comment: vma_alloc_zeroed_movable_folio(vma, vaddr) */
static struct folio *caller(struct vm_area_struct *vma, unsigned long vaddr)
{
	return vma_alloc_zeroed_movable_folio(vma, vaddr);
}

#ifndef vma_alloc_zeroed_movable_folio
/* The converted generic helper. */
static inline
struct folio *vma_alloc_zeroed_movable_folio(struct vm_area_struct *vma,
					     unsigned long vaddr)
{
	return vma_alloc_folio(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0, vma, vaddr);
}
#endif
