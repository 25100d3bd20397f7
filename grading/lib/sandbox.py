"""Running a submission's code, which may be broken, slow or hostile.

Every process a submission's code runs in (its build and its host tests)
goes through run(): in a session and process group of its own, with limits
on CPU time, processes, file size and core dumps, a wall-clock deadline
after which the whole group is killed, and a cap on the output kept. As
root it also runs as an unprivileged user of its own and without a
network, so it cannot read the staff tree or write the grader's files.

The user is a uid that no account has, one per grading process (65534,
"nobody", is shared by every daemon that drops to it): the per-user
process limit then counts only this submission's processes, and after
each run every process left with that uid is killed.
"""
import os
import resource
import select
import signal
import subprocess
import time

OUTPUT_CAP = 1 << 20        # bytes of output kept per process
SANDBOX_GID = 65534             # nogroup
UID_BASE = 200000      # sandbox uids are UID_BASE and up; no account has one
_uid = None


class Outcome:
    """What became of one process: status is "ok" (exit 0), "exit" (another
    exit status), "signal", "timeout" or "flood"; output is what it printed
    (stdout and stderr together), at most the cap."""

    def __init__(self, status, code, output, seconds):
        self.status, self.code, self.output, self.seconds = status, code, output, seconds

    def tail(self, n=12):
        return "\n".join(self.output.rstrip("\n").splitlines()[-n:])

    def why(self):
        """A one-line reason for an abnormal end, or ""."""
        if self.status == "timeout":
            return "did not finish within %.0f s (killed)" % self.seconds
        if self.status == "flood":
            return "printed more than %d KiB (killed)" % (OUTPUT_CAP // 1024)
        if self.status == "signal":
            return "killed by signal %s" % signal.Signals(self.code).name
        if self.status == "exit":
            return "exited with status %d" % self.code
        return ""


def sandbox_ids():
    """(uid, gid) to drop to, or None when not root. The uid is this
    process's own: GRADE_SANDBOX_UID, or one from 200000 up picked from
    the pid (grade-class gives each parallel grader its own)."""
    global _uid
    if os.getuid() != 0:
        return None
    if _uid is None:
        _uid = int(os.environ.get("GRADE_SANDBOX_UID") or UID_BASE + os.getpid() % 100000)
    return _uid, SANDBOX_GID


def kill_user(uid):
    """Kills every process that runs as uid (what a fork bomb left)."""
    for _ in range(20):
        found = False
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                if os.stat("/proc/" + pid).st_uid == uid:
                    os.kill(int(pid), signal.SIGKILL)
                    found = True
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                pass
        if not found:
            return
        time.sleep(0.05)


def give_to_sandbox(path):
    """Let the sandbox user write path (a folder the grader made) and read
    its way down to it."""
    ids = sandbox_ids()
    if ids is None:
        return
    for d, _, names in os.walk(path):
        os.chown(d, *ids)
        for n in names:
            os.chown(os.path.join(d, n), *ids, follow_symlinks=False)
    p = os.path.abspath(path)
    while p != "/":
        os.chmod(p, os.stat(p).st_mode | 0o011)   # others may pass through
        p = os.path.dirname(p)


def _limits(cpu_seconds, nproc, fsize, drop, nice):
    def apply():
        os.setsid()
        os.nice(nice)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if drop and sandbox_ids() is not None:
            # Counted per user: it binds once setpriv (below) drops to the sandbox uid.
            resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    return apply


_netns = None


def _can_unshare_net():
    global _netns
    if _netns is None:
        _netns = subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode == 0
    return _netns


def _confined(cmd):
    """cmd run as the sandbox user, and without a network when that can be
    had: the namespace must be made while still root, so setpriv drops the
    user after unshare."""
    ids = sandbox_ids()
    if ids is None:
        return list(cmd)
    drop = ["setpriv", "--reuid", str(ids[0]), "--regid", str(ids[1]), "--clear-groups", "--"]
    net = ["unshare", "--net", "--"] if _can_unshare_net() else []
    return net + drop + list(cmd)


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def run(cmd, *, cwd, timeout, stdin_path=None, env=None, cap=OUTPUT_CAP, cpu=None,
        nproc=256, fsize=256 << 20, drop=True, nice=0):
    """Runs cmd (a list) under the limits above; returns an Outcome. Never
    raises for anything the process does, and never leaves it running.
    drop=False keeps the caller's user (a student grading their own tree).
    nproc counts every process of the sandbox user, parallel graders
    included; nice lowers the process's priority (a test that spins, or
    forks until its limit, must not slow another student's QEMU run)."""
    if drop:
        cmd = _confined(cmd)
    env = env if env is not None else {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    cpu = int(cpu or timeout) + 1
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    start = time.monotonic()
    try:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=stdin, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, preexec_fn=_limits(cpu, nproc, fsize, drop, nice))
    finally:
        if stdin_path:
            stdin.close()
    chunks, size, status = [], 0, None
    fd = proc.stdout.fileno()
    try:
        while True:
            left = start + timeout - time.monotonic()
            if left <= 0:
                status = "timeout"
                break
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if not ready:
                continue
            data = os.read(fd, 65536)
            if not data:
                break
            chunks.append(data)
            size += len(data)
            if size > cap:
                status = "flood"
                break
        if not status:
            # Output closed; the process may still be running with it shut.
            try:
                proc.wait(timeout=max(0.1, start + timeout - time.monotonic()))
            except subprocess.TimeoutExpired:
                status = "timeout"
    finally:
        if status or proc.poll() is None:
            kill_group(proc)
        # A child that inherited the pipe may still run: end the group,
        # and anything else the sandbox user still runs.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if drop and sandbox_ids() is not None:
            kill_user(sandbox_ids()[0])
        proc.stdout.close()
    out = b"".join(chunks)[:cap].decode("utf-8", "replace")
    seconds = time.monotonic() - start
    if status:
        return Outcome(status, None, out, seconds)
    if proc.returncode < 0:
        return Outcome("signal", -proc.returncode, out, seconds)
    return Outcome("ok" if proc.returncode == 0 else "exit", proc.returncode, out, seconds)
