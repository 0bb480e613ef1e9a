// SPDX-License-Identifier: GPL-2.0-only
///
/// Do not zero a page that was allocated with __GFP_ZERO.
///
/// With __GFP_ZERO the page allocator has already cleared the memory,
/// and for user pages it did so with folio_zero_user() at the user
/// address. A second clear doubles the cost of the fault, and a
/// clear through a different alias (clear_page(), clear_highpage())
/// can leave dirty lines of the kernel alias that the user mapping
/// does not see on architectures with aliasing data caches.
///
/// Flagged: folio_zero_user(), clear_user_highpage(),
/// clear_user_highpages(), clear_highpage(), clear_page() applied to
/// the result (F, &F->page, folio_page(F, i), page_address(F),
/// folio_address(F)) of any call whose arguments contain __GFP_ZERO,
/// directly or through a gfp local assigned a value containing it,
/// on some path with no reassignment of the result in between.
///
// Confidence: High
// Copyright: (C) 2026 pagehint contributors
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Options: --no-includes --include-headers
//
// Keywords: __GFP_ZERO, folio_zero_user, clear_user_highpage, clear_page
//

virtual patch
virtual context
virtual org
virtual report

// Allocations and gfp values that clear __GFP_ZERO are not zeroing ones.
@initialize:python@
@@
# The cleared page is the allocated one: F itself, its first page, a subpage or its address.
# Checked here rather than in SmPL so that "page" is not a token every file must be parsed for.
def same_memory(z, f):
	z = z.replace(" ", "")
	f = f.replace(" ", "")
	return (z in (f, "&" + f + "->page", "page_address(" + f + ")",
		      "folio_address(" + f + ")") or z.startswith("folio_page(" + f + ","))

// Allocations and gfp values that clear __GFP_ZERO are not zeroing ones.
@masked_gfp depends on !patch@
identifier g;
position pg;
@@

  g@pg = <+... ~__GFP_ZERO ...+>

@masked_call depends on !patch@
identifier alloc;
position pa;
@@

  alloc@pa(..., <+... ~__GFP_ZERO ...+>, ...)

@direct depends on !patch exists@
expression F, E, Z;
identifier alloc;
position pa != masked_call.pa;
position pz;
@@

  F = alloc@pa(..., <+... __GFP_ZERO ...+>, ...);
  ... when != F = E
(
  folio_zero_user@pz(Z, ...)
|
  clear_user_highpage@pz(Z, ...)
|
  clear_user_highpages@pz(Z, ...)
|
  clear_highpage@pz(Z)
|
  clear_page@pz(Z)
)

@via_local depends on !patch exists@
expression F, E, Z;
identifier alloc, g;
position pg != masked_gfp.pg;
position pa != masked_call.pa;
position pz;
@@

  g@pg = <+... __GFP_ZERO ...+>;
  ... when != g = E
  F = alloc@pa(..., g, ...);
  ... when != F = E
(
  folio_zero_user@pz(Z, ...)
|
  clear_user_highpage@pz(Z, ...)
|
  clear_user_highpages@pz(Z, ...)
|
  clear_highpage@pz(Z)
|
  clear_page@pz(Z)
)

@via_decl depends on !patch exists@
expression F, E, Z;
identifier alloc, g;
type T;
position pa != masked_call.pa;
position pz;
@@

  T g = <+... __GFP_ZERO ...+>;
  ... when != g = E
  F = alloc@pa(..., g, ...);
  ... when != F = E
(
  folio_zero_user@pz(Z, ...)
|
  clear_user_highpage@pz(Z, ...)
|
  clear_user_highpages@pz(Z, ...)
|
  clear_highpage@pz(Z)
|
  clear_page@pz(Z)
)

// Keep only the matches where the cleared memory is the allocated memory.
@script:python keep_direct@
F << direct.F;
Z << direct.Z;
@@
cocci.include_match(same_memory(Z, F))

@script:python keep_local@
F << via_local.F;
Z << via_local.Z;
@@
cocci.include_match(same_memory(Z, F))

@script:python keep_decl@
F << via_decl.F;
Z << via_decl.Z;
@@
cocci.include_match(same_memory(Z, F))

@ctx depends on context@
position pz = {direct.pz, via_local.pz, via_decl.pz};
@@

(
* folio_zero_user@pz(...)
|
* clear_user_highpage@pz(...)
|
* clear_user_highpages@pz(...)
|
* clear_highpage@pz(...)
|
* clear_page@pz(...)
)

// Patch mode: drop the second clear. Only the direct form with the folio or its first page
// is rewritten; the local-gfp forms are left to a human.
@depends on patch exists@
expression F, E, C;
identifier alloc;
@@

  F = alloc(..., <+... __GFP_ZERO ...+>, ...);
  ... when != F = E
(
- if (C)
-	folio_zero_user(F, ...);
|
- if (C)
-	clear_user_highpage(\(F\|&F->page\), ...);
|
- if (C)
-	clear_highpage(\(F\|&F->page\));
|
- folio_zero_user(F, ...);
|
- clear_user_highpage(\(F\|&F->page\), ...);
|
- clear_highpage(\(F\|&F->page\));
)

@script:python depends on report@
pa << direct.pa;
pz << direct.pz;
alloc << direct.alloc;
@@
coccilib.report.print_report(pz[0], "zeroing memory that %s() on line %s already zeroed (__GFP_ZERO)" % (alloc, pa[0].line))

@script:python depends on report@
pa << via_local.pa;
pz << via_local.pz;
alloc << via_local.alloc;
@@
coccilib.report.print_report(pz[0], "zeroing memory that %s() on line %s already zeroed (__GFP_ZERO)" % (alloc, pa[0].line))

@script:python depends on report@
pa << via_decl.pa;
pz << via_decl.pz;
alloc << via_decl.alloc;
@@
coccilib.report.print_report(pz[0], "zeroing memory that %s() on line %s already zeroed (__GFP_ZERO)" % (alloc, pa[0].line))

@script:python depends on org@
pa << direct.pa;
pz << direct.pz;
@@
coccilib.org.print_todo(pz[0], "double zeroing after __GFP_ZERO allocation")
coccilib.org.print_link(pa[0], "")

@script:python depends on org@
pa << via_local.pa;
pz << via_local.pz;
@@
coccilib.org.print_todo(pz[0], "double zeroing after __GFP_ZERO allocation")
coccilib.org.print_link(pa[0], "")

@script:python depends on org@
pa << via_decl.pa;
pz << via_decl.pz;
@@
coccilib.org.print_todo(pz[0], "double zeroing after __GFP_ZERO allocation")
coccilib.org.print_link(pa[0], "")
