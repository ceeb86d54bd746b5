"""The one base of every error the clerk can cause or fix (a bad file, a full disk, a locked workspace).

Kept apart from bugs: the window and the CLI catch `UserError` and show `message`, which is Chinese and
says what to do; anything else is a bug and is not dressed up as one of these.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem of the clerk's data or machine, not of the program; `message` tells the fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
