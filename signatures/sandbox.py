"""Run a function on untrusted input in a forked child with a CPU, memory and wall-clock
budget. A hostile PDF (a huge object stream, references that loop, a parser's deep
recursion) then costs at most the budget, and a crash of the child (even of the C
stack) is an answer, not a dead worker.

The child inherits the parent's memory (fork): it must not touch the database or any
socket; the caller passes it plain data and gets plain data (pickled) back.
"""

import multiprocessing
import os
import resource


class BudgetExceeded(Exception):
    """The child ran out of time or memory, or died."""


def _child(connection, function, args, cpu_seconds, memory_bytes):
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, hard))
        connection.send(("ok", function(*args)))
    except MemoryError:
        connection.send(("budget", None))
    except BaseException as error:  # noqa: BLE001  (reported to the parent, who decides)
        connection.send(("error", f"{type(error).__name__}: {error}"[:500]))
    finally:
        connection.close()
        os._exit(0)  # no atexit handler, no flush of the parent's buffers


def run_bounded(function, *args, cpu_seconds: int, wall_seconds: float, extra_memory_bytes: int):
    """`function(*args)` in a child process; its result, or BudgetExceeded / RuntimeError."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    # The address space already mapped counts against RLIMIT_AS: the budget is on top of it.
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    process = context.Process(
        target=_child, args=(sender, function, args, cpu_seconds, mapped + extra_memory_bytes), daemon=True
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(wall_seconds):
            raise BudgetExceeded("time")
        try:
            status, value = receiver.recv()
        except EOFError:  # the child died without a word (a signal, a crash)
            raise BudgetExceeded("died") from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(1)
    if status == "budget":
        raise BudgetExceeded("memory")
    if status == "error":
        raise RuntimeError(value)
    return value
