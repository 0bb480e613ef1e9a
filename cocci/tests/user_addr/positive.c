// SPDX-License-Identifier: GPL-2.0
/* user_addr.cocci must flag every allocation below. */

static struct folio *anon_fault_aligned_local(struct vm_fault *vmf, int order)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long addr;
	struct folio *folio;

	addr = ALIGN_DOWN(vmf->address, PAGE_SIZE << order);
	folio = vma_alloc_folio(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, order, vma, addr);
	return folio;
}

static struct folio *swapin_round_down(struct vm_fault *vmf, gfp_t gfp, int order)
{
	unsigned long address;
	struct folio *folio;

	address = round_down(vmf->address, PAGE_SIZE << order);
	folio = vma_alloc_folio(gfp, order, vmf->vma, address);
	return folio;
}

static struct folio *pmd_fault_masked(struct vm_area_struct *vma, unsigned long addr)
{
	return vma_alloc_folio(GFP_TRANSHUGE | __GFP_ZERO, HPAGE_PMD_ORDER, vma,
			       addr & HPAGE_PMD_MASK);
}

static struct folio *no_user_addr(struct vm_area_struct *vma)
{
	return vma_alloc_folio(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0, vma, USER_ADDR_NONE);
}

static struct folio *zeroed_movable_aligned(struct vm_fault *vmf)
{
	return vma_alloc_zeroed_movable_folio(vmf->vma, ALIGN_DOWN(vmf->address, PAGE_SIZE));
}

static vm_fault_t hugetlb_fault_gfp(struct vm_fault *vmf, struct hstate *h)
{
	struct folio *folio;

	folio = alloc_hugetlb_folio(vmf->vma, vmf->address, false,
				    htlb_alloc_mask(h) | __GFP_ZERO);
	return folio ? 0 : VM_FAULT_OOM;
}

static vm_fault_t hugetlb_fault_gfp_local(struct vm_fault *vmf, struct hstate *h)
{
	struct folio *folio;
	gfp_t gfp;

	gfp = htlb_alloc_mask(h) | __GFP_ZERO;
	folio = alloc_hugetlb_folio(vmf->vma, vmf->address, false, gfp);
	return folio ? 0 : VM_FAULT_OOM;
}

static vm_fault_t hugetlb_fault_zero_after(struct vm_fault *vmf)
{
	struct folio *folio;

	folio = alloc_hugetlb_folio(vmf->vma, vmf->address, false);
	if (IS_ERR(folio))
		return VM_FAULT_OOM;
	folio_zero_user(folio, vmf->real_address);
	return 0;
}

static struct folio *memfd_no_user_addr(struct hstate *h, gfp_t gfp)
{
	return alloc_hugetlb_folio_reserve(h, numa_node_id(), NULL, gfp | __GFP_ZERO,
					   USER_ADDR_NONE);
}
