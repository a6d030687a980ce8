"""Input and output helpers shared by the readers and the command line."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from typing import IO, Any, cast

from tthc.errors import OutputError

__all__ = [
    "Source",
    "atomic_output",
    "open_text",
    "same_file",
    "signals_deferred",
    "written_directly",
]

Source = str | os.PathLike[str] | IO[str] | IO[bytes]
"""A path, or an open text or binary file (``-`` handling is the CLI's job)."""


def open_text(source: Source) -> tuple[IO[str], bool]:
    """``source`` as a text file (UTF-8, a BOM removed) and whether the caller owns it (opened
    here, so to be closed by the caller)."""
    if isinstance(source, str | os.PathLike):
        return open(source, encoding="utf-8-sig", newline=""), True
    handle: Any = source
    if isinstance(handle, io.TextIOBase):
        return cast("IO[str]", handle), False
    if hasattr(handle, "mode") and "b" not in getattr(handle, "mode", ""):
        return cast("IO[str]", handle), False
    return io.TextIOWrapper(handle, encoding="utf-8-sig", newline=""), False


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True when both paths name the same existing file (same device and inode: a hard link
    or another spelling of the path counts as the same file).

    >>> import tempfile
    >>> path = tempfile.mkstemp()[1]
    >>> same_file(path, path), same_file(path, path + ".other")
    (True, False)
    """
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


_DEFERRED_SIGNALS: frozenset[signal.Signals] = (
    frozenset({signal.SIGINT, signal.SIGTERM})
    if hasattr(signal, "pthread_sigmask")
    else frozenset()
)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while the block runs; one that arrives meanwhile is
    delivered when it ends. For creating a temporary file and recording it for removal as one
    step: a signal between the two would leave the file behind.

    Only in the main thread of a system with ``signal.pthread_sigmask`` (not Windows);
    elsewhere the block runs as is. The signals are held back from the main thread: one the
    system hands to another thread of the process (a thread pool's) still interrupts at once.

    >>> with signals_deferred():
    ...     pass
    """
    if not _DEFERRED_SIGNALS or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _direct(mode: int) -> bool:
    """Whether a file of this ``st_mode`` is written directly: not a regular file (a device,
    a pipe), which cannot be replaced by renaming a temporary file."""
    return not stat.S_ISREG(mode)


def written_directly(path: str | os.PathLike[str]) -> bool:
    """Whether :func:`atomic_output` writes ``path`` directly rather than replacing it: an
    existing device or pipe (``/dev/null``), not a regular file and not a folder."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return _direct(mode) and not stat.S_ISDIR(mode)


_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
"""The permission bits that let someone write a file: a file with none of them is read-only."""


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], mode: str = "wb") -> Iterator[IO[Any]]:
    """Write a file whole or not at all: yields a temporary file in the target's directory,
    renamed over ``path`` only when the ``with`` block ends normally (atomic on POSIX). On any
    exception — including :class:`KeyboardInterrupt` and the ``SystemExit`` the command line
    raises on SIGTERM — the temporary file is removed and an existing ``path`` is untouched.

    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), "out.txt")
    >>> with atomic_output(target, "w") as f:
    ...     _ = f.write("whole")
    >>> open(target).read()
    'whole'
    >>> try:
    ...     with atomic_output(target, "w") as f:
    ...         _ = f.write("half")
    ...         raise RuntimeError("interrupted")
    ... except RuntimeError:
    ...     pass
    >>> open(target).read(), sorted(os.listdir(os.path.dirname(target)))
    ('whole', ['out.txt'])

    A target that exists and is not a regular file (``/dev/null``, a named pipe, a terminal)
    is written directly: it cannot be replaced, and there is no old content to keep. An
    existing file keeps its permission bits.

    A read-only file is not replaced (as the shell's ``>`` would not): a form someone
    write-protected (no write permission bit for anyone, ``chmod 444``) stays as it is, also
    for root, whom the system lets write anything; and a file the user may not write.

    Raises:
        OutputError: the directory cannot be written, the file is read-only, or a device
            cannot take what is written.
    """
    target = os.fspath(path)
    try:
        existing = os.stat(target)
    except OSError:
        existing = None
    if existing is not None and _direct(existing.st_mode):
        encoding = None if "b" in mode else "utf-8"
        newline = None if "b" in mode else ""
        try:
            direct = open(target, mode, encoding=encoding, newline=newline)  # noqa: SIM115
        except OSError as exc:
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        try:
            yield direct
            try:
                direct.flush()
            except OSError as exc:
                raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        finally:
            with contextlib.suppress(OSError):  # a failed write was already said
                direct.close()
        return
    if existing is not None and (
        not existing.st_mode & _WRITE_BITS or not os.access(target, os.W_OK)
    ):  # the bits first: root passes os.access whatever they say
        raise OutputError(
            f"{target} is read-only: it is not replaced (make it writable, or write to another "
            "file)"
        )
    directory = os.path.dirname(os.path.abspath(target))
    temporary: str | None = None
    try:
        with signals_deferred():  # the temporary file exists only once it is recorded here
            try:
                fd, temporary = tempfile.mkstemp(
                    prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=directory
                )
            except OSError as exc:
                raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        encoding = None if "b" in mode else "utf-8"
        newline = None if "b" in mode else ""
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        try:
            if existing is not None:
                os.chmod(temporary, stat.S_IMODE(existing.st_mode))  # the file keeps its mode
            else:
                mask = os.umask(0)
                os.umask(mask)
                os.chmod(temporary, 0o666 & ~mask)  # mkstemp makes 0600; give the usual mode
        except OSError:  # pragma: no cover - e.g. a file system without modes
            pass
        os.replace(temporary, target)
    except BaseException:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise
