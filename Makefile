# A RISC-V microkernel and its servers.  `make run` boots it, `make test` tests it.
#   PLATFORM=virt|sifive_u   BOOT=direct|uboot   SMP=N
PLATFORM ?= virt
BOOT     ?= direct
SMP      ?=

include build.mk

RUN := scripts/run-qemu.sh --platform $(PLATFORM) --boot $(BOOT) $(if $(SMP),--smp $(SMP))

.PHONY: all sdk ports test-files deps run test bench lockstat gdb host-test guest-test fuzz fu740-image clean
all: deps $(B)/kernel.elf $(B)/kernel.bin

deps:
	@scripts/deps.sh

# headers, libraries and riscv64-rvix-gcc for programs of one's own (README "Your own program")
sdk: deps $(SDK)/.stamp

# the Debian source packages in ports/, built with the SDK (they go into the boot archive)
ports: deps $(PORT_STAMPS)

$(B)/uboot-disk.img: $(B)/kernel.bin scripts/mkbootdisk.sh
	scripts/mkbootdisk.sh $< $@

# an SD card for the HiFive Unmatched (never booted on a board: platform/sifive-fu740/README.md)
fu740-image: $(B)/fu740-sdcard.img
$(B)/fu740-sdcard.img: $(B)/kernel.bin platform/sifive-fu740/mksdcard.sh scripts/mkbootdisk.sh
	platform/sifive-fu740/mksdcard.sh $< $@

run: all $(if $(filter uboot,$(BOOT)),$(B)/uboot-disk.img)
	$(RUN)

gdb: all
	scripts/gdb.sh --platform $(PLATFORM) $(if $(SMP),--smp $(SMP))

bench: all
	@B=$(B) scripts/bench.sh

# the longest the kernel lock is held while the test suites run (a LOCK_STATS kernel, -icount)
lockstat: deps
	@B=$(B) scripts/lockstat.sh

# long fuzz passes: N calls per run, one boot per seed x SMP x UID(S); OPTS: fuzzer options
# (docs/fuzz.md), e.g. OPTS="avoid known" or "mem block"
fuzz: all
	@B=$(B) N="$(or $(N),1000000)" SEEDS="$(or $(SEEDS),1 2 3)" SMP="$(or $(SMP),1 4)" \
		UIDS="$(or $(UIDS),$(UID),1000 0)" OPTS="$(OPTS)" scripts/fuzz.sh

host-test: deps
	@scripts/host-tests.sh

# the tests' image has FILES=$(TEST_FILES): SDK-built programs under /usr/local
test guest-test: FILES = $(TEST_FILES)
test-files: deps $(SDK)/.stamp $(TEST_FILES)/bin/sdkcheck

guest-test: test-files all $(B)/uboot-disk.img
	@B=$(B) scripts/guest-tests.sh

# everything; the last line is the total over host and guest tests
test: test-files all $(B)/uboot-disk.img
	@mkdir -p $(B)/test-logs
	@{ scripts/host-tests.sh; B=$(B) scripts/guest-tests.sh; } 2>&1 | tee $(B)/test-logs/all.log
	@test/guest/sum-results.sh $(B)/test-logs/all.log

clean:
	rm -rf $(B)
