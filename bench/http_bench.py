"""Benchmark: the product against bare reference apps, side by side in one run, over HTTP.

Both run under gunicorn with 2 sync workers; wrk drives each with 16 connections. Prints
requests per second, the ratio to the reference, p50 and p99 latency and the server CPU per
request. `make bench` runs it on SQLite; `--database URL` runs both on PostgreSQL.

    .venv/bin/python bench/http_bench.py [--seconds 10] [--database URL] [--ports 5141,5142]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SERVICE = "council-tax-single-person-discount"
PAGE = f"/{SERVICE}/account-number"
ANSWER = "account_number=51234567"


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    bad: int
    cpu_ms: float


class Server:
    """One gunicorn master with 2 sync workers, stopped by its own pid."""

    def __init__(self, app: str, port: int, env: dict[str, str], log: Path) -> None:
        self.port = port
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers=2",
                "--worker-class=sync",
                f"--bind=127.0.0.1:{port}",
                app,
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        _wait_for(port)

    def pids(self) -> list[int]:
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        return [self.process.pid, *map(int, children)]

    def cpu_seconds(self) -> float:
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def _wait_for(port: int) -> None:
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the server on port {port} did not start")


def request(port: int, method: str, path: str, body: str = "", cookie: str = "") -> tuple:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = cookie
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    return response.status, response.getheader("Set-Cookie") or "", response.read().decode()


def app_session(port: int) -> tuple[str, str]:
    """A session cookie holding a draft, and its CSRF token (as a browser would have)."""
    _, set_cookie, html = request(port, "GET", PAGE)
    cookie = set_cookie.split(";", 1)[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token, "no CSRF token on the page"
    body = f"csrf_token={urllib.parse.quote(token.group(1))}&{ANSWER}"
    status, set_cookie, _ = request(port, "POST", PAGE, body, cookie)
    assert status == 302, f"the first answer got {status}"
    return set_cookie.split(";", 1)[0] or cookie, body


def wrk(
    server: Server, path: str, seconds: int, method: str = "GET", body: str = "", cookie: str = ""
) -> Result:
    env = {**os.environ, "BENCH_METHOD": method, "BENCH_BODY": body, "BENCH_COOKIE": cookie}
    before = server.cpu_seconds()
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c16",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(ROOT / "bench" / "wrk_request.lua"),
            f"http://127.0.0.1:{server.port}{path}",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    cpu = server.cpu_seconds() - before
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: .*?timeout (\d+)", output)
    return Result(
        rate,
        _latency(output, "50"),
        _latency(output, "99"),
        (int(bad.group(1)) if bad else 0) + (int(errors.group(1)) if errors else 0),
        1000 * cpu / max(total, 1),
    )


def _latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    assert match, output
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--database", default="", help="a PostgreSQL URL for both (default SQLite)")
    parser.add_argument("--ports", default="5141,5142")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    reference_port, app_port = map(int, args.ports.split(","))
    work = Path(tempfile.mkdtemp(prefix="bench-http-"))
    app_db = args.database or f"sqlite:///{work}/app.db"
    reference_db = args.database or f"sqlite:///{work}/reference.db"
    app_env = {
        "SERVICE_BUILDER_ENV": "production",
        "SECRET_KEY": "bench-secret-key",
        "DATABASE_URL": app_db,
        "SERVICE_BUILDER_LOG_FILE": str(work / "app.log"),
        "PROMETHEUS_MULTIPROC_DIR": str(work / "metrics"),
    }
    (work / "metrics").mkdir()
    subprocess.run(
        [str(BIN / "service-builder"), "db", "upgrade"],
        env={**os.environ, **app_env},
        check=True,
        capture_output=True,
    )
    reference = Server(
        "bench.reference_app:create()",
        reference_port,
        {"REFERENCE_DATABASE_URL": reference_db},
        work / "reference.log",
    )
    app = Server("service_builder:create_app()", app_port, app_env, work / "app-server.log")
    try:
        cookie, body = app_session(app_port)
        _, ref_cookie, _ = request(reference_port, "GET", "/page-with-draft")
        ref_cookie = ref_cookie.split(";", 1)[0]
        request(reference_port, "POST", "/answer", ANSWER)
        rows = [
            ("question page GET", (app, PAGE, "GET", "", ""), (reference, "/page", "GET", "", "")),
            (
                "question page GET with a draft",
                (app, PAGE, "GET", "", cookie),
                (reference, "/page-with-draft", "GET", "", ref_cookie),
            ),
            (
                "answer POST",
                (app, PAGE, "POST", body, cookie),
                (reference, "/answer", "POST", ANSWER, ""),
            ),
        ]
        database = "PostgreSQL" if args.database else "SQLite"
        print(
            f"\nHTTP, gunicorn 2 sync workers, wrk 16 connections, {args.seconds} s each, "
            f"{database}"
        )
        print(
            f"{'request':32} {'req/s':>8} {'ref req/s':>9} {'ratio':>6} {'p50 ms':>7} "
            f"{'p99 ms':>7} {'ref p50':>7} {'ref p99':>7} {'CPU ms':>7} {'ref CPU':>7} {'bad':>4}"
        )
        for name, mine, theirs in rows:
            ours = wrk(mine[0], mine[1], args.seconds, *mine[2:])
            bare = wrk(theirs[0], theirs[1], args.seconds, *theirs[2:])
            print(
                f"{name:32} {ours.requests_per_second:8.0f} {bare.requests_per_second:9.0f} "
                f"{ours.requests_per_second / bare.requests_per_second:6.2f} "
                f"{ours.p50_ms:7.1f} {ours.p99_ms:7.1f} {bare.p50_ms:7.1f} {bare.p99_ms:7.1f} "
                f"{ours.cpu_ms:7.2f} {bare.cpu_ms:7.2f} {ours.bad + bare.bad:4}"
            )
            sys.stdout.flush()
    finally:
        app.stop()
        reference.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
