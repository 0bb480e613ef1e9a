// SPDX-License-Identifier: GPL-2.0-only
///
/// vma_alloc_zeroed_movable_folio() has one implementation, in
/// include/linux/highmem.h, and it allocates with __GFP_ZERO.
///
/// The generic helper passes __GFP_ZERO and the caller's address to
/// vma_alloc_folio(), so the page allocator zeroes the page with
/// folio_zero_user() where the cache needs it. An arch macro that
/// re-implements the helper drifts from it: it keeps working on x86
/// and silently loses the user address or the zeroing decision on
/// aliasing architectures when the generic helper changes.
///
/// Flagged:
///  - a definition of __HAVE_ARCH_VMA_ALLOC_ZEROED_MOVABLE_FOLIO;
///  - a C definition of vma_alloc_zeroed_movable_folio() (generic or
///    arch) that never mentions __GFP_ZERO, i.e. zeroes by itself.
/// An out-of-line arch function announced by the self-referencing
/// "#define vma_alloc_zeroed_movable_folio vma_alloc_zeroed_movable_folio"
/// is allowed when it allocates with __GFP_ZERO (arm64 adds
/// __GFP_ZEROTAGS for MTE, which the generic helper cannot express).
///
/// Not matchable here: Coccinelle 1.1.1 does not match function-like
/// macro definitions, so "#define vma_alloc_zeroed_movable_folio(vma,
/// vaddr) ..." in arch/*/include/asm/page*.h is checked by
/// scripts/coccicheck.sh, which reports it under this rule's name.
///
// Confidence: High
// Copyright: (C) 2026 pagehint contributors
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Options: --no-includes --include-headers
//
// Keywords: vma_alloc_zeroed_movable_folio, __GFP_ZERO
//

virtual patch
virtual context
virtual org
virtual report

@have_arch depends on !patch@
position p;
@@

* #define __HAVE_ARCH_VMA_ALLOC_ZEROED_MOVABLE_FOLIO@p

@zeroes_in_allocator depends on !patch@
type T;
position p;
@@

  T vma_alloc_zeroed_movable_folio@p(...)
  {
  <+... __GFP_ZERO ...+>
  }

@zeroes_itself depends on !patch@
type T;
position p != zeroes_in_allocator.p;
@@

* T vma_alloc_zeroed_movable_folio@p(...)
  {
  ...
  }

// Patch mode drops the opt-out marker; the macro and the generic helper need a human.
@depends on patch@
@@

- #define __HAVE_ARCH_VMA_ALLOC_ZEROED_MOVABLE_FOLIO

@script:python depends on report@
p << have_arch.p;
@@
coccilib.report.print_report(p[0], "arch override of vma_alloc_zeroed_movable_folio(); use the generic helper")

@script:python depends on report@
p << zeroes_itself.p;
@@
coccilib.report.print_report(p[0], "vma_alloc_zeroed_movable_folio() must allocate with __GFP_ZERO, not zero the page itself")

@script:python depends on org@
p << have_arch.p;
@@
coccilib.org.print_todo(p[0], "arch override of vma_alloc_zeroed_movable_folio()")

@script:python depends on org@
p << zeroes_itself.p;
@@
coccilib.org.print_todo(p[0], "vma_alloc_zeroed_movable_folio() without __GFP_ZERO")
