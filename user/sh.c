// sh: the shell. Reads a line, splits it into tokens, parses the tokens
// into a tree, and runs the tree:
//
//   list     := pipeline { (';' | '&') pipeline }    ('&' runs in background)
//   pipeline := command { '|' command }
//   command  := '(' list ')' { redir }  |  { word | redir }
//   redir    := '<' word  |  '>' word  |  '>>' word
//
// Words may be quoted with '...' or "..."; '#' starts a comment. The shell
// itself runs lists and the builtins (cd, exit), so `mkdir d; cd d` works;
// everything else runs in children. The prompt "$ " goes to fd 2, and only
// when the input is a device (the console), so `sh < script` is quiet.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/param.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define MAXLINE  512
#define MAXTOK   128
#define MAXNODES 64
#define MAXREDIR 4

// ---- tokens ------------------------------------------------------------

enum { T_END, T_WORD, T_PIPE, T_IN, T_OUT, T_APPEND, T_SEMI, T_AMP, T_LP, T_RP };

struct token {
	int type;
	char *word;             // T_WORD: the unquoted text, in words[]
};

static struct token toks[MAXTOK + 1];
static int ntok, pos;
static char words[MAXLINE * 2];
static const char *error;   // the first syntax error of the line

#define OPS "|<>;&()"       // in the order of kind[] in lex()

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v';
}

// Splits line into toks[], ending with T_END. Returns 0 or -1 (error set).
static int
lex(const char *s)
{
	char *w = words, quote;
	const char *op;

	ntok = 0;
	for (;;) {
		while (is_blank(*s))
			s++;
		if (*s == 0 || *s == '#')
			break;
		if (ntok == MAXTOK) {
			error = "too many words";
			return -1;
		}
		if ((op = strchr(OPS, *s)) != 0) {
			static const int kind[] = { T_PIPE, T_IN, T_OUT, T_SEMI, T_AMP, T_LP, T_RP };
			toks[ntok].type = kind[op - OPS];
			if (s[0] == '>' && s[1] == '>') {
				toks[ntok].type = T_APPEND;
				s++;
			}
			s++;
			ntok++;
			continue;
		}
		// A word: everything up to a blank or an operator, outside quotes.
		toks[ntok].type = T_WORD;
		toks[ntok].word = w;
		while (*s && !is_blank(*s) && !strchr(OPS, *s)) {
			if (*s == '\'' || *s == '"') {
				quote = *s++;
				while (*s && *s != quote)
					*w++ = *s++;
				if (*s != quote) {
					error = "unmatched quote";
					return -1;
				}
				s++;
			} else {
				*w++ = *s++;
			}
		}
		*w++ = 0;
		ntok++;
	}
	toks[ntok].type = T_END;
	pos = 0;
	return 0;
}

// ---- the command tree --------------------------------------------------

enum { N_EXEC, N_PIPE, N_SEQ, N_BACK, N_SUB };

struct redir {
	int fd;                 // 0 or 1
	int type;               // T_IN, T_OUT or T_APPEND
	char *file;
};

struct node {
	int type;
	struct node *left, *right;      // PIPE, SEQ: both; BACK, SUB: left
	int argc;                       // EXEC
	char *argv[MAXARG + 1];
	int nredir;                     // EXEC, SUB
	struct redir redir[MAXREDIR];
};

static struct node nodes[MAXNODES];
static int nnodes;

static struct node *
node_new(int type, struct node *left, struct node *right)
{
	struct node *n;

	if (nnodes == MAXNODES) {
		error = "command too complex";
		return 0;
	}
	n = &nodes[nnodes++];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->left = left;
	n->right = right;
	return n;
}

static int
peek(void)
{
	return toks[pos].type;
}

static struct node *parse_list(void);

// Parses redirections at pos into n. Returns 0 or -1.
static int
parse_redirs(struct node *n)
{
	int t;

	while ((t = peek()) == T_IN || t == T_OUT || t == T_APPEND) {
		pos++;
		if (peek() != T_WORD) {
			error = "missing file name after < or >";
			return -1;
		}
		if (n->nredir == MAXREDIR) {
			error = "too many redirections";
			return -1;
		}
		n->redir[n->nredir].fd = t == T_IN ? 0 : 1;
		n->redir[n->nredir].type = t;
		n->redir[n->nredir].file = toks[pos++].word;
		n->nredir++;
	}
	return 0;
}

// command: a parenthesised list or a simple command. Returns 0 if empty.
static struct node *
parse_command(void)
{
	struct node *n, *inner;

	if (peek() == T_LP) {
		pos++;
		inner = parse_list();
		if (error)
			return 0;
		if (peek() != T_RP) {
			error = "missing )";
			return 0;
		}
		pos++;
		if (inner == 0) {
			error = "empty ( )";
			return 0;
		}
		if ((n = node_new(N_SUB, inner, 0)) == 0 || parse_redirs(n) < 0)
			return 0;
		return n;
	}
	if ((n = node_new(N_EXEC, 0, 0)) == 0)
		return 0;
	for (;;) {
		if (parse_redirs(n) < 0)
			return 0;
		if (peek() != T_WORD)
			break;
		if (n->argc == MAXARG) {
			error = "too many arguments";
			return 0;
		}
		n->argv[n->argc++] = toks[pos++].word;
	}
	if (n->argc == 0 && n->nredir == 0) {
		nnodes--;               // nothing here
		return 0;
	}
	return n;
}

static struct node *
parse_pipeline(void)
{
	struct node *n, *r;

	n = parse_command();
	while (n && peek() == T_PIPE) {
		pos++;
		r = parse_command();
		if (r == 0) {
			if (!error)
				error = "missing command after |";
			return 0;
		}
		n = node_new(N_PIPE, n, r);
	}
	if (n == 0 && !error && peek() == T_PIPE)
		error = "missing command before |";
	return n;
}

static struct node *
parse_list(void)
{
	struct node *n, *rest;
	int t;

	n = parse_pipeline();
	if (error)
		return 0;
	while ((t = peek()) == T_SEMI || t == T_AMP) {
		pos++;
		if (n == 0) {
			error = "missing command before ; or &";
			return 0;
		}
		if (t == T_AMP && (n = node_new(N_BACK, n, 0)) == 0)
			return 0;
		rest = parse_pipeline();
		if (error)
			return 0;
		if (rest)
			n = node_new(N_SEQ, n, rest);
	}
	return n;
}

// Parses the whole line. Returns the tree, 0 for an empty line or an error.
static struct node *
parse(const char *line)
{
	struct node *n;

	error = 0;
	nnodes = 0;
	if (lex(line) < 0)
		return 0;
	n = parse_list();
	if (!error && peek() != T_END)
		error = peek() == T_RP ? "unexpected )" : "unexpected token";
	return error ? 0 : n;
}

// ---- running -----------------------------------------------------------

static int run(struct node *n);

// Waits for the child pid; returns its exit status (-1 if it is not ours).
static int
wait_for(int pid)
{
	int got, status;

	while ((got = wait(&status)) >= 0)
		if (got == pid)
			return status;
	return -1;
}

// Redirects fd to the named file. Returns 0 or -1 (reported).
static int
redirect(struct redir *r)
{
	char skip[128];
	int fd, mode;

	mode = r->type == T_IN ? O_RDONLY :
	       r->type == T_OUT ? O_WRONLY | O_CREATE | O_TRUNC : O_RDWR | O_CREATE;
	if ((fd = open(r->file, mode)) < 0) {
		fprintf(2, "sh: cannot open %s\n", r->file);
		return -1;
	}
	if (r->type == T_APPEND)        // no lseek: read to the end instead
		while (read(fd, skip, sizeof(skip)) > 0)
			;
	if (fd != r->fd) {
		close(r->fd);
		if (dup(fd) != r->fd) {
			fprintf(2, "sh: cannot redirect to %s\n", r->file);
			return -1;
		}
		close(fd);
	}
	return 0;
}

// Runs a builtin in this process. Returns 1 if argv[0] was one, else 0.
static int
builtin(struct node *n, int *status)
{
	const char *dir;

	if (strcmp(n->argv[0], "cd") == 0) {
		dir = n->argc > 1 ? n->argv[1] : "/";
		*status = chdir(dir) < 0;
		if (*status)
			fprintf(2, "cannot cd %s\n", dir);
		return 1;
	}
	if (strcmp(n->argv[0], "exit") == 0)
		exit(n->argc > 1 ? atoi(n->argv[1]) : 0);
	return 0;
}

// Starts a program; only returns if it cannot. A bare name is also looked
// up in / so that programs run from any directory.
static void
exec_program(char **argv)
{
	char path[MAXPATH];

	exec(argv[0], argv);
	if (argv[0][0] != '/' && strlen(argv[0]) + 2 <= sizeof(path)) {
		path[0] = '/';
		strcpy(path + 1, argv[0]);
		exec(path, argv);
	}
	fprintf(2, "exec %s failed\n", argv[0]);
}

// Runs n in this process, which is a child: never returns.
static void __attribute__((noreturn))
run_here(struct node *n)
{
	int p[2], left, right = -1, status, st, i;

	switch (n->type) {
	case N_EXEC:
		for (i = 0; i < n->nredir; i++)
			if (redirect(&n->redir[i]) < 0)
				exit(1);
		if (n->argc == 0)
			exit(0);
		if (builtin(n, &status))
			exit(status);
		exec_program(n->argv);
		exit(1);
	case N_SUB:
		for (i = 0; i < n->nredir; i++)
			if (redirect(&n->redir[i]) < 0)
				exit(1);
		exit(run(n->left));
	case N_PIPE:
		if (pipe(p) < 0) {
			fprintf(2, "sh: pipe failed\n");
			exit(1);
		}
		if ((left = fork()) == 0) {
			close(1);
			dup(p[1]);
			close(p[0]);
			close(p[1]);
			run_here(n->left);
		}
		if (left > 0 && (right = fork()) == 0) {
			close(0);
			dup(p[0]);
			close(p[0]);
			close(p[1]);
			run_here(n->right);
		}
		close(p[0]);
		close(p[1]);
		if (left < 0 || right < 0) {
			fprintf(2, "sh: fork failed\n");
			while (wait(0) >= 0)
				;
			exit(1);
		}
		// The status of a pipeline is that of its last command.
		status = -1;
		for (i = 0; i < 2; i++)
			if (wait(&st) == right)
				status = st;
		exit(status);
	default:
		exit(run(n));
	}
}

// Runs n and waits for it, except for background parts. Returns the status.
static int
run(struct node *n)
{
	int pid, status;

	switch (n->type) {
	case N_SEQ:
		run(n->left);
		return run(n->right);
	case N_EXEC:
		if (n->argc > 0 && n->nredir == 0 && builtin(n, &status))
			return status;
		break;
	case N_BACK:
		// A child starts the job and exits at once; the orphaned job is
		// then init's to reap, and the shell has no zombie to collect.
		if ((pid = fork()) == 0) {
			if ((pid = fork()) == 0)
				run_here(n->left);
			exit(pid < 0);
		}
		if (pid < 0) {
			fprintf(2, "sh: fork failed\n");
			return -1;
		}
		return wait_for(pid);
	}
	if ((pid = fork()) < 0) {
		fprintf(2, "sh: fork failed\n");
		return -1;
	}
	if (pid == 0)
		run_here(n);
	return wait_for(pid);
}

// ---- the main loop -----------------------------------------------------

// Reads one line from fd, byte by byte so that whatever follows is left for
// the commands. Returns its length, -1 at end of input, -2 if too long.
static int
read_line(int fd, char *buf, int max)
{
	int n = 0, too_long = 0;
	char c;

	for (;;) {
		if (read(fd, &c, 1) != 1) {
			if (n == 0 && !too_long)
				return -1;
			break;
		}
		if (c == '\n')
			break;
		if (n + 1 < max)
			buf[n++] = c;
		else
			too_long = 1;
	}
	buf[n] = 0;
	return too_long ? -2 : n;
}

int
main(int argc, char *argv[])
{
	static char line[MAXLINE];
	struct node *tree;
	struct stat st;
	int in = 0, fd, interactive, n;

	// Make sure fds 0, 1 and 2 are open, on the console if nothing else.
	while ((fd = open("console", O_RDWR)) >= 0) {
		if (fd >= 3) {
			close(fd);
			break;
		}
	}
	if (argc > 1 && (in = open(argv[1], O_RDONLY)) < 0) {
		fprintf(2, "sh: cannot open %s\n", argv[1]);
		return 1;
	}
	interactive = fstat(in, &st) == 0 && st.type == T_DEVICE;

	for (;;) {
		if (interactive)
			fprintf(2, "$ ");
		n = read_line(in, line, sizeof(line));
		if (n == -1)
			break;
		if (n == -2) {
			fprintf(2, "sh: line too long\n");
			continue;
		}
		tree = parse(line);
		if (error) {
			fprintf(2, "sh: syntax error: %s\n", error);
			continue;
		}
		if (tree)
			run(tree);
	}
	return 0;
}
