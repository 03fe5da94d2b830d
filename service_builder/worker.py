"""The delivery worker: claims what is due, sends it, records the outcome; several can run."""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import threading
from dataclasses import dataclass, field

from service_builder.database import UNREACHABLE, reason
from service_builder.deliveries import FAILED, NOT_SENT, Claimed, claim, record_result, release
from service_builder.models import db
from service_builder.senders import SendError, Senders

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass
class Worker:
    senders: Senders = field(default_factory=Senders)
    name: str = field(default_factory=worker_name)
    batch: int = 20
    lease: dt.timedelta = dt.timedelta(minutes=5)
    """Longer than a batch can take (each send times out after 10 s), so a live worker keeps
    its claims; a dead worker's claims are taken by another once the lease ends."""
    poll_seconds: float = 1.0
    longest_wait: float = 30.0
    """While the database is unreachable, the wait between tries doubles up to this."""
    stop: threading.Event = field(default_factory=threading.Event)
    sent: int = 0
    failed: int = 0
    not_sent: int = 0
    """Deliveries sent, tries that failed (to try again later), and emails recorded but not
    sent for want of a Notify key, since the worker began."""

    def run_once(self) -> int:
        """Send everything due now; the number of attempts made."""
        attempted = 0
        while not self.stop.is_set():
            claimed = claim(self.name, self.batch, self.lease)
            if not claimed:
                break
            for done, delivery in enumerate(claimed):
                if self.stop.is_set():
                    release(self.name, claimed[done:])  # for another worker, now
                    break
                self.attempt(delivery)
                attempted += 1
        return attempted

    def run(self) -> None:
        """Keep sending until stopped, checking for due deliveries every poll_seconds."""
        log.info("delivery worker %s started", self.name)
        failures = 0
        while not self.stop.is_set():
            try:
                attempted = self.run_once()
            except UNREACHABLE as error:
                # An outage is waited out: what was claimed goes to a worker once the lease
                # ends, and a send not yet recorded may be sent again (at least once).
                failures += 1
                wait = min(self.poll_seconds * 2**failures, self.longest_wait)
                log.warning(
                    "delivery worker %s: database unreachable (%s): trying again in %g s",
                    self.name,
                    reason(error),
                    wait,
                )
                db.session.remove()
                self.stop.wait(wait)
                continue
            failures = 0
            if attempted == 0:
                self.stop.wait(self.poll_seconds)
        log.info("delivery worker %s stopped", self.name)

    def attempt(self, delivery: Claimed) -> None:
        purpose = delivery.purpose
        status = error = None
        try:
            status = self.senders.send(purpose, delivery.payload, delivery.reference)
        except SendError as failure:
            error = str(failure)
        except Exception as failure:  # a bug must not stop every other delivery
            log.exception("delivery %s: unexpected error", delivery.id)
            error = f"unexpected error: {type(failure).__name__}"
        if error:
            self.failed += 1
            log.warning("delivery %s (%s) failed: %s", delivery.id, purpose, error)
        elif status == NOT_SENT:  # without a Notify key an email is recorded, not sent
            self.not_sent += 1
        else:
            self.sent += 1
            log.info("delivery %s (%s) sent", delivery.id, purpose)
        if record_result(delivery, error, status) == FAILED:  # an alert, not one more retry
            log.error(
                "delivery %s (%s) given up after %s attempts: %s; retry it from /admin/deliveries",
                delivery.id,
                purpose,
                delivery.attempts + 1,
                error,
            )
