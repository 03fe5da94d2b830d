"""Virus scanning with ClamAV's clamd, when `CLAMD_SOCKET` names its Unix socket.

The bytes are streamed to clamd (INSTREAM) before the file is stored; an infected file is
refused and nothing of it is kept. When clamd cannot be reached the upload fails (an error
page, logged) rather than a file going unscanned.
"""

from __future__ import annotations

import logging
from typing import IO

log = logging.getLogger(__name__)


class Infected(Exception):
    """clamd found a virus (its signature name is logged, never the file's name)."""


def scan(stream: IO[bytes], socket: str | None) -> None:
    """Raises Infected when clamd finds something; does nothing without a socket."""
    if not socket:
        return
    import clamd  # only deployments that scan need it loaded

    stream.seek(0)
    result = clamd.ClamdUnixSocket(path=socket).instream(stream)
    stream.seek(0)
    status, signature = result.get("stream", ("ERROR", "no answer"))
    if status == "FOUND":
        log.warning("upload refused: clamd found %s", signature)
        raise Infected(signature)
    if status != "OK":
        raise RuntimeError(f"clamd could not scan the upload: {signature}")
