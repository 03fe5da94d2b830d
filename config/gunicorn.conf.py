"""gunicorn's settings for `make serve`: sync workers from the CPU count, production mode.

Environment: PORT (default 8000), BIND (default 0.0.0.0:PORT), WEB_CONCURRENCY (workers,
default 2 x CPUs + 1), SECRET_KEY (required), SERVICE_BUILDER_TRUSTED_PROXIES, METRICS_TOKEN.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

if not os.environ.get("SECRET_KEY"):
    sys.exit("SECRET_KEY must be set to serve (a long random value, the same on every server)")
os.environ.setdefault("SERVICE_BUILDER_ENV", "production")

# The workers' metrics are added up through files in this folder (prometheus-client). The
# last run's files would add stale counts, so they go; anything else an operator keeps in the
# folder stays. A folder made here, for want of one, goes when the server stops (this file
# runs again at each SIGHUP, in the same process: the environment says it was made here).
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    made = tempfile.mkdtemp(prefix="service-builder-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.environ["SERVICE_BUILDER_METRICS_MADE"] = made
metrics_dir = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
_made_here = os.environ.get("SERVICE_BUILDER_METRICS_MADE") == str(metrics_dir)
metrics_dir.mkdir(parents=True, exist_ok=True)
for stale in metrics_dir.glob("*.db"):
    stale.unlink(missing_ok=True)

wsgi_app = "service_builder:create_app()"
bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
proc_name = f"service-builder {bind}"  # tells instances on one host apart in ps and top
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) * 2 + 1))
worker_class = "sync"  # a request is CPU and one database round trip or two: no need for async
timeout = 30
graceful_timeout = 30
keepalive = 2
max_requests = 5000  # recycle workers now and then, so a slow leak cannot grow for ever
max_requests_jitter = 500
# gunicorn's control socket (gunicornc) is one path per user ($HOME/.gunicorn/gunicorn.ctl):
# a second instance on the host would take it from the first. Signals (HUP, TERM, TTIN) do
# the same work per master.
control_socket_disable = True
# gunicorn's own lines go through the app's handler: one JSON object a line, to
# SERVICE_BUILDER_LOG_FILE (reopened when logrotate moves it) or standard error.
# (imported once PROMETHEUS_MULTIPROC_DIR is set, in case it ever imports prometheus-client)
from service_builder.logs import gunicorn_logconfig  # noqa: E402

logconfig_dict = gunicorn_logconfig(os.environ["SERVICE_BUILDER_ENV"])
accesslog = None  # the app writes its own access lines (JSON, with the request id)
# Which proxies are believed is SERVICE_BUILDER_TRUSTED_PROXIES' alone (werkzeug's ProxyFix,
# in the app). gunicorn's defaults would also take the scheme from X-Forwarded-Proto, -Ssl or
# -Protocol sent from 127.0.0.1, whatever that setting says.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_starting(server):  # type: ignore[no-untyped-def]
    # A schema behind the code's stops the server here, in one line ("Error: …"), before
    # any worker starts; a database that does not answer is the workers' to wait for.
    from service_builder.config import ConfigError, unshared_limits
    from service_builder.database import refuse_a_schema_behind

    try:
        refuse_a_schema_behind()
    except ConfigError as error:  # said in the log file too, not only on standard error
        server.log.error("not starting: %s", error)
        on_exit(server)
        raise
    limits = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    warning = unshared_limits(server.cfg.workers, limits)
    if warning:
        server.log.warning(warning)


def on_exit(server):  # type: ignore[no-untyped-def]
    if _made_here:
        shutil.rmtree(metrics_dir, ignore_errors=True)
