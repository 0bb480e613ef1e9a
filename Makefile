# SPDX-License-Identifier: GPL-2.0
# pagehint: every entry point. All targets install what they need (scripts/install-deps.sh).
#   make check   - the test suite (CI runs exactly this)
#   make check-full - make check plus the long scenarios (FULL_ONLY=1: the 10,000-cycle soak)
#   make demo    - one screen: feature on vs off (bench kernel), under 2 minutes from a warm cache
# Building blocks: deps fetch prepare config build initramfs boot (SCENARIO=base) qemu sparse
# checkpatch qemu-checkpatch coccicheck compile-gate kbuild-gate spec-gate kdoc-gate test-harness
# cocci-fixtures bench bench-publish series bisect-check clean

PROFILE ?= test
SCENARIO ?= base
S := scripts

.PHONY: check check-full demo deps fetch prepare config build initramfs boot qemu sparse checkpatch \
	qemu-checkpatch coccicheck compile-gate kbuild-gate spec-gate kdoc-gate test-harness \
	cocci-fixtures bench bench-publish series bisect-check clean distclean

check:
	@bash $(S)/check.sh

check-full:
	@PH_FULL=1 bash $(S)/check.sh

demo:
	@bash $(S)/demo.sh

deps:
	@bash $(S)/install-deps.sh

fetch: deps
	@bash $(S)/fetch-kernel.sh

prepare: fetch
	@bash $(S)/prepare-tree.sh

config: prepare
	@bash $(S)/configure.sh $(PROFILE)

build: config
	@bash $(S)/build-kernel.sh $(PROFILE)

initramfs: build
	@bash $(S)/build-initramfs.sh $(PROFILE)

boot: initramfs
	@bash $(S)/boot-guest.sh $(PROFILE) $(SCENARIO)

qemu: deps
	@bash $(S)/build-qemu.sh

sparse: prepare
	@bash $(S)/sparse.sh

checkpatch: fetch
	@bash $(S)/checkpatch.sh

qemu-checkpatch: deps
	@bash $(S)/qemu-checkpatch.sh

coccicheck: prepare
	@bash $(S)/coccicheck.sh

compile-gate: prepare
	@bash $(S)/compile-gate.sh

kbuild-gate: build
	@bash $(S)/kbuild-gate.sh

spec-gate: deps
	@bash $(S)/spec-gate.sh

kdoc-gate: prepare
	@bash $(S)/kdoc-gate.sh

test-harness: prepare
	@bash $(S)/test-harness.sh

cocci-fixtures: deps
	@bash $(S)/test-cocci-fixtures.sh

bench:
	@bash $(S)/bench.sh

bench-publish:
	@bash $(S)/bench-publish.sh

series: fetch
	@bash $(S)/export-series.sh

bisect-check: fetch
	@bash $(S)/bisect-check.sh

clean:
	rm -rf build/out-* build/logs build/bench build/demo

distclean:
	rm -rf build
