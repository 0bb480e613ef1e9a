// SPDX-License-Identifier: GPL-2.0
/* alloc_zeroing.cocci must flag every user_alloc_needs_zeroing() and clear below. */

static struct folio *anon_fault(struct vm_fault *vmf, gfp_t gfp, int order)
{
	struct folio *folio;

	folio = vma_alloc_folio(gfp, order, vmf->vma, vmf->address);
	if (!folio)
		return NULL;
	if (user_alloc_needs_zeroing())
		folio_zero_user(folio, vmf->address);
	return folio;
}

static inline struct folio *zeroed_movable(struct vm_area_struct *vma, unsigned long vaddr)
{
	struct folio *folio;

	folio = vma_alloc_folio(GFP_HIGHUSER_MOVABLE, 0, vma, vaddr);
	if (folio && user_alloc_needs_zeroing())
		clear_user_highpage(&folio->page, vaddr);
	return folio;
}

static vm_fault_t hugetlb_fault(struct vm_fault *vmf)
{
	struct folio *folio;

	folio = alloc_hugetlb_folio(vmf->vma, vmf->address, false);
	if (IS_ERR(folio))
		return VM_FAULT_OOM;
	folio_zero_user(folio, vmf->real_address);
	return 0;
}

static int memfd_pool_folio(struct hstate *h, gfp_t gfp_mask)
{
	struct folio *folio;

	folio = alloc_hugetlb_folio_reserve(h, numa_node_id(), NULL, gfp_mask);
	if (folio) {
		folio_zero_user(folio, 0);
		return 0;
	}
	return -ENOMEM;
}

static bool zeroing_policy(void)
{
	return user_alloc_needs_zeroing();
}
