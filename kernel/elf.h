// The parts of the ELF64 format exec() reads (System V gABI; RISC-V psABI
// for the machine number).
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H
#include "types.h"

#define ELF_MAGIC      0x464C457FU     // "\x7fELF", little-endian
#define ELF_CLASS64    2               // e_ident[4]
#define ELF_DATA_LE    1               // e_ident[5]
#define ELF_TYPE_EXEC  2               // e_type
#define ELF_MACH_RISCV 243             // e_machine

struct elf64_ehdr {
	uint32 magic;           // e_ident[0..3]
	uint8 class;            // e_ident[4]
	uint8 data;             // e_ident[5]
	uint8 ident_rest[10];
	uint16 type;
	uint16 machine;
	uint32 version;
	uint64 entry;
	uint64 phoff;
	uint64 shoff;
	uint32 flags;
	uint16 ehsize;
	uint16 phentsize;
	uint16 phnum;
	uint16 shentsize;
	uint16 shnum;
	uint16 shstrndx;
};

#define ELF_PT_LOAD 1
#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

struct elf64_phdr {
	uint32 type;
	uint32 flags;
	uint64 off;
	uint64 vaddr;
	uint64 paddr;
	uint64 filesz;
	uint64 memsz;
	uint64 align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header is 56 bytes");

#endif
