"""Virus scanning with ClamAV's clamd, when `CLAMD_SOCKET` names its Unix socket.

The bytes are streamed to clamd (INSTREAM) before the file is stored; an infected file is
refused and nothing of it is kept. When clamd cannot be reached or cannot scan, the upload
is refused too (the person is asked to try again, and it is logged) rather than a file
being kept unscanned.
"""

from __future__ import annotations

import logging
from typing import IO

log = logging.getLogger(__name__)


class Infected(Exception):
    """clamd found a virus (its signature name is logged, never the file's name)."""


class NotScanned(Exception):
    """clamd could not be reached, or could not scan the file."""


def scan(stream: IO[bytes], socket: str | None) -> None:
    """Raises Infected when clamd finds something; does nothing without a socket."""
    if not socket:
        return
    import clamd  # only deployments that scan need it loaded

    stream.seek(0)
    try:
        result = clamd.ClamdUnixSocket(path=socket).instream(stream)
    except (OSError, clamd.ClamdError) as error:  # clamd down, restarting or overloaded
        log.error("upload refused: clamd could not be reached (%s)", type(error).__name__)
        raise NotScanned from None
    stream.seek(0)
    status, signature = result.get("stream", ("ERROR", "no answer"))
    if status == "FOUND":
        log.warning("upload refused: clamd found %s", signature)
        raise Infected(signature)
    if status != "OK":
        log.error("upload refused: clamd could not scan it (%s)", signature)
        raise NotScanned
