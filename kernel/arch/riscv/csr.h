#ifndef CSR_H
#define CSR_H
#include <stdint.h>
#define csr_read(csr) ({ uint64_t __v; __asm__ volatile("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" :: "rK"((uint64_t)(v)) : "memory")
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" :: "rK"((uint64_t)(v)) : "memory")
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" :: "rK"((uint64_t)(v)) : "memory")

#define SSTATUS_SIE  (1ul << 1)
#define SSTATUS_SPIE (1ul << 5)
#define SSTATUS_SPP  (1ul << 8)
#define SSTATUS_FS_INITIAL (1ul << 13)
#define SSTATUS_FS   (3ul << 13)
#define SSTATUS_SUM  (1ul << 18)

#define SIE_SSIE (1ul << 1)
#define SIE_STIE (1ul << 5)
#define SIE_SEIE (1ul << 9)

#define SCAUSE_INTR (1ul << 63)
#define IRQ_S_SOFT  1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT   9
#define EXC_INST_MISALIGNED 0
#define EXC_INST_ACCESS     1
#define EXC_ILLEGAL         2
#define EXC_BREAKPOINT      3
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS     5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS    7
#define EXC_ECALL_U         8
#define EXC_INST_PAGE       12
#define EXC_LOAD_PAGE       13
#define EXC_STORE_PAGE      15

/* Sstc's S-mode timer compare, CSR 0x14d (by number: older assemblers lack the name) */
#define csr_write_stimecmp(v) __asm__ volatile("csrw 0x14d, %0" :: "r"((uint64_t)(v)) : "memory")

#define SATP_SV39 (8ul << 60)
#endif
