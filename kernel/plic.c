// The PLIC ("riscv,plic0", SiFive layout): a priority word per source, and
// per context an enable bitmap, a threshold and a claim/complete register.
// QEMU virt gives each hart two contexts, M-mode (2h) and S-mode (2h + 1);
// we use the S-mode one. Every source gets priority 1 and every hart
// threshold 0, so any hart may claim any enabled source.
#include "console.h"
#include "plic.h"
#include "riscv.h"
#include "smp.h"
#include "spinlock.h"

#define PLIC_PRIORITY(irq)   (4UL * (irq))
#define PLIC_ENABLE(ctx)     (0x2000UL + 0x80UL * (ctx))
#define PLIC_THRESHOLD(ctx)  (0x200000UL + 0x1000UL * (ctx))
#define PLIC_CLAIM(ctx)      (0x200004UL + 0x1000UL * (ctx))
#define PLIC_MAX_SOURCES     1024       // the register layout's limit

static uint64_t plic_base;
static uint32_t plic_ndev;
static void (*handlers[PLIC_MAX_SOURCES])(void);
static struct spinlock plic_lock = { .name = "plic" };

static volatile uint32_t *reg(uint64_t off)
{
	return (volatile uint32_t *)(plic_base + off);
}

static uint64_t s_context(uint64_t hartid)
{
	return 2 * hartid + 1;
}

void plic_init(const struct bootinfo *bi)
{
	if (!bi->plic.present)
		panic("plic: the device tree names no interrupt controller");
	plic_base = bi->plic.base;
	plic_ndev = bi->plic_ndev < PLIC_MAX_SOURCES ? bi->plic_ndev : PLIC_MAX_SOURCES - 1;
}

// Set source irq in the enable bitmap of hartid's S context.
static void set_enable(uint64_t hartid, uint32_t irq)
{
	volatile uint32_t *w = reg(PLIC_ENABLE(s_context(hartid)) + 4 * (irq / 32));
	*w |= 1u << (irq % 32);
}

void plic_init_hart(void)
{
	uint64_t hart = r_tp();
	acquire(&plic_lock);
	for (uint32_t irq = 1; irq <= plic_ndev; irq++)
		if (handlers[irq])
			set_enable(hart, irq);
	*reg(PLIC_THRESHOLD(s_context(hart))) = 0;
	release(&plic_lock);
	w_sie(r_sie() | SIE_SEIE);
}

void plic_enable(uint32_t irq, void (*handler)(void))
{
	if (!plic_base)
		panic("plic: plic_enable(%u) before plic_init", irq);
	if (irq == 0 || irq > plic_ndev)
		panic("plic: source %u is outside 1..%u", irq, plic_ndev);
	acquire(&plic_lock);
	if (handlers[irq] && handlers[irq] != handler)
		panic("plic: source %u already has a handler", irq);
	handlers[irq] = handler;
	*reg(PLIC_PRIORITY(irq)) = 1;
	// Harts that ran plic_init_hart already would not see this source:
	// enable it in every hart's context now.
	for (int i = 0; i < ncpu; i++)
		set_enable(cpus[i]->hartid, irq);
	release(&plic_lock);
}

int plic_dispatch(void)
{
	uint64_t ctx = s_context(r_tp());
	uint32_t irq = *reg(PLIC_CLAIM(ctx));
	if (irq == 0)
		return 0;       // another hart claimed it first
	void (*h)(void) = irq < PLIC_MAX_SOURCES ? handlers[irq] : 0;
	if (h)
		h();
	else
		printf("plic: interrupt from source %u, which has no handler\n", irq);
	*reg(PLIC_CLAIM(ctx)) = irq;    // complete: the source may interrupt again
	return 1;
}
