"""gunicorn's configuration: `gunicorn -c config/gunicorn.py config.wsgi` (see scripts/serve).

Every value can be changed from the environment. The app is loaded once in the master
(`preload_app`), then each worker moves what it inherited to the collector's permanent
generation (`gc.freeze()`): those objects are no longer scanned at each full collection,
and their memory pages stay shared with the master (docs/operations.md).
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (jitter: not all at once), bounding any leak.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
GC_FREEZE = os.environ.get("GUNICORN_GC_FREEZE", "true").lower() in {"1", "true", "yes", "on"}


def on_starting(server):
    # No collection in the master while it loads the app: nothing half-collected is forked.
    if GC_FREEZE:
        gc.disable()


def post_fork(server, worker):
    if GC_FREEZE:
        gc.freeze()
        # A young collection every 10,000 allocations rather than 700: a page allocates tens
        # of thousands of objects, and the full collections that chained mostly stop (a
        # 3-minute load run: 55 of them, 3.4 s of pauses, before; 4, 0.3 s, after; the
        # workers' memory the same: docs/benchmarks.md).
        gc.set_threshold(10_000, 10, 10)
        gc.enable()
