// The PLIC ("riscv,plic0", SiFive layout): a priority word per source, and
// per context an enable bitmap, a threshold and a claim/complete register.
// A machine may have more than one: QEMU virt gives each NUMA socket its
// own, wires the UART to the first and virtio to the second, and numbers
// each one's contexts from 0 for its own harts. So the PLICs, and the hart
// behind each S-mode context (entry i of "interrupts-extended" is context
// i: <hart's interrupt controller, cause>, cause 9 = S-mode external), are
// read from the device tree; if that yields nothing, bootinfo's PLIC with
// QEMU's single-PLIC numbering (hart h: context 2h+1) is used instead.
// Every registered source gets priority 1 and is enabled on every PLIC for
// every hart (threshold 0), so any hart may claim it.
//
// QEMU 7.2 wires a second socket's PLIC wrongly: on virt with two NUMA
// nodes of one hart each, the context that the device tree calls hart 1's
// M-mode context raises hart 1's S-mode external interrupt, and the one
// it calls S-mode raises none (docs/quirks.md). So on every PLIC but the
// first, the M-mode contexts of our harts are enabled too, and a hart
// that takes an external interrupt claims from every context of every
// PLIC, whichever hart the device tree says it belongs to.
#include "console.h"
#include "kvm.h"
#include "libfdt.h"
#include "mminit.h"
#include "plic.h"
#include "riscv.h"
#include "smp.h"
#include "spinlock.h"

#define PLIC_PRIORITY(irq)   (4UL * (irq))
#define PLIC_ENABLE(ctx)     (0x2000UL + 0x80UL * (ctx))
#define PLIC_THRESHOLD(ctx)  (0x200000UL + 0x1000UL * (ctx))
#define PLIC_CLAIM(ctx)      (0x200004UL + 0x1000UL * (ctx))
#define PLIC_MAX_SOURCES     1024       // the register layout's limit
#define PLIC_MAX             4
#define IRQ_S_EXTERNAL       9          // the causes in interrupts-extended
#define IRQ_M_EXTERNAL       11

struct plic {
	uint64_t base;
	uint32_t ndev;
	int nctx;
	struct { uint64_t hartid; uint32_t ctx; } ctx[2 * NCPU];   // the contexts we use
};

static struct plic plics[PLIC_MAX];
static int nplics;
static uint32_t max_ndev;
static void (*handlers[PLIC_MAX_SOURCES])(void);
static struct spinlock plic_lock = { .name = "plic" };

static volatile uint32_t *reg(const struct plic *pl, uint64_t off)
{
	return (volatile uint32_t *)(pl->base + off);
}

static int known_hart(uint64_t hartid)
{
	for (int i = 0; i < ncpu; i++)
		if (cpus[i]->hartid == hartid)
			return 1;
	return 0;
}

static uint64_t read_cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

// The hart whose interrupt controller has this phandle, or -1.
static int64_t hart_of_intc(const void *fdt, uint32_t phandle)
{
	int len, intc = fdt_node_offset_by_phandle(fdt, phandle);
	int cpu = intc >= 0 ? fdt_parent_offset(fdt, intc) : -1;
	const fdt32_t *r = cpu >= 0 ? fdt_getprop(fdt, cpu, "reg", &len) : 0;
	if (!r || (len != 4 && len != 8))
		return -1;
	return (int64_t)read_cells(r, len / 4);
}

// Add the PLIC at node; *size gets its register window's size.
static void add_plic(const void *fdt, int node, uint64_t *size)
{
	int len, parent = fdt_parent_offset(fdt, node);
	int ac = parent >= 0 ? fdt_address_cells(fdt, parent) : -1;
	int sc = parent >= 0 ? fdt_size_cells(fdt, parent) : -1;
	const fdt32_t *r = fdt_getprop(fdt, node, "reg", &len);
	if (!r || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len < (ac + sc) * 4)
		return;
	const fdt32_t *nd = fdt_getprop(fdt, node, "riscv,ndev", &len);
	if (!nd || len != 4)
		return;
	// Each hart's interrupt controller has #interrupt-cells = 1 on RISC-V,
	// so every entry is two cells.
	const fdt32_t *ie = fdt_getprop(fdt, node, "interrupts-extended", &len);
	if (!ie || len % 8)
		return;

	struct plic *pl = &plics[nplics];
	pl->base = read_cells(r, ac);
	*size = read_cells(r + ac, sc);
	pl->ndev = fdt32_to_cpu(nd[0]);
	if (pl->ndev >= PLIC_MAX_SOURCES)
		pl->ndev = PLIC_MAX_SOURCES - 1;
	pl->nctx = 0;
	for (int i = 0; i < len / 8 && pl->nctx < 2 * NCPU; i++) {
		uint32_t cause = fdt32_to_cpu(ie[2 * i + 1]);
		if (cause != IRQ_S_EXTERNAL && (cause != IRQ_M_EXTERNAL || nplics == 0))
			continue;
		int64_t hart = hart_of_intc(fdt, fdt32_to_cpu(ie[2 * i]));
		if (hart < 0 || !known_hart(hart))
			continue;
		pl->ctx[pl->nctx].hartid = hart;
		pl->ctx[pl->nctx].ctx = i;
		pl->nctx++;
	}
	if (pl->nctx)
		nplics++;
}

static void read_plics(const struct bootinfo *bi)
{
	const void *fdt = mm_devicetree();      // paging is on: maybe a copy
	if (!fdt || fdt_check_header(fdt) != 0)
		return;
	int depth = 0;
	for (int node = fdt_next_node(fdt, -1, &depth); node >= 0 && nplics < PLIC_MAX;
	     node = fdt_next_node(fdt, node, &depth)) {
		if (fdt_node_check_compatible(fdt, node, "riscv,plic0") != 0 &&
		    fdt_node_check_compatible(fdt, node, "sifive,plic-1.0.0") != 0)
			continue;
		uint64_t size = 0;
		int before = nplics;
		add_plic(fdt, node, &size);
		// The boot map covers bootinfo's PLIC only; map the others.
		if (nplics > before && plics[before].base != bi->plic.base)
			kvm_map_late(plics[before].base, size, PTE_R | PTE_W);
	}
}

void plic_init(const struct bootinfo *bi)
{
	if (!bi->plic.present)
		panic("plic: the device tree names no interrupt controller");
	read_plics(bi);
	if (nplics == 0) {
		struct plic *pl = &plics[nplics++];
		pl->base = bi->plic.base;
		pl->ndev = bi->plic_ndev < PLIC_MAX_SOURCES ? bi->plic_ndev : PLIC_MAX_SOURCES - 1;
		for (int i = 0; i < ncpu; i++) {
			pl->ctx[pl->nctx].hartid = cpus[i]->hartid;
			pl->ctx[pl->nctx].ctx = 2 * cpus[i]->hartid + 1;
			pl->nctx++;
		}
	}
	sfence_vma();
	for (int p = 0; p < nplics; p++)
		if (plics[p].ndev > max_ndev)
			max_ndev = plics[p].ndev;
}

// Set source irq in the enable bitmap of context ctx.
static void set_enable(const struct plic *pl, uint32_t ctx, uint32_t irq)
{
	volatile uint32_t *w = reg(pl, PLIC_ENABLE(ctx) + 4 * (irq / 32));
	*w |= 1u << (irq % 32);
}

void plicinithart(void)
{
	uint64_t hart = r_tp();
	acquire(&plic_lock);
	for (int p = 0; p < nplics; p++) {
		struct plic *pl = &plics[p];
		for (int c = 0; c < pl->nctx; c++) {
			if (pl->ctx[c].hartid != hart)
				continue;
			for (uint32_t irq = 1; irq <= pl->ndev; irq++)
				if (handlers[irq])
					set_enable(pl, pl->ctx[c].ctx, irq);
			*reg(pl, PLIC_THRESHOLD(pl->ctx[c].ctx)) = 0;
		}
	}
	release(&plic_lock);
	w_sie(r_sie() | SIE_SEIE);
}

void plic_enable(uint32_t irq, void (*handler)(void))
{
	if (!nplics)
		panic("plic: plic_enable(%u) before plic_init", irq);
	if (irq == 0 || irq > max_ndev)
		panic("plic: source %u is outside 1..%u", irq, max_ndev);
	acquire(&plic_lock);
	if (handlers[irq] && handlers[irq] != handler)
		panic("plic: source %u already has a handler", irq);
	handlers[irq] = handler;
	// The device tree says which PLIC the device is wired to, but enabling
	// the source on all of them is simpler and harmless: an unwired source
	// never fires. Harts that ran plicinithart already get it here too.
	for (int p = 0; p < nplics; p++) {
		struct plic *pl = &plics[p];
		if (irq > pl->ndev)
			continue;
		*reg(pl, PLIC_PRIORITY(irq)) = 1;
		for (int c = 0; c < pl->nctx; c++)
			set_enable(pl, pl->ctx[c].ctx, irq);
	}
	release(&plic_lock);
}

int plic_dispatch(void)
{
	int handled = 0;
	for (int p = 0; p < nplics; p++) {
		struct plic *pl = &plics[p];
		for (int c = 0; c < pl->nctx; c++) {
			uint32_t irq;
			// 0: nothing pending here, or another hart claimed it first.
			while ((irq = *reg(pl, PLIC_CLAIM(pl->ctx[c].ctx))) != 0) {
				void (*h)(void) = irq < PLIC_MAX_SOURCES ? handlers[irq] : 0;
				if (h)
					h();
				else
					printf("plic: interrupt from source %u, which has no handler\n", irq);
				*reg(pl, PLIC_CLAIM(pl->ctx[c].ctx)) = irq;  // complete
				handled = 1;
			}
		}
	}
	return handled;
}
