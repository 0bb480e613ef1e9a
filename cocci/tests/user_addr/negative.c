// SPDX-License-Identifier: GPL-2.0
/* user_addr.cocci must accept everything below. */

static struct folio *anon_fault_raw(struct vm_fault *vmf, int order)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long addr;
	struct folio *folio;

	/* The aligned address still selects the PTE range, not the allocation. */
	addr = ALIGN_DOWN(vmf->address, PAGE_SIZE << order);
	if (!pte_range_none(vmf->pte + pte_index(addr), 1 << order))
		return NULL;
	folio = vma_alloc_folio(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, order, vma, vmf->address);
	return folio;
}

static struct folio *aligned_then_reassigned(struct vm_fault *vmf, gfp_t gfp)
{
	unsigned long address;

	address = round_down(vmf->address, PMD_SIZE);
	address = vmf->address;
	return vma_alloc_folio(gfp, 0, vmf->vma, address);
}

static struct folio *pmd_fault_raw(struct vm_area_struct *vma, unsigned long addr)
{
	return vma_alloc_folio(GFP_TRANSHUGE | __GFP_ZERO, HPAGE_PMD_ORDER, vma, addr);
}

static struct folio *zeroed_movable_raw(struct vm_area_struct *vma, unsigned long vaddr)
{
	return vma_alloc_zeroed_movable_folio(vma, vaddr);
}

static vm_fault_t hugetlb_fault_real(struct vm_fault *vmf, struct hstate *h)
{
	struct folio *folio;

	folio = alloc_hugetlb_folio(vmf->vma, vmf->real_address, false,
				    htlb_alloc_mask(h) | __GFP_ZERO);
	return folio ? 0 : VM_FAULT_OOM;
}

/* A COW copy is not zeroed: the aligned address is what the reservation wants. */
static vm_fault_t hugetlb_wp_copy(struct vm_fault *vmf, struct folio *old)
{
	struct folio *new;

	new = alloc_hugetlb_folio(vmf->vma, vmf->address, false);
	if (IS_ERR(new))
		return VM_FAULT_OOM;
	copy_user_large_folio(new, old, vmf->real_address, vmf->vma);
	return 0;
}

/* Kernel allocations have no user address. */
static struct page *kernel_page(void)
{
	return alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
}
