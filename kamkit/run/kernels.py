"""Kernels for batch runs: forked from a warm template, connected over IPC.

Two costs dominate a short notebook (``../shared/perf-notes.md`` measured them): starting
a kernel and importing pandas, matplotlib and kamkit in it, about 80% of the run. And
when many kernels start at once, TCP port collisions ("Address already in use") and
start time-outs appear (papermill issue #511).

This module removes both on Linux:

* A **fork server** is a template process that has imported the notebooks' modules once.
  Each kernel is a ``fork()`` of it that then becomes an ordinary IPython kernel with a
  fresh, empty namespace: isolation is that of separate processes, as before, but the
  imports are already in memory (copy-on-write) instead of being paid per notebook.
* Kernels talk to their client over **IPC** (Unix domain sockets) in a private folder,
  so there are no ports to collide.

Elsewhere (macOS, Windows) :func:`kernel_manager` falls back to jupyter_client's normal
launcher (IPC where the platform has Unix sockets), so a batch run still works, only
slower. Nothing here is a scheduler: what runs when is decided by a process pool or by
Dask (:mod:`kamkit.run.batch`).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from kamkit.exceptions import KamkitError

__all__ = ["ForkServer", "ForkClient", "ForkServerUnavailable", "kernel_manager",
           "running_kernel", "fork_supported", "die_with_parent", "safe_environment",
           "DEFAULT_PRELOAD"]

#: Modules every kamkit notebook imports; a fork server loads them once.
DEFAULT_PRELOAD: tuple[str, ...] = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",  # imported by every kernel at start (debugpy: ~0.1 s)
    "IPython.core.interactiveshell",
    "matplotlib_inline.backend_inline",
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "kamkit",
    "ipywidgets",  # the plan's SMART checker (~0.1 s)
)

# Kernel options for batch runs: no history database (every kernel would open the same
# SQLite file in the user's home and lock it), and the kernel's folder is not put on the
# module path (a notebook imports kamkit and libraries, never a file lying next to it).
KERNEL_ARGS: tuple[str, ...] = ("--HistoryManager.enabled=False",
                                "--InteractiveShellApp.ignore_cwd=True")

#: Longest folder a kernel's IPC sockets may live in: a Unix socket path has at most
#: 107 bytes, and jupyter_client appends ``/<12 hex>-<port>``.
_MAX_SOCKET_DIR = 88


def private_folder(prefix: str = "kk-") -> str:
    """A new private folder for a run's or a kernel's sockets: in the system's temporary
    folder when its path leaves room for Unix socket names, else in ``/tmp``."""
    parent = tempfile.gettempdir()
    if len(parent) > _MAX_SOCKET_DIR - 30 and os.path.isdir("/tmp"):
        parent = "/tmp"
    return tempfile.mkdtemp(prefix=prefix, dir=parent)


def safe_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (default ``os.environ``) for a Python child that must not import from its
    working folder: ``PYTHONSAFEPATH`` keeps ``python -m``/``-c`` from putting the
    current folder first on the module path (Python 3.11+)."""
    environ = dict(os.environ if env is None else env)
    environ["PYTHONSAFEPATH"] = "1"
    return environ


def die_with_parent(sig: int = signal.SIGKILL, parent: int | None = None) -> bool:
    """Ask Linux to send ``sig`` to this process when its parent ends (kill -9 included).

    Parameters
    ----------
    sig : int
        The signal to receive.
    parent : int, optional
        The pid the parent should have; if it has another (the parent already ended and
        the process was adopted), the process exits at once.

    Returns
    -------
    bool
        False where the system has no such request (not Linux).
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    expected = os.getppid() if parent is None else parent
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, int(sig), 0, 0, 0) != 0:  # PR_SET_PDEATHSIG
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != expected:  # the parent ended before the request took effect
        os._exit(1)
    return True


class ForkServerUnavailable(KamkitError, RuntimeError):
    """The fork server cannot be used here (platform, start failure); use plain kernels."""


def fork_supported() -> bool:
    """Whether kernels can be forked from a template on this platform (Linux only)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class ForkClient:
    """Talks to a running :class:`ForkServer` over its Unix socket (one per process).

    Parameters
    ----------
    address : str
        The server's socket path (:attr:`ForkServer.address`).
    """

    def __init__(self, address: str) -> None:
        self.address = address
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._reader: Any = None

    def _connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(self.address)
        except OSError as exc:
            sock.close()
            raise ForkServerUnavailable(f"no fork server at {self.address}: {exc}") from exc
        self._sock = sock
        self._reader = sock.makefile("r", encoding="utf-8", newline="\n")

    def request(self, **message: Any) -> dict[str, Any]:
        """Send one request and return the reply (thread-safe)."""
        with self._lock:
            if self._sock is None:
                self._connect()
            try:
                self._sock.sendall((json.dumps(message) + "\n").encode("utf-8"))  # type: ignore[union-attr]
                line = self._reader.readline()
            except OSError as exc:
                self.close()
                raise ForkServerUnavailable(f"the fork server stopped answering: {exc}") \
                    from exc
            if not line:
                self.close()
                raise ForkServerUnavailable("the fork server stopped answering")
        reply = json.loads(line)
        if "error" in reply:
            raise ForkServerUnavailable(reply["error"])
        return reply

    def spawn(self, connection_file: str, cwd: str | None = None,
              env: dict[str, str] | None = None, args: Sequence[str] = KERNEL_ARGS,
              log_file: str | None = None) -> int:
        """Fork a kernel that serves ``connection_file``; return its process id."""
        reply = self.request(op="spawn", connection_file=connection_file, cwd=cwd,
                             env=env or {}, args=list(args), log_file=log_file)
        return int(reply["pid"])

    def poll(self, pid: int) -> int | None:
        """Exit status of kernel ``pid``, or ``None`` while it runs."""
        return self.request(op="poll", pid=pid)["status"]

    def close(self) -> None:
        """Close the connection (the server and its kernels go on)."""
        for thing in (self._reader, self._sock):
            if thing is not None:
                with contextlib.suppress(OSError):
                    thing.close()
        self._sock = self._reader = None


class ForkServer(ForkClient):
    """Start a warm template process that forks one kernel per request.

    Parameters
    ----------
    preload : iterable of str
        Modules to import in the template before any fork. A module that fails to
        import is skipped (listed in :attr:`skipped`); kernels then import it
        themselves, as they would without a fork server.
    env : dict, optional
        Environment of the template (and so of every kernel), default ``os.environ``.
    warm : sequence of (module, function, args)
        Calls the template makes after the imports, e.g.
        ``("kamkit.data.portfolio", "load", [path])`` so that every kernel finds the portfolio
        already loaded (:func:`kamkit.data.portfolio.load` keeps recent loads). A call that
        fails is skipped; the kernel then does the work itself.

    folder : str, optional
        The run's private folder: the template's socket and every kernel's connection
        file and sockets live in it, and it is removed when the template ends (default:
        a new temporary folder).

    Notes
    -----
    The template listens on a Unix socket (:attr:`address`), so worker processes of a
    run share it through :class:`ForkClient`. Kernels are its children; it reaps each
    as soon as it exits and answers :meth:`poll`. When its owner closes it or dies
    (kill -9 included: its stdin closes), it kills the kernels still running, removes
    the folder and exits; a kernel whose template dies is killed by the system too.
    """

    def __init__(self, preload: Iterable[str] = DEFAULT_PRELOAD,
                 env: dict[str, str] | None = None,
                 warm: Sequence[tuple[str, str, Sequence[Any]]] = (),
                 folder: str | None = None) -> None:
        if not fork_supported():
            raise ForkServerUnavailable("forking kernels needs Linux")
        self.preload = tuple(dict.fromkeys(preload))
        self._folder = folder or private_folder()
        super().__init__(os.path.join(self._folder, "fork.sock"))
        environ = safe_environment(env)
        # One BLAS thread per kernel: kernels run side by side on few cores.
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            environ.setdefault(var, "1")
        try:
            # -P: nothing is imported from the working folder. Its own process group
            # (Ctrl-C reaches the run's main process, which then closes the template)
            # but the run's session, so the run is one tree of processes.
            self._proc = subprocess.Popen(
                [sys.executable, "-P", "-m", "kamkit.run.kernels", "serve", self.address,
                 self._folder, json.dumps([list(call) for call in warm]), *self.preload],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                env=environ, text=True, process_group=0)
            ready = json.loads(self._proc.stdout.readline() or "null")  # type: ignore[union-attr]
        except (OSError, ValueError) as exc:
            raise ForkServerUnavailable(f"the fork server did not start: {exc}") from exc
        if not isinstance(ready, dict) or not ready.get("ready"):
            self.close()
            raise ForkServerUnavailable("the fork server did not start")
        self.skipped: tuple[str, ...] = tuple(ready.get("skipped", ()))

    def close(self) -> None:
        """Stop the template (kernels still running exit with it)."""
        super().close()
        proc = getattr(self, "_proc", None)
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                proc.stdin.close()  # type: ignore[union-attr]
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _ForkedProcess:
    """What jupyter_client's LocalProvisioner expects of a ``Popen``, for a forked kernel."""

    stdin = stdout = stderr = None

    def __init__(self, server: ForkClient, pid: int) -> None:
        self.server = server
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                self.returncode = self.server.poll(self.pid)
            except ForkServerUnavailable:
                # The template is gone; fall back to asking the OS whether the pid lives.
                try:
                    os.kill(self.pid, 0)
                except ProcessLookupError:
                    self.returncode = -1
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return int(self.returncode or 0)

    def send_signal(self, signum: int) -> None:
        os.killpg(self.pid, signum)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.send_signal(signal.SIGTERM)


@functools.cache
def _provisioner_class():  # noqa: ANN202 - built lazily: jupyter_client is heavy to import
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):  # type: ignore[misc]
        """Launches the kernel by asking a :class:`ForkServer` instead of ``Popen``."""

        fork_server: ForkClient | None = None

        async def launch_kernel(self, cmd: list[str], **kwargs: Any):  # noqa: ANN201
            server = self.fork_server
            assert server is not None
            km = self.parent
            env = {k: v for k, v in (kwargs.get("env") or {}).items()
                   if os.environ.get(k) != v}
            cwd = kwargs.get("cwd")
            pid = server.spawn(km.connection_file, cwd=str(cwd) if cwd else None, env=env)
            self.process = _ForkedProcess(server, pid)
            self.pid = pid
            self.pgid = pid
            self.cwd = cwd
            await _sockets_bound(km, self.process)
            return self.connection_info

        async def wait(self) -> int | None:
            """Wait for the kernel to exit (polling every 10 ms, not the stock 100 ms)."""
            import asyncio

            if self.process is None:
                return 0
            while self.process.poll() is None:
                await asyncio.sleep(0.01)
            status = self.process.returncode
            self.process = None
            return status

    return ForkProvisioner


async def _sockets_bound(km: Any, process: _ForkedProcess, timeout: float = 30.0) -> None:
    """Wait until a forked kernel has bound its IPC sockets.

    A client that connects before the kernel binds is retried by zmq only every 100 ms,
    and jupyter_client's readiness check then misses the kernel's first IOPub messages
    and waits 0.2 s more per round. Connecting after the bind makes a kernel ready as
    soon as it answers (about 0.3 s less per notebook). TCP kernels are not waited for.
    """
    import asyncio
    import time

    if km.transport != "ipc":
        return
    paths = [f"{km.ip}-{port}" for port in (km.shell_port, km.iopub_port, km.control_port)]
    deadline = time.monotonic() + timeout
    while not all(os.path.exists(p) for p in paths):
        if process.poll() is not None or time.monotonic() > deadline:
            return  # let jupyter_client report the dead or silent kernel as it does
        await asyncio.sleep(0.005)


@functools.cache
def _manager_class():  # noqa: ANN202 - built lazily: jupyter_client is heavy to import
    from jupyter_client import AsyncKernelManager

    class LocalKernelManager(AsyncKernelManager):  # type: ignore[misc]
        """jupyter_client's manager, noticing a killed local kernel's exit within 10 ms
        instead of 100 ms (its stock polling interval)."""

        async def _async_wait(self, pollinterval: float = 0.01) -> None:
            await super()._async_wait(pollinterval=min(pollinterval, 0.01))

    return LocalKernelManager


@functools.cache
def _client_class():  # noqa: ANN202 - built lazily: jupyter_client is heavy to import
    from jupyter_client.asynchronous import AsyncKernelClient

    class LocalKernelClient(AsyncKernelClient):  # type: ignore[misc]
        """jupyter_client's client, with a readiness check sized for a local kernel.

        The stock check ends by draining IOPub until 0.2 s pass without a message, so
        every kernel start costs 0.2 s of waiting; on a local socket 20 ms of silence is
        just as conclusive. Otherwise the check is the stock one.
        """

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            import asyncio
            import time
            from queue import Empty

            deadline = time.monotonic() + (timeout if timeout is not None else 1e9)
            while True:
                self.kernel_info()
                try:
                    msg = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    msg = None
                if msg is not None and msg["msg_type"] == "kernel_info_reply":
                    try:  # IOPub is connected once it delivers the kernel's status
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(msg)
                        break
                if not await self.is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
                await asyncio.sleep(0)
            while True:
                try:
                    await self.iopub_channel.get_msg(timeout=0.02)
                except Empty:
                    break

    return LocalKernelClient


def kernel_manager(fork_server: ForkClient | None = None, *, kernel_name: str = "python3",
                   runtime_dir: str | None = None) -> Any:
    """A fresh ``AsyncKernelManager`` for one notebook run.

    Parameters
    ----------
    fork_server : ForkClient, optional
        Fork the kernel from this template (a :class:`ForkServer` or a client of one);
        ``None`` launches it the usual way.
    kernel_name : str
        Kernel spec to use (its command is ignored when forking).
    runtime_dir : str, optional
        Folder for the connection file and IPC sockets (default: a new temporary
        folder; socket paths must stay short). :func:`running_kernel` makes and
        removes one per kernel.

    Returns
    -------
    jupyter_client.AsyncKernelManager
        Using IPC transport where the platform has Unix sockets, so no TCP port is ever
        involved; TCP with jupyter_client's port cache elsewhere.
    """
    folder = runtime_dir or private_folder()
    name = uuid.uuid4().hex[:12]
    options: dict[str, Any] = {"kernel_name": kernel_name,
                               "connection_file": os.path.join(folder, f"{name}.json")}
    if os.name == "posix":
        options.update(transport="ipc", ip=os.path.join(folder, name))
    km = _manager_class()(**options)
    # A kernel started the usual way (not forked) must not import from its folder either.
    km.extra_env = {"PYTHONSAFEPATH": "1"}
    km.client_factory = _client_class()
    if fork_server is not None:
        provisioner_cls = _provisioner_class()
        km.provisioner = provisioner_cls(kernel_id=name, kernel_spec=km.kernel_spec, parent=km)
        km.provisioner.fork_server = fork_server
    return km


def _kernel_folder(fork_server: ForkClient | None) -> str:
    """A new private folder for one kernel's connection file and sockets: inside the
    run's folder (next to the template's socket) when there is one and its paths stay
    short enough for Unix sockets, else in the system's temporary folder."""
    if fork_server is not None:
        parent = os.path.dirname(fork_server.address)
        if len(parent) <= _MAX_SOCKET_DIR - 9 and os.path.isdir(parent):
            return tempfile.mkdtemp(prefix="k", dir=parent)
    return private_folder()


def stop_kernel(km: Any) -> None:
    """End ``km``'s kernel process now (if it has one) and wait until it is reaped.

    papermill and nbclient leave a kernel running when they were handed its manager;
    every kernel the runner starts goes through here when its notebook ends.
    """
    from jupyter_core.utils import run_sync

    try:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - the process itself is ended below
        pass
    provisioner = getattr(km, "provisioner", None)
    process = getattr(provisioner, "process", None)
    if process is not None and process.poll() is None:
        with contextlib.suppress(OSError):
            process.kill()
        with contextlib.suppress(Exception):
            process.wait(timeout=10)
    # The connection file and sockets go with the kernel's folder (running_kernel).


@contextlib.contextmanager
def running_kernel(fork_server: ForkClient | None = None, *,
                   kernel_name: str = "python3") -> Iterator[Any]:
    """A kernel manager for one notebook; on leaving, its kernel is ended and reaped and
    its private folder (connection file, sockets) removed, whatever happened.

    Example
    -------
    >>> with running_kernel() as km:  # doctest: +SKIP
    ...     papermill.execute_notebook(src, dst, km=km)
    """
    folder = _kernel_folder(fork_server)
    try:
        km = kernel_manager(fork_server, kernel_name=kernel_name, runtime_dir=folder)
        try:
            yield km
        finally:
            stop_kernel(km)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------------------
# The template process


def _child(request: dict[str, Any], inherited: Sequence[Any]) -> None:
    """In the forked child: become a kernel serving the requested connection file."""
    try:
        for thing in inherited:  # the template's sockets and selector are not the kernel's
            with contextlib.suppress(OSError):
                thing.close()
        parent = os.getppid()
        os.setpgid(0, 0)
        die_with_parent()  # the template gone (even by kill -9): the kernel goes too
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDWR)
        log = request.get("log_file")
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600) if log else devnull
        os.dup2(devnull, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        sys.stdin = open(0, closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", closefd=False, buffering=1)  # noqa: SIM115
        sys.stderr = open(2, "w", closefd=False, buffering=1)  # noqa: SIM115
        os.environ.update(request.get("env") or {})
        if request.get("cwd"):
            os.chdir(request["cwd"])
        sys.argv = ["ipykernel_launcher"]
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        # parent_handle: the kernel exits when the template does (owner gone).
        app.initialize(["-f", request["connection_file"],
                        f"--IPKernelApp.parent_handle={parent}", *request.get("args", [])])
        app.start()
    except BaseException:  # noqa: BLE001 - the child must never return into the server
        import traceback

        traceback.print_exc()
        os._exit(1)
    os._exit(0)


def _answer(request: dict[str, Any], statuses: dict[int, int], live: set[int],
            inherited: Sequence[Any]) -> dict[str, Any]:
    op = request.get("op")
    if op == "spawn":
        pid = os.fork()
        if pid == 0:
            _child(request, inherited)
        # The child makes itself a group leader too; doing it here as well closes the
        # moment in which a kill of the group would miss it.
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)
        live.add(pid)
        return {"pid": pid}
    if op == "poll":
        pid = int(request["pid"])
        if pid not in statuses and pid in live:
            _reap(statuses, live, pid)
        return {"status": statuses.get(pid, None if pid in live else 0)}
    return {"error": f"unknown request {op!r}"}


def _reap(statuses: dict[int, int], live: set[int], pid: int = -1) -> None:
    """Collect the exit status of kernels that ended (``pid``, or any with -1)."""
    while live:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            if pid != -1:
                live.discard(pid)
                statuses[pid] = 0
            return
        if not done:
            return
        live.discard(done)
        statuses[done] = os.waitstatus_to_exitcode(status)
        if pid != -1:
            return


def _end_kernels(live: set[int], wait: float = 10.0) -> None:
    """Kill every kernel still running (its process group, and the process itself in
    case it has not made its group yet) and reap it; never wait longer than ``wait``."""
    import time

    for pid in list(live):
        for kill in (os.killpg, os.kill):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + wait
    while live and time.monotonic() < deadline:
        for pid in list(live):
            try:
                done, _status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                live.discard(pid)
        if live:
            time.sleep(0.01)
    live.clear()


def serve(address: str, preload: Sequence[str],
          warm: Sequence[Sequence[Any]] = (), folder: str | None = None) -> None:
    """Run the template: import ``preload``, make the ``warm`` calls, then fork a kernel
    per request on ``address``.

    The template stops when its stdin closes (its owner closed it or died) or on
    SIGTERM; then it kills the kernels still running and removes ``folder``.
    """
    # The owner gone by kill -9 closes stdin; SIGTERM (and the system's signal when the
    # owner dies, asked for below) end the loop the same way.
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    die_with_parent(signal.SIGTERM)
    live: set[int] = set()
    statuses: dict[int, int] = {}
    try:
        _serve(address, preload, warm, live, statuses, stop)
    finally:
        _end_kernels(live)
        with contextlib.suppress(OSError):
            os.unlink(address)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _serve(address: str, preload: Sequence[str], warm: Sequence[Sequence[Any]],
           live: set[int], statuses: dict[int, int], stop: threading.Event) -> None:
    skipped = []
    for name in preload:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a missing module is imported by the kernel later
            skipped.append(name)
    for module, function, args in warm:
        try:
            getattr(importlib.import_module(module), function)(*args)
        except Exception:  # noqa: BLE001 - the kernel does the work itself then
            skipped.append(f"{module}.{function}")
    # Everything the template holds now (modules, the loaded portfolio) outlives every
    # kernel: keep the garbage collector away from it. A forked kernel whose collector
    # walked the template's objects would write to every page it shares with the
    # template (copy-on-write) and spend a third of its time doing so.
    gc.collect()
    gc.freeze()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(128)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(sys.stdin, selectors.EVENT_READ, "owner")
    buffers: dict[socket.socket, bytes] = {}
    sys.stdout.write(json.dumps({"ready": True, "skipped": skipped}) + "\n")
    sys.stdout.flush()
    while not stop.is_set():
        # Kernels that ended are reaped at once (at most 0.2 s later), asked or not:
        # no zombie waits for the end of the run.
        events = selector.select(timeout=0.2)
        _reap(statuses, live)
        for key, _events in events:
            if key.data == "owner":
                if not sys.stdin.readline():
                    stop.set()
                continue
            if key.data == "accept":
                conn, _addr = listener.accept()
                buffers[conn] = b""
                selector.register(conn, selectors.EVENT_READ, "client")
                continue
            conn = key.fileobj  # type: ignore[assignment]
            chunk = conn.recv(65536)
            if not chunk:
                selector.unregister(conn)
                buffers.pop(conn, None)
                conn.close()
                continue
            buffers[conn] += chunk
            while b"\n" in buffers[conn]:
                line, buffers[conn] = buffers[conn].split(b"\n", 1)
                try:
                    reply = _answer(json.loads(line), statuses, live,
                                    [listener, selector, *buffers])
                except Exception as exc:  # noqa: BLE001 - answer, never die
                    reply = {"error": f"{type(exc).__name__}: {exc}"}
                conn.sendall((json.dumps(reply) + "\n").encode("utf-8"))
    listener.close()


if __name__ == "__main__":  # pragma: no cover - the template's entry point
    if len(sys.argv) >= 5 and sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[5:], json.loads(sys.argv[4]), folder=sys.argv[3])
    else:
        print("usage: python -m kamkit.run.kernels serve SOCKET FOLDER WARM-JSON MODULE ...",
              file=sys.stderr)
        sys.exit(2)
