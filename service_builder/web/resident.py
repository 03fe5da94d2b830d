"""The resident's journey: the shared runner at /{service}/…, online channel."""

from service_builder.web.runner import JourneyRunner

runner = JourneyRunner("resident")
