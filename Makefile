# SPDX-License-Identifier: GPL-2.0
# pagehint: every entry point. All targets install what they need (scripts/install-deps.sh).
#   make check   - the test suite (CI runs exactly this)
#   make demo    - build, boot, show what the frontend negotiated and the counters move
# Building blocks: deps fetch prepare config build initramfs boot (SCENARIO=base) qemu sparse
# checkpatch qemu-checkpatch coccicheck compile-gate test-harness cocci-fixtures bench series
# bisect-check clean

PROFILE ?= test
SCENARIO ?= base
S := scripts

.PHONY: check demo deps fetch prepare config build initramfs boot qemu sparse checkpatch \
	qemu-checkpatch coccicheck compile-gate test-harness cocci-fixtures bench series bisect-check \
	clean distclean

check:
	@bash $(S)/check.sh

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

test-harness: prepare
	@bash $(S)/test-harness.sh

cocci-fixtures: deps
	@bash $(S)/test-cocci-fixtures.sh

bench:
	@bash $(S)/bench.sh

series: fetch
	@bash $(S)/export-series.sh

bisect-check: fetch
	@bash $(S)/bisect-check.sh

clean:
	rm -rf build/out-* build/logs build/bench

distclean:
	rm -rf build
