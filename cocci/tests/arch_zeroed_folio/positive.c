// SPDX-License-Identifier: GPL-2.0
/* arch_zeroed_folio.cocci (and its macro half in scripts/coccicheck.sh) must flag these. */

/* An arch page.h re-implementing the helper as a macro. */
#define vma_alloc_zeroed_movable_folio(vma, vaddr) \
	vma_alloc_folio(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0, vma, vaddr)

/* The old opt-out spelling. */
#define __HAVE_ARCH_VMA_ALLOC_ZEROED_MOVABLE_FOLIO

/* The pre-conversion generic helper: zeroes the page itself. */
static inline
struct folio *vma_alloc_zeroed_movable_folio(struct vm_area_struct *vma,
					     unsigned long vaddr)
{
	struct folio *folio;

	folio = vma_alloc_folio(GFP_HIGHUSER_MOVABLE, 0, vma, vaddr);
	if (folio && user_alloc_needs_zeroing())
		clear_user_highpage(&folio->page, vaddr);

	return folio;
}
