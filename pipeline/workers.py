"""Worker processes for the CPU-bound stages (``--jobs N``), with one process doing the writes.

Why not ``concurrent.futures.ProcessPoolExecutor``: when one of its workers dies (a segfault in
a parser, ``os._exit``, the OOM killer) the whole executor is broken and nobody learns which task
killed it. Here each worker has its own pipe and the dispatcher (a thread of the calling process)
knows which task every worker is running, so a death fails exactly that task ("worker died on
this page: exit code ..."), a fresh worker takes the dead one's place and the run goes on.

Workers come from the ``forkserver`` start method: like ``spawn`` they never inherit the
caller's threads (Scrapy's reactor, the dispatcher itself), but the heavy imports are done once
in the fork server (``preload``) and every worker, a replacement too, is forked from it ready.
Each worker runs ``initializer(*initargs)`` once (e.g. to keep the registry and the tagger in a
module global) and then any number of tasks ``fn(*args)``; functions and arguments are pickled,
so they must be importable module-level names.

At most ``max_in_flight`` tasks (default 4 x jobs) are submitted and not finished at a time:
``submit`` waits for room and ``map_ordered`` keeps no more than that many results unread, so
memory stays bounded whatever the input size. Four per worker, not two: results are read in
input order, and a page that takes five times as long as its neighbours (one that trafilatura
hands to justext) would otherwise leave the other worker idle once it had finished the two or
three pages the window allowed past it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

START_METHOD = "forkserver"
JOIN_SECONDS = 5.0


class WorkerDied(Exception):
    """The worker process running a task exited before answering; the task is lost."""

    def __init__(self, exitcode: int | None) -> None:
        super().__init__(f"worker died on this page: exit code {exitcode}")
        self.exitcode = exitcode


class TaskError(Exception):
    """A task raised in its worker; the message carries the worker's traceback."""


class PoolBroken(Exception):
    """The pool cannot run tasks (a worker failed to start, or the pool was closed)."""


@dataclass(frozen=True)
class Failed:
    """The result ``map_ordered`` gives for a task whose worker died (exceptions are raised)."""

    message: str
    exitcode: int | None = None


def _worker_main(conn: Connection, initializer: Callable[..., Any] | None, initargs: tuple) -> None:
    """A worker's life: initialise once, then answer tasks until told to stop or orphaned.

    SIGINT is ignored: on Ctrl-C the terminal signals the whole process group, and the caller,
    not the workers, decides how the run ends (it closes the pool).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if initializer is not None:
            initializer(*initargs)
    except BaseException:
        conn.send(("init-error", traceback.format_exc()))
        return
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the caller is gone
        if message is None:
            return
        task_id, fn, args = message
        try:
            reply = (task_id, True, fn(*args))
        except BaseException:
            reply = (task_id, False, traceback.format_exc())
        conn.send(reply)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    task: int | None = None
    ready: bool = False
    """Initialised: a death before this is a start-up failure, not the task's fault."""


@dataclass
class _Task:
    fn: Callable[..., Any]
    args: tuple
    future: Future = field(default_factory=Future)


class WorkerPool:
    """``jobs`` worker processes fed by a dispatcher thread; see the module docstring."""

    def __init__(
        self,
        jobs: int,
        initializer: Callable[..., Any] | None = None,
        initargs: tuple = (),
        *,
        max_in_flight: int | None = None,
        preload: Sequence[str] = (),
    ) -> None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self.jobs = jobs
        self.max_in_flight = max_in_flight or 4 * jobs
        self.in_flight = 0
        """Tasks submitted and not finished."""
        self.peak_in_flight = 0
        """The most tasks ever in flight at once (never above ``max_in_flight``)."""
        self.replaced = 0
        """Workers started to replace dead ones."""
        self._initializer, self._initargs = initializer, initargs
        self._context = multiprocessing.get_context(START_METHOD)
        if preload:
            self._context.set_forkserver_preload(list(preload))
        self._lock = threading.Condition()
        self._pending: deque[int] = deque()
        self._tasks: dict[int, _Task] = {}
        self._next_id = 0
        self._closing = False
        self._broken: str | None = None
        self._wake_r, self._wake_w = os.pipe()
        self._workers = [self._start_worker() for _ in range(jobs)]
        self._thread = threading.Thread(target=self._dispatch, name="tmwatch-workers", daemon=True)
        self._thread.start()

    # -- the caller's side --------------------------------------------------------------------

    def submit(self, fn: Callable[..., R], *args: Any) -> Future[R]:
        """Queue ``fn(*args)`` for a worker, waiting while ``max_in_flight`` tasks are out.

        The future gets the result, ``WorkerDied``, ``TaskError`` (with the worker's traceback)
        or ``PoolBroken``.
        """
        with self._lock:
            while self.in_flight >= self.max_in_flight and not self._stopped():
                self._lock.wait()
            task = _Task(fn, args)
            if self._stopped():
                task.future.set_exception(PoolBroken(self._broken or "the pool is closed"))
                return task.future
            task_id, self._next_id = self._next_id, self._next_id + 1
            self._tasks[task_id] = task
            self._pending.append(task_id)
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        self._wake()
        return task.future

    def run(self, fn: Callable[..., R], *args: Any) -> R | Failed:
        """``fn(*args)`` in a worker, waiting for it (from a thread that may block):
        ``Failed`` if the worker died, the task's own exception re-raised as ``TaskError``."""
        try:
            return self.submit(fn, *args).result()
        except WorkerDied as exc:
            return Failed(str(exc), exc.exitcode)

    def map_ordered(
        self, fn: Callable[[T], R], items: Iterable[T]
    ) -> Iterator[tuple[T, R | Failed]]:
        """``(item, fn(item))`` for every item, in input order; ``Failed`` for an item whose
        worker died. A task's exception is raised here, as the same call in process would."""
        window: deque[tuple[T, Future[R]]] = deque()
        source = iter(items)
        exhausted = False
        while True:
            while not exhausted and len(window) < self.max_in_flight:
                try:
                    item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                window.append((item, self.submit(fn, item)))
            if not window:
                return
            item, future = window.popleft()
            try:
                result: R | Failed = future.result()
            except WorkerDied as exc:
                result = Failed(str(exc), exc.exitcode)
            yield item, result

    def close(self) -> None:
        """Stop the dispatcher and the workers; unfinished tasks fail with ``PoolBroken``."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
            self._lock.notify_all()
        self._wake()
        self._thread.join()
        for worker in self._workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in self._workers:
            worker.process.join(JOIN_SECONDS)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join()
            worker.conn.close()
        self._fail_all("the pool is closed")
        os.close(self._wake_r)
        os.close(self._wake_w)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the dispatcher thread ----------------------------------------------------------------

    def _stopped(self) -> bool:
        return self._closing or self._broken is not None

    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"x")
        except OSError:
            pass

    def _start_worker(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main,
            args=(child, self._initializer, self._initargs),
            name="tmwatch-worker",
            daemon=True,
        )
        process.start()
        child.close()  # the worker's end lives in the worker only: EOF there when we are gone
        return _Worker(process, parent)

    def _dispatch(self) -> None:
        """The dispatcher thread: a failure of its own breaks the pool instead of leaving the
        callers waiting for answers that never come."""
        try:
            self._serve()
        except BaseException:
            logger.exception("the worker pool's dispatcher failed")
            self._break(f"the dispatcher failed:\n{traceback.format_exc()}")

    def _serve(self) -> None:
        """Hand pending tasks to idle workers, collect answers, replace dead workers."""
        while True:
            with self._lock:
                if self._stopped():
                    return
            self._assign()
            waitables: list[Any] = [self._wake_r]
            for worker in self._workers:
                waitables += [worker.conn, worker.process.sentinel]
            ready = set(wait(waitables))
            if self._wake_r in ready:
                os.read(self._wake_r, 4096)
            for index, worker in enumerate(list(self._workers)):
                if worker.conn in ready and not self._receive(worker):
                    continue
                if worker.process.sentinel in ready or not worker.process.is_alive():
                    self._bury(index, worker)

    def _assign(self) -> None:
        for worker in self._workers:
            if worker.task is not None:
                continue
            with self._lock:
                if not self._pending:
                    return
                task_id = self._pending.popleft()
                task = self._tasks[task_id]
            worker.task = task_id
            try:
                worker.conn.send((task_id, task.fn, task.args))
            except (OSError, ValueError):
                pass  # a dead worker: its sentinel reports it and the task fails with it
            except Exception as exc:  # the task itself would not pickle
                worker.task = None
                self._finish(task_id, TaskError(f"cannot send the task: {exc!r}"))

    def _receive(self, worker: _Worker) -> bool:
        """Read one answer; False when the pipe is closed (the worker is gone)."""
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            return True  # let the sentinel check bury it
        if message[0] == "ready":
            worker.ready = True
            return True
        if message[0] == "init-error":
            self._break(f"a worker failed to start:\n{message[1]}")
            return False
        task_id, ok, value = message
        worker.task = None
        self._finish(task_id, value if ok else TaskError(value))
        return True

    def _bury(self, index: int, worker: _Worker) -> None:
        """A worker exited: fail its task, start a replacement."""
        worker.process.join()
        worker.conn.close()
        exitcode = worker.process.exitcode
        if not worker.ready:
            # Replacing it would fail the same way, forever: the pool cannot work.
            self._break(f"a worker failed to start (exit code {exitcode})")
            return
        if worker.task is not None:
            logger.error("worker %s died (exit code %s)", worker.process.pid, exitcode)
            self._finish(worker.task, WorkerDied(exitcode))
        if self._stopped():
            return
        self._workers[index] = self._start_worker()
        self.replaced += 1

    def _finish(self, task_id: int, value: Any) -> None:
        with self._lock:
            task = self._tasks.pop(task_id, None)
            if task is None:
                return
            self.in_flight -= 1
            self._lock.notify_all()
        if isinstance(value, BaseException):
            task.future.set_exception(value)
        else:
            task.future.set_result(value)

    def _break(self, reason: str) -> None:
        with self._lock:
            self._broken = reason
            self._lock.notify_all()
        self._fail_all(reason)

    def _fail_all(self, reason: str) -> None:
        with self._lock:
            ids = list(self._tasks)
            self._pending.clear()
        for task_id in ids:
            self._finish(task_id, PoolBroken(reason))
