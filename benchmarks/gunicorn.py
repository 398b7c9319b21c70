"""gunicorn's configuration for load runs (benchmarks/loadtest.py): the product's, plus a record
of each worker's full collections.

    gunicorn -c benchmarks/gunicorn.py config.wsgi

Every setting and hook of config/gunicorn.py applies; on exit each worker appends its
full-collection pauses to GUNICORN_GC_STATS_FILE as one JSON line.
"""

import gc
import json
import os
import time

from config import gunicorn as product
from config.gunicorn import *  # noqa: F403  (gunicorn reads the settings from this module's names)

GC_STATS_FILE = os.environ.get("GUNICORN_GC_STATS_FILE")


def post_fork(server, worker):
    product.post_fork(server, worker)
    if GC_STATS_FILE:
        _record_full_collections(worker)


def worker_exit(server, worker):
    pauses = getattr(worker, "gc_pauses", None)
    if GC_STATS_FILE and pauses is not None:
        with open(GC_STATS_FILE, "a") as handle:
            handle.write(json.dumps({"pid": worker.pid, "frozen": gc.get_freeze_count(), "pauses": pauses}) + "\n")


def _record_full_collections(worker):
    worker.gc_pauses = []
    started = {}

    def callback(phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            started["at"] = time.perf_counter()
        elif "at" in started:
            worker.gc_pauses.append(time.perf_counter() - started.pop("at"))

    gc.callbacks.append(callback)
