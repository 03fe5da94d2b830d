"""Benchmark: the product against bare reference apps, side by side in one run, over HTTP.

Both run under gunicorn with 2 sync workers; wrk drives each with 16 connections, in
interleaved rounds (app, reference, app, reference, …) so that the load others put on a
shared machine falls on both alike. Prints requests per second, the ratio to the reference,
p50 and p99 latency (the median p50 and the worst p99 of the rounds) and the server CPU per
request, read from the server processes' own CPU time: on a shared machine the CPU ratio is
the steadier figure.

The "floor" rows measure the reference against its own bare POST, climbing to what every
answer POST of the product must do: on SQLite set up as the product's (WAL), then behind
Flask-WTF's CSRF check and a signed session, then also reading the draft, writing it only if
unchanged, an event row, a JSON access-log line and metrics (bench/reference_app.py). The
last is the floor under the product's POST on this stack before the engine's own work.

`make bench` runs it on SQLite, and with `--database URL` (make bench passes DATABASE_URL)
runs the answer POSTs on that PostgreSQL too.

    .venv/bin/python bench/http_bench.py [--seconds 12] [--rounds 3] [--database URL]
                                         [--ports 5141,5142]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
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
PEOPLE = 16
"""The answer POST's people: one per wrk connection, each with their own draft (as in life).
The '1 draft' row has all 16 connections save one draft at once: the worst case for its
optimistic locking (most saves lose and retry), which the reference's bare upsert skips."""
THREADS = PEOPLE
"""wrk's threads: one connection and one person each (wrk_request.lua), so that no two
requests in flight are ever one person's. wrk's script picks a request per request, not per
connection: with several connections to a thread, a slow request's person comes round again
on another connection while it is still in flight."""


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    bad: int
    cpu_ms: float


def prepare_database(env: dict[str, str], agent_email: str, password: str) -> None:
    """Migrate the database in `env` and add an agent (for the assisted load)."""
    cli = str(BIN / "service-builder")
    subprocess.run([cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [cli, "create-user", agent_email, "--role", "agent", "--password-stdin"],
        input=f"{password}\n",
        text=True,
        env=env,
        check=True,
        capture_output=True,
    )


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
                "--no-control-socket",  # gunicorn 24+: each master would take the one path
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


def reference_people(port: int) -> tuple[str, str]:
    """PEOPLE sessions on the reference's CSRF-checked POSTs: cookies and bodies, '|'-joined."""
    cookies, bodies = [], []
    for _ in range(PEOPLE):
        _, set_cookie, token = request(port, "GET", "/csrf-token")
        cookies.append(set_cookie.split(";", 1)[0])
        bodies.append(f"csrf_token={urllib.parse.quote(token)}&{ANSWER}")
    return "|".join(cookies), "|".join(bodies)


def wrk(
    server: Server, path: str, seconds: int, method: str = "GET", body: str = "", cookie: str = ""
) -> Result:
    env = {
        **os.environ,
        "BENCH_METHOD": method,
        "BENCH_BODY": body,
        "BENCH_COOKIE": cookie,
        "BENCH_THREADS": str(THREADS),
    }
    if "|" in cookie:  # several people: one (cookie, body) pair each, taken in turn
        env |= {"BENCH_COOKIES": cookie, "BENCH_BODIES": body, "BENCH_COOKIE": "", "BENCH_BODY": ""}
    before = server.cpu_seconds()
    output = subprocess.run(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{PEOPLE}",
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


def interleaved(mine: tuple, theirs: tuple, seconds: int, rounds: int) -> tuple[Result, Result]:
    """App and reference in turn, `rounds` times, `seconds` in all for each."""
    ours: list[tuple[Result, int]] = []
    bare: list[tuple[Result, int]] = []
    share = max(1, round(seconds / rounds))
    for _ in range(rounds):
        ours.append(wrk_counted(mine[0], mine[1], share, *mine[2:]))
        bare.append(wrk_counted(theirs[0], theirs[1], share, *theirs[2:]))
    return combined(ours), combined(bare)


def wrk_counted(server: Server, path: str, seconds: int, *request: str) -> tuple[Result, int]:
    result = wrk(server, path, seconds, *request)
    return result, round(result.requests_per_second * seconds)


def combined(runs: list[tuple[Result, int]]) -> Result:
    total = sum(count for _, count in runs) or 1
    return Result(
        statistics.mean(result.requests_per_second for result, _ in runs),
        statistics.median(result.p50_ms for result, _ in runs),
        max(result.p99_ms for result, _ in runs),
        sum(result.bad for result, _ in runs),
        sum(result.cpu_ms * count for result, count in runs) / total,
    )


def _latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    assert match, output
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def main() -> None:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0].replace("\n", " ")
    )
    parser.add_argument("--seconds", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", default="", help="a PostgreSQL URL: the POST on it too")
    parser.add_argument("--ports", default="5141,5142", help="two ports (four with --database)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    ports = [int(port) for port in args.ports.split(",")]
    if args.database and len(ports) < 4:
        ports += [ports[0] + 2, ports[1] + 2]
    print(
        f"\nHTTP, gunicorn 2 sync workers, wrk 16 connections, {args.seconds} s for each in "
        f"{args.rounds} interleaved rounds.\nratio: the app's req/s over the reference's; CPU "
        "ms: server CPU per request (app, reference,\nand the reference's over the app's: 1.00 "
        "is as cheap as the bare reference)."
    )
    print(
        f"{'request':34} {'req/s':>6} {'ref':>6} {'ratio':>5} {'p50':>6} {'p99':>6} "
        f"{'ref p50':>7} {'ref p99':>7} {'CPU ms':>6} {'ref':>5} {'ratio':>5} {'bad':>4}"
    )
    compare(Path(tempfile.mkdtemp(prefix="bench-http-")), "", ports[:2], args, everything=True)
    if args.database:
        work = Path(tempfile.mkdtemp(prefix="bench-http-pg-"))
        compare(work, args.database, ports[2:4], args, everything=False)


def compare(
    work: Path, database: str, ports: list[int], args: argparse.Namespace, everything: bool
) -> None:
    """Start the app and the reference on one database (a new SQLite file each, or the
    PostgreSQL given), and print their rows."""
    reference_port, app_port = ports
    app_env = {
        "SERVICE_BUILDER_ENV": "production",
        "SECRET_KEY": "bench-secret-key",
        "DATABASE_URL": database or f"sqlite:///{work}/app.db",
        "SERVICE_BUILDER_LOG_FILE": str(work / "app.log"),
        "PROMETHEUS_MULTIPROC_DIR": str(work / "metrics"),
    }
    (work / "metrics").mkdir()
    (work / "reference-metrics").mkdir()
    subprocess.run(
        [str(BIN / "service-builder"), "db", "upgrade"],
        env={**os.environ, **app_env},
        check=True,
        capture_output=True,
    )
    reference = Server(
        "bench.reference_app:create()",
        reference_port,
        {
            "REFERENCE_DATABASE_URL": database or f"sqlite:///{work}/reference.db",
            "REFERENCE_LOG_FILE": str(work / "reference-access.log"),
            "PROMETHEUS_MULTIPROC_DIR": str(work / "reference-metrics"),
        },
        work / "reference.log",
    )
    app = Server("service_builder:create_app()", app_port, app_env, work / "app-server.log")
    engine = "PostgreSQL" if database else "SQLite"
    try:
        cookie, body = app_session(app_port)
        _, ref_cookie, _ = request(reference_port, "GET", "/page-with-draft")
        ref_cookie = ref_cookie.split(";", 1)[0]
        request(reference_port, "POST", "/answer", ANSWER)
        people = [app_session(app_port) for _ in range(PEOPLE)]
        rows = [
            (
                f"answer POST, {engine}",
                (app, PAGE, "POST", "|".join(b for _, b in people), "|".join(c for c, _ in people)),
                (
                    reference,
                    "/answer",
                    "POST",
                    "|".join([ANSWER] * PEOPLE),
                    "|".join(f"token=person-{n}" for n in range(PEOPLE)),
                ),
            ),
            (
                f"answer POST, 1 draft, {engine}",
                (app, PAGE, "POST", body, cookie),
                (reference, "/answer", "POST", ANSWER, ""),
            ),
        ]
        floor_cookies, floor_bodies = reference_people(reference_port)
        plain = (reference, "/answer", "POST", "|".join([ANSWER] * PEOPLE), rows[0][2][4])
        if not database:  # on PostgreSQL the bare POST's database is already the product's
            rows.append(
                (f"floor: bare, on WAL, {engine}", (reference, "/answer-tuned", *plain[2:]), plain)
            )
        rows += [
            (
                f"floor: + CSRF, session, {engine}",
                (reference, "/answer-with-csrf", "POST", floor_bodies, floor_cookies),
                plain,
            ),
            (
                f"floor: + its duties, {engine}",
                (reference, "/answer-with-its-duties", "POST", floor_bodies, floor_cookies),
                plain,
            ),
        ]
        if everything:
            rows[:0] = [
                (
                    f"question page GET, {engine}",
                    (app, PAGE, "GET", "", ""),
                    (reference, "/page", "GET", "", ""),
                ),
                (
                    f"question GET with a draft, {engine}",
                    (app, PAGE, "GET", "", cookie),
                    (reference, "/page-with-draft", "GET", "", ref_cookie),
                ),
            ]
        measured: dict[str, Result] = {}
        for name, mine, theirs in rows:
            ours, bare = interleaved(mine, theirs, args.seconds, args.rounds)
            measured[name] = ours
            print(
                f"{name:34} {ours.requests_per_second:6.0f} {bare.requests_per_second:6.0f} "
                f"{ours.requests_per_second / bare.requests_per_second:5.2f} "
                f"{ours.p50_ms:6.1f} {ours.p99_ms:6.1f} {bare.p50_ms:7.1f} {bare.p99_ms:7.1f} "
                f"{ours.cpu_ms:6.2f} {bare.cpu_ms:5.2f} {bare.cpu_ms / ours.cpu_ms:5.2f} "
                f"{ours.bad + bare.bad:4}"
            )
            sys.stdout.flush()
        post, floor = measured[f"answer POST, {engine}"], measured[f"floor: + its duties, {engine}"]
        rate = post.requests_per_second / floor.requests_per_second
        print(f"{'answer POST over the floor':34} {rate:19.2f} {floor.cpu_ms / post.cpu_ms:38.2f}")
    finally:
        app.stop()
        reference.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
