"""The resident's journey: the shared runner at /{service}/…, online channel."""

from service_builder.modes import RESIDENT
from service_builder.web.payment import PayingRunner

runner = PayingRunner(RESIDENT)
