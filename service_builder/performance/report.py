"""Writing the figures out: `stats` as JSON or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from typing import Any, TextIO

from service_builder.definitions import Service
from service_builder.performance.stats import CSV_FIELDS, csv_rows, stats, window


def write_stats(service: Service, figures: dict[str, Any], fmt: str, out: TextIO) -> None:
    if fmt == "json":
        out.write(json.dumps(figures, indent=1) + "\n")
        return
    writer = csv.DictWriter(out, CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_rows(service, figures))


def print_stats(service: Service, since: dt.date | None, until: dt.date | None, fmt: str) -> None:
    write_stats(service, stats(service, window(service.id, since, until)), fmt, sys.stdout)
