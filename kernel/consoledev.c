// The console device. Input arrives one character at a time from the UART
// interrupt and collects in a ring buffer where the current line can be
// edited; read() gets only whole lines (or what ^D ends). Output is the
// polled UART that printf uses too; one write() goes out whole, so two
// processes' writes never mix (printf in user/ makes a line one write),
// and writers take their turns in order.
//   backspace/DEL  erase a character    ^U  erase the line
//   ^D  end of file (at the start of a line)  ^P  list the processes
#include "bootreport.h"
#include "console.h"
#include "consoledev.h"
#include "file.h"
#include "proc.h"
#include "report.h"
#include "spinlock.h"

#define CTRL(x) ((x) - '@')
#define INPUT_SIZE 128

// Three free-running indices into buf: [r, w) is ready for read(),
// [w, e) is the line still being edited.
static struct {
	struct spinlock lock;
	char buf[INPUT_SIZE];
	uint r;                 // next to read
	uint w;                 // end of the lines read() may take
	uint e;                 // end of what has been typed
} cons;

// Turns at the console's output, one whole write() each, in the order the
// writers came: a process that writes without pause cannot keep the shell
// from ever printing its prompt, as it could with a plain sleeplock, which
// the releasing writer could take again before the woken one ran.
static struct {
	struct spinlock lock;
	uint next;              // the ticket the next writer takes
	uint serving;           // the ticket whose write goes out now
} turns;

static void output_take_turn(void)
{
	acquire(&turns.lock);
	uint mine = turns.next++;
	while (turns.serving != mine)
		sleep(&turns, &turns.lock);
	release(&turns.lock);
}

static void output_end_turn(void)
{
	acquire(&turns.lock);
	turns.serving++;
	wakeup(&turns);
	release(&turns.lock);
}

static void erase_echo(void)
{
	console_putc('\b');
	console_putc(' ');
	console_putc('\b');
}

void consoleintr(int c)
{
	int dump = 0;

	acquire(&cons.lock);
	switch (c) {
	case CTRL('P'):
		dump = 1;       // after the lock: procdump prints a lot
		break;
	case CTRL('U'):
		while (cons.e != cons.w && cons.buf[(cons.e - 1) % INPUT_SIZE] != '\n') {
			cons.e--;
			erase_echo();
		}
		break;
	case '\b':
	case 0x7f:
		if (cons.e != cons.w) {
			cons.e--;
			erase_echo();
		}
		break;
	default:
		if (c == 0 || cons.e - cons.r >= INPUT_SIZE)
			break;  // full: the character is dropped
		if (c == '\r')
			c = '\n';
		if (c != CTRL('D'))
			console_putc(c);
		cons.buf[cons.e++ % INPUT_SIZE] = (char)c;
		if (c == '\n' || c == CTRL('D') || cons.e - cons.r == INPUT_SIZE) {
			cons.w = cons.e;
			wakeup(&cons.r);
		}
		break;
	}
	release(&cons.lock);
	if (dump)
		procdump();
}

// Read up to n bytes of typed input into dst, waiting for a line. Return:
// the bytes read (0 for ^D at the start of a line), or -1 if the process
// is killed while waiting or dst is bad before anything was copied.
static int consoleread(int user_dst, uint64 dst, int n)
{
	int done = 0;

	boot_mark(BR_MARK_PROMPT);      // the first read is the shell's, at "$ "
	acquire(&cons.lock);
	while (done < n) {
		while (cons.r == cons.w) {
			if (killed(myproc())) {
				release(&cons.lock);
				return -1;
			}
			sleep(&cons.r, &cons.lock);
		}
		char c = cons.buf[cons.r % INPUT_SIZE];
		if (c == CTRL('D')) {
			// End of file. After some bytes, leave the ^D for the
			// next read, so that it returns 0.
			if (done == 0)
				cons.r++;
			break;
		}
		if (either_copyout(user_dst, dst + done, &c, 1) < 0) {
			if (done == 0)
				done = -1;
			break;
		}
		cons.r++;
		done++;
		if (c == '\n')
			break;
	}
	release(&cons.lock);
	return done;
}

// Write n bytes from src to the UART, copied in a few at a time. Return:
// n, or the bytes written before a piece of src was bad (-1 if none were).
static int consolewrite(int user_src, uint64 src, int n)
{
	char piece[64];
	int done = 0;

	output_take_turn();
	while (done < n) {
		int m = n - done < (int)sizeof(piece) ? n - done : (int)sizeof(piece);
		if (either_copyin(piece, user_src, src + done, m) < 0)
			break;
		for (int i = 0; i < m; i++)
			console_putc(piece[i]);
		done += m;
	}
	output_end_turn();
	return done == 0 && n > 0 ? -1 : done;
}

void console_init(const struct bootinfo *bi)
{
	initlock(&cons.lock, "cons");
	initlock(&turns.lock, "console output");
	devsw[CONSOLE].read = consoleread;
	devsw[CONSOLE].write = consolewrite;
	if (bi->uart.present && bi->uart.irq)
		uart_rx_start(bi->uart.irq);
	else
		printf("console: no UART interrupt; console input is off\n");
}
