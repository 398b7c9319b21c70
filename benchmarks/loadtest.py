#!/usr/bin/env python
"""Load and fault runs against gunicorn + PostgreSQL + Redis, measured (docs/operations.md).

    .venv/bin/python benchmarks/loadtest.py                  # floor, then the portal: 50 users, 60 s each
    .venv/bin/python benchmarks/loadtest.py --gc-compare     # the portal again without gc.freeze()
    .venv/bin/python benchmarks/loadtest.py --fault          # PostgreSQL restarted in the middle of a run

The normal run needs DATABASE_URL (PostgreSQL) and REDIS_URL; it migrates that database and
loads the demo plus load-test members into it. The fault run makes a PostgreSQL cluster of
its own (initdb, a free port, a temporary folder) and stops and starts only that one.

Each virtual user is a thread with its own session, waiting for each answer before the next
request (no think time: the figures are the server's capacity, not a traffic forecast). The
floor is the same gunicorn and middleware serving a view that does nothing
(benchmarks/loadtest_floor.py). The portal is served with production settings and the
product's gunicorn configuration plus a record of each worker's full collections
(benchmarks/gunicorn.py).
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "Charge-de-test-2026!"
KEYWORDS = ["logiciels", "sécurité", "réseau", "téléphonie", "matériel", "cloud", "impression", "licences", "xyz"]
MIX = [  # (action, weight)
    ("home", 12),
    ("catalogue", 22),
    ("market", 14),
    ("public_download", 8),
    ("search", 10),
    ("dashboard", 12),
    ("my_markets", 10),
    ("pieces", 12),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2, headers={"X-Forwarded-Proto": "https"})
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise TimeoutError(url)


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


# Data -----------------------------------------------------------------------------------


def prepare_data(env, users):
    """Demo content plus `users` active members, each with a validated establishment and one
    subscription; returns what the virtual users will ask for."""
    manage("migrate", "--noinput", env=env)
    manage("load_demo", "--force", env=env)
    code = f"from benchmarks import loadtest_data; loadtest_data.prepare({users}, {PASSWORD!r})"
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.split("DATA ", 1)[1])


# Servers --------------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, env, *, app="config.wsgi", workers=4, extra_env=None):
        self.port = free_port()
        self.gc_file = Path(tempfile.mkstemp(prefix="gc-", suffix=".jsonl")[1])
        self.env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_ACCESS_LOG": "",
            "GUNICORN_GC_STATS_FILE": str(self.gc_file),
            "GUNICORN_MAX_REQUESTS": "0",
            **(extra_env or {}),
        }
        args = [str(ROOT / ".venv/bin/gunicorn"), "-c", "benchmarks/gunicorn.py", app]
        self.log = open(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1], "w")
        self.process = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)
        self.url = f"http://127.0.0.1:{self.port}"
        wait_http(self.url + "/")

    def workers(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def memory(self):
        """Per worker: resident and proportional (shared pages split among sharers) size, MiB."""
        figures = []
        for pid in self.workers():
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            rss = int(re.search(r"^Rss:\s+(\d+)", rollup, re.M).group(1)) / 1024
            pss = int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1)) / 1024
            figures.append((round(rss), round(pss)))
        return figures

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(60)
        self.log.close()
        lines = [json.loads(line) for line in self.gc_file.read_text().splitlines() if line.strip()]
        pauses = [pause for line in lines for pause in line["pauses"]]
        return {
            "full_collections": len(pauses),
            "pause_total_ms": round(sum(pauses) * 1000, 1),
            "pause_max_ms": round(max(pauses, default=0) * 1000, 1),
            "frozen_objects": lines[0]["frozen"] if lines else None,
        }


# Virtual users --------------------------------------------------------------------------


class VirtualUser:
    """A browser of its own: cookies kept by hand (the session cookie is Secure and the
    proxy's X-Forwarded-Proto says HTTPS, as behind the real proxy)."""

    def __init__(self, base, data, account=None):
        self.base = base
        self.data = data
        self.account = account
        self.http = requests.Session()
        self.cookies = {}
        self.random = random.Random()

    def request(self, method, path, timeout=30, **kwargs):
        host = self.base.split("://", 1)[1]
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{host}",
            "Referer": f"https://{host}{path}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        response = self.http.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=timeout, **kwargs
        )
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value
        return response

    def csrf_post(self, path, fields, **kwargs):
        page = self.request("GET", path, **kwargs)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status_code != 200 or not token:
            return page
        return self.request("POST", path, data={**fields, "csrfmiddlewaretoken": token.group(1)}, **kwargs)

    def login(self):
        """Before the clock starts; a busy server (password hashing) gets time and a second try."""
        for _ in range(3):
            try:
                response = self.csrf_post(
                    "/compte/connexion/", {"username": self.account["email"], "password": PASSWORD}, timeout=180
                )
            except requests.RequestException:
                continue
            if response.status_code == 302:
                return
        raise RuntimeError(f"login failed for {self.account['email']}")

    def path_for(self, action):
        data, rnd = self.data, self.random
        if action == "home":
            return "/"
        if action == "catalogue":
            params = []
            if rnd.random() < 0.6:
                params.append(("q", rnd.choice(KEYWORDS)))
            if data["themes"] and rnd.random() < 0.4:
                params.append(("theme", rnd.choice(data["themes"])))
            if rnd.random() < 0.3:
                params.append(("statut", rnd.choice(["en-cours", "tous", "a-venir"])))
            return data["catalogue"] + ("?" + "&".join(f"{k}={v}" for k, v in params) if params else "")
        if action == "market":
            return rnd.choice(data["markets"])
        if action == "public_download":
            return rnd.choice(data["public"])
        if action == "search":
            return f"/recherche/?q={rnd.choice(KEYWORDS)}"
        if action == "dashboard":
            return "/compte/tableau-de-bord/"
        if action == "my_markets":
            return "/compte/marches/"
        if action == "pieces":
            return f"/compte/souscriptions/{self.account['subscription']}/pieces/"
        raise ValueError(action)


def run_load(base, data, *, users, duration, floor=False, fault=None, subscribe=False):
    """`users` threads for `duration` seconds; returns the records (t, action, status, seconds)."""
    records, lock = [], threading.Lock()
    public_actions = [(a, w) for a, w in MIX if a in ("home", "catalogue", "market", "public_download", "search")]
    stop_at = [None]
    ready, go = threading.Barrier(users + 1), threading.Event()
    subscriptions = []  # (account, market id, final status)

    def worker(index):
        account = data["accounts"][index % len(data["accounts"])] if data else None
        user = VirtualUser(base, data, account)
        logged_in = not floor and index % 2 == 0  # half the users are members
        try:
            if logged_in:
                user.login()
        finally:
            ready.wait()
            go.wait()
        actions = MIX if logged_in else public_actions
        names, weights = zip(*actions, strict=True)
        markets_left = list(data["market_ids"]) if (subscribe and logged_in) else []
        while time.monotonic() < stop_at[0]:
            if floor:
                action, method, path, fields = "floor", "GET", "/", None
            elif markets_left and user.random.random() < 0.1:
                market = markets_left.pop()
                action, method, path = "subscribe", "POST", f"/compte/marches/{market}/souscrire/"
                fields = {
                    "mode": "establishment",
                    "establishment": account["establishment"],
                    "association_standing": "member",
                }
            else:
                action = user.random.choices(names, weights)[0]
                method, path, fields = "GET", user.path_for(action), None
            started = time.monotonic()
            try:
                if action == "subscribe":
                    response = user.csrf_post(path, fields)
                    # A user whose request failed (the 503 page) asks again until it is taken.
                    while response.status_code != 302 and time.monotonic() < stop_at[0] + 30:
                        with lock:
                            records.append((started, action, response.status_code, time.monotonic() - started))
                        time.sleep(1)
                        started = time.monotonic()
                        response = user.csrf_post(path, fields)
                    subscriptions.append((account["establishment"], market, response.status_code))
                else:
                    response = user.request(method, path)
                    for _ in response.iter_content(65536):
                        pass
                status = response.status_code
            except requests.RequestException as error:
                status = type(error).__name__
            with lock:
                records.append((started, action, status, time.monotonic() - started))

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    ready.wait()  # every member logged in: the clock starts
    started = time.monotonic()
    stop_at[0] = started + duration
    go.set()
    if fault:
        fault(started)
    for thread in threads:
        thread.join(duration + 120)
    return records, started, subscriptions


def summary(records, duration):
    latencies = sorted(seconds for _, _, _, seconds in records)
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    errors = [r for r in records if not (isinstance(r[2], int) and r[2] < 400)]
    return {
        "requests": len(records),
        "rps": round(len(records) / duration, 1),
        "p50_ms": round(quantiles[49] * 1000),
        "p95_ms": round(quantiles[94] * 1000),
        "p99_ms": round(quantiles[98] * 1000),
        "errors": len(errors),
        "statuses": dict(Counter(str(r[2]) for r in records)),
    }


def by_action(records):
    table = {}
    for action in sorted({r[1] for r in records}):
        latencies = sorted(r[3] for r in records if r[1] == action)
        table[action] = {
            "n": len(latencies),
            "p50_ms": round(latencies[len(latencies) // 2] * 1000),
            "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000),
        }
    return table


# Runs -----------------------------------------------------------------------------------


def base_env(database_url, redis_url):
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),  # benchmarks/gunicorn.py imports config/gunicorn.py
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-" + "x" * 50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(ROOT / "var" / "static-loadtest"),
        "LOG_LEVEL": "ERROR",
    }


def normal_run(args):
    env = base_env(os.environ["DATABASE_URL"], os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"))
    manage("collectstatic", "--noinput", env=env)
    data = prepare_data(env, args.users)
    results = {}

    floor = Gunicorn(env, app="benchmarks.loadtest_floor:application", workers=args.workers)
    records, _, _ = run_load(floor.url, None, users=args.users, duration=args.duration, floor=True)
    results["floor (bare Django view)"] = summary(records, args.duration)
    floor.stop()

    configurations = [("portal", {})]
    if args.gc_compare:
        configurations.append(("portal, no gc.freeze()", {"GUNICORN_GC_FREEZE": "false"}))
    for label, extra in configurations:
        portal = Gunicorn(env, workers=args.workers, extra_env=extra)
        records, _, _ = run_load(portal.url, data, users=args.users, duration=args.duration)
        results[label] = summary(records, args.duration)
        results[label]["by_action"] = by_action(records)
        results[label]["memory_mib_rss_pss"] = portal.memory()
        results[label]["gc"] = portal.stop()
    if args.gc_compare:
        code = "from benchmarks import loadtest_data; loadtest_data.full_collection_pauses()"
        output = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout
        results["full collection in a loaded worker"] = json.loads(output.split("DATA ", 1)[1])
    results["load average (1, 5, 15 min)"] = os.getloadavg()
    print(json.dumps(results, indent=1, ensure_ascii=False))


def fault_run(args):
    folder = Path(tempfile.mkdtemp(prefix="canut-pg-fault-"))
    port = free_port()
    pg_bin = Path(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip())
    initdb = shutil.which("initdb") or str(pg_bin / "initdb")
    pg_ctl = shutil.which("pg_ctl") or str(pg_bin / "pg_ctl")
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(folder, "postgres")
    data_dir, log = folder / "data", folder / "postgres.log"
    subprocess.run(
        [*as_postgres, initdb, "-D", str(data_dir), "-U", "postgres", "-A", "trust"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    start = [*as_postgres, pg_ctl, "-D", str(data_dir), "-l", str(log), "-o", options, "-w", "start"]
    stop = [*as_postgres, pg_ctl, "-D", str(data_dir), "-m", "fast", "-w", "stop"]
    subprocess.run(start, check=True, stdout=subprocess.DEVNULL)
    try:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "canut_fault"], check=True)
        env = base_env(
            f"postgres://postgres@127.0.0.1:{port}/canut_fault",
            os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
        )
        manage("collectstatic", "--noinput", env=env)
        data = prepare_data(env, args.users)
        portal = Gunicorn(env, workers=args.workers)
        outage = {}

        def restart(started):
            time.sleep(args.duration / 3)
            outage["down"] = time.monotonic()
            subprocess.run(stop, check=True, stdout=subprocess.DEVNULL)
            time.sleep(args.outage)
            subprocess.run(start, check=True, stdout=subprocess.DEVNULL)
            outage["up"] = time.monotonic()

        records, started, subscriptions = run_load(
            portal.url, data, users=args.users, duration=args.duration, fault=restart, subscribe=True
        )
        portal.stop()
        # By when the answer came: a request started before the stop may meet the outage.
        before = [r for r in records if r[0] + r[3] < outage["down"]]
        during = [r for r in records if r[0] + r[3] >= outage["down"] and r[0] <= outage["up"]]
        after = [r for r in records if r[0] > outage["up"]]
        code = "from benchmarks import loadtest_data; loadtest_data.subscription_counts()"
        output = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout
        rows = {(r["establishment_id"], r["market_id"]): r["n"] for r in json.loads(output.split("DATA ", 1)[1])}
        asked = [(e, m) for e, m, status in subscriptions if status == 302]
        report = {
            "outage_seconds": round(outage["up"] - outage["down"], 1),
            "before": dict(Counter(str(r[2]) for r in before)),
            "during": dict(Counter(str(r[2]) for r in during)),
            "after": dict(Counter(str(r[2]) for r in after)),
            "errors_after_recovery": sum(1 for r in after if not (isinstance(r[2], int) and r[2] < 400)),
            "subscriptions_asked_and_confirmed": len(asked),
            "subscriptions_not_confirmed": sum(1 for *_, status in subscriptions if status != 302),
            "lost": sum(1 for pair in asked if rows.get(pair, 0) == 0),
            "duplicated": sum(1 for n in rows.values() if n > 1),
        }
        print(json.dumps(report, indent=1))
    finally:
        subprocess.run(stop, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--gc-compare", action="store_true")
    parser.add_argument("--fault", action="store_true")
    parser.add_argument("--outage", type=float, default=8, help="seconds PostgreSQL stays down (--fault)")
    args = parser.parse_args()
    fault_run(args) if args.fault else normal_run(args)


if __name__ == "__main__":
    main()
