"""Finding the project root and writing output files atomically."""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from .errors import InputError

GRAPH_DIR = "graph"
ONTOLOGY_DIR = "ontology"
QUERIES_DIR = "queries"
#: the SHACL shapes live beside the ontology but are not data: loaded only by validate
SHAPES_FILE = "shapes.ttl"


def find_root(start: str | Path | None = None) -> Path:
    """Return the nearest ancestor of ``start`` (default: the working directory) that
    holds both ``graph/`` and ``ontology/``.

    >>> find_root("/")  # doctest: +SKIP
    Traceback (most recent call last):
    kgraph.errors.InputError: no kgraph project (a folder with graph/ and ontology/) at or above /
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / GRAPH_DIR).is_dir() and (folder / ONTOLOGY_DIR).is_dir():
            return folder
    raise InputError(f"no kgraph project (a folder with {GRAPH_DIR}/ and "
                     f"{ONTOLOGY_DIR}/) at or above {here}")


def check_root(root: str | Path) -> Path:
    """Check that ``root`` is a project folder (has graph/ and ontology/)."""
    root = Path(root)
    if not root.is_dir():
        raise InputError("no such folder", path=root)
    for sub in (GRAPH_DIR, ONTOLOGY_DIR):
        if not (root / sub).is_dir():
            raise InputError(f"not a kgraph project: {sub}/ is missing", path=root)
    return root.resolve()


def turtle_files(root: Path, *, data_only: bool = False) -> list[Path]:
    """The Turtle files of a project, ontology first, each folder sorted by name; the
    SHACL shapes are left out (they describe the data, they are not part of it).

    Only regular files (or links to them) are read: a FIFO or device named ``*.ttl``
    would hang the load or read forever, so it is an error, as is a folder that cannot
    be listed (``glob`` would silently find nothing in it)."""
    folders = [GRAPH_DIR] if data_only else [ONTOLOGY_DIR, GRAPH_DIR]
    files: list[Path] = []
    for sub in folders:
        folder = root / sub
        try:
            names = sorted(entry.name for entry in os.scandir(folder)
                           if entry.name.endswith(".ttl"))
        except OSError as exc:
            raise InputError(f"cannot list the folder: {exc.strerror}", path=folder) from None
        for name in names:
            path = folder / name
            if sub == ONTOLOGY_DIR and name == SHAPES_FILE:
                continue
            if not path.is_file():
                raise InputError("not a regular file (a folder, FIFO, device or broken "
                                 "link); kgraph reads regular Turtle files only", path=path)
            files.append(path)
    return files


def atomic_write(path: str | Path, data: bytes | str | Iterable[bytes | str]) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then
    rename it into place: a failed or interrupted run never leaves a half-written file,
    and an existing file survives any failure before the rename.

    ``data`` may also be an iterable of pieces (text is written as UTF-8), written as
    they come, so a large output need not be one string in memory; an exception while
    it is read leaves things as any other failure does.

    What is already at ``path`` is respected: a symbolic link stays a link and the file
    it points to is replaced (atomically, beside that file); a device or FIFO
    (``/dev/null``, a named pipe) is written into, never replaced by a regular file;
    an existing file keeps its permission bits (0600 stays 0600), a new one gets the
    usual ``0666 & ~umask``. Temporary files carry the writer's process id, so one left
    by a process that was killed (SIGKILL cannot be caught) is removed by the next
    write to the same path. Any failure of the file system (read-only or full disk, no
    permission, a file where a folder should be) is an :class:`InputError` naming the
    path.
    """
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        existing = path.stat()
    except FileNotFoundError:
        existing = None
    except NotADirectoryError:
        raise InputError("cannot write: a part of this path is a file, not a folder",
                         path=path) from None
    except OSError as exc:
        raise write_error(exc, path) from None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise InputError("cannot write: it is a folder", path=path)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        write_through(path, data)
        return path
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        if folder.exists() or any(p.is_file() for p in folder.parents):
            raise InputError("output folder is not a folder (a file has its name)",
                             path=folder)
        raise InputError("output folder does not exist", path=folder)
    remove_stale_temporaries(folder, path.name)
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~current_umask()
    # Named before it is created (not tempfile.mkstemp): a signal arriving just after
    # the file appears must still find its name here to remove it.
    tmp: Path | None = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}.tmp"
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            tmp = None  # another writer's: not ours to remove
            raise
        with os.fdopen(fd, "wb") as handle:
            _write_pieces(handle, data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise write_error(exc, path) from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    return path


def _write_pieces(handle, data: bytes | str | Iterable[bytes | str]) -> None:
    for piece in [data] if isinstance(data, (bytes, str)) else data:
        handle.write(piece.encode("utf-8") if isinstance(piece, str) else piece)


def write_through(path: Path, data: bytes | str | Iterable[bytes | str]) -> None:
    """Write into a device or FIFO that already exists (no temporary file: there is no
    file to replace, and replacing the node would break it)."""
    try:
        with open(path, "wb") as handle:
            _write_pieces(handle, data)
            handle.flush()
    except OSError as exc:
        raise write_error(exc, path) from None


def write_error(exc: OSError, path: Path) -> InputError:
    """A file-system failure as a one-line error naming ``path``."""
    reasons = {errno.ENOSPC: "no space left on the device (the disk is full)",
               errno.EDQUOT: "disk quota exceeded",
               errno.EROFS: "the file system is read-only",
               errno.EACCES: "permission denied", errno.EPERM: "permission denied",
               errno.ENOTDIR: "a part of this path is a file, not a folder",
               errno.EISDIR: "it is a folder"}
    reason = reasons.get(exc.errno, exc.strerror or str(exc))
    return InputError(f"cannot write: {reason}", path=path)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove_stale_temporaries(folder: Path, name: str) -> None:
    """Delete ``.NAME.PID.*.tmp`` files in ``folder`` whose process no longer runs:
    what a write killed with SIGKILL (or a power cut) left behind."""
    prefix = f".{name}."
    try:
        entries = [e for e in os.scandir(folder)
                   if e.name.startswith(prefix) and e.name.endswith(".tmp")]
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(prefix):].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or process_alive(int(pid)):
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            pass


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it is someone else's
    return True
