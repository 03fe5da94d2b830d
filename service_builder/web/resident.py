"""The resident's journey: the shared runner at /{service}/…, online channel."""

from service_builder.modes import RESIDENT
from service_builder.web.runner import JourneyRunner

runner = JourneyRunner(RESIDENT)
