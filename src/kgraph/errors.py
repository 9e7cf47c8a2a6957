"""One hierarchy of library errors; the CLI maps them to exit codes in one place.

``InputError`` and ``UsageError`` are expected failures (exit 2); ``ValidationFailed``
means the data was read but breaks a rule (exit 1). Each carries a message meant for a
person: the file, the line and what is wrong.
"""

from __future__ import annotations

from pathlib import Path


class KgraphError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | Path | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        super().__init__(self.format())

    def format(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return where + self.message


class InputError(KgraphError):
    """A file or folder is missing, unreadable or not valid Turtle/SPARQL."""


class UsageError(KgraphError):
    """The call itself is wrong: an unknown parameter, a value of the wrong type, …"""


class BackendError(KgraphError):
    """A store or a remote SPARQL server failed (unreachable, 4xx/5xx, time-out)."""


class ValidationFailed(KgraphError):
    """The data was read but does not conform (exit 1)."""

    exit_code = 1
