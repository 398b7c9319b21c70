#!/usr/bin/env python
"""Load and fault runs against gunicorn + PostgreSQL + Redis, measured (docs/benchmarks.md).

    .venv/bin/python benchmarks/loadtest.py                  # wrk: the floor, then each mix, 50 connections, 30 s
    .venv/bin/python benchmarks/loadtest.py --mix prices --duration 20
    .venv/bin/python benchmarks/loadtest.py --gc-compare     # Python users, with and without gc.freeze()
    .venv/bin/python benchmarks/loadtest.py --fault          # PostgreSQL restarted in the middle of a run

The normal run needs DATABASE_URL (PostgreSQL) and REDIS_URL; it migrates that database and
loads the demo plus load-test members into it. The fault run makes a PostgreSQL cluster of
its own (initdb, a free port, a temporary folder) and stops and starts only that one.

The normal run drives the server with wrk (benchmarks/wrk.py: a Lua script per mix, the
floor, anonymous visitors, members with their session cookies, "Produits et prix") and
reports req/s, p50/p95/p99, errors and the workers' CPU per request. The fault and gc runs
keep Python threads as virtual users (they post forms and follow phases), each with its own
session, waiting for each answer before the next request (no think time: the figures are
the server's capacity, not a traffic forecast). The floor is the same gunicorn and middleware
serving a view that does nothing (benchmarks/loadtest_floor.py). The portal is served with production settings and the
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
from urllib.parse import quote

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import wrk  # noqa: E402

FLOOR_PATH = "__plancher-catalogue__/"  # benchmarks.catalogue, .engine (not imported: no Django here)
PRICES_FLOOR_PATH = "__plancher-prix__/"

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
PUBLIC_ACTIONS = ("home", "catalogue", "market", "public_download", "search")


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
    public_actions = [(a, w) for a, w in MIX if a in PUBLIC_ACTIONS]
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


def mixes(base, data, *, members):
    """{name: [(path, cookie)]} of the anonymous, member and prices mixes, drawn with MIX's
    weights; `members` load-test accounts log in first (their session cookies)."""
    visitor = VirtualUser(base, data)

    def pool(user, action, cookie="", n=200):
        return [(user.path_for(action), cookie) for _ in range(n)]

    public = [(w, pool(visitor, action)) for action, w in MIX if action in PUBLIC_ACTIONS]
    member_pools = []
    for account in data["accounts"][:members]:
        user = VirtualUser(base, data, account)
        user.login()
        cookie = "; ".join(f"{k}={v}" for k, v in user.cookies.items())
        member_pools += [(w, pool(user, action, cookie, n=20)) for action, w in MIX]
    prices, rnd = data["prices"], random.Random(7)
    words = prices["words"]
    price_pools = [
        (30, [(f"/prix/?q={quote(word)}", "") for word in prices["words"]]),
        (10, [("/prix/", ""), ("/prix/?tri=prix", ""), ("/prix/?statut=tous", "")]),
        (15, [(f"/prix/?editeur={quote(p)}", "") for p in prices["publishers"]]),
        (10, [(f"/prix/?categorie={quote(c)}&tri=prix-desc", "") for c in prices["categories"]]),
        (15, [(f"/prix/?q={quote(word)}&page=2", "") for word in rnd.sample(words, min(20, len(words)))]),
        (20, [(f"/prix/{pk}/", "") for pk in prices["lines"]]),
    ]
    catalogue = [(path, cookie) for path, cookie in wrk.draw(public) if path.startswith(data["catalogue"])]
    searched = [(path, "") for path, _ in wrk.draw(price_pools) if path.startswith("/prix/?") or path == "/prix/"]
    return {
        # The catalogue's and the prices' own requests beside their floors (same parameters).
        "catalogue": catalogue,
        "catalogue floor": [(catalogue_floor(path, data), "") for path, _ in catalogue],
        "prices searches": searched,
        "prices floor": [(path.replace("/prix/", f"/{PRICES_FLOOR_PATH}", 1), "") for path, _ in searched],
        "anonymous": wrk.draw(public),
        "member": wrk.draw(member_pools),
        "prices": wrk.draw(price_pools),
    }


def catalogue_floor(path, data):
    """The floor view's URL for a catalogue URL (benchmarks.catalogue.floor_url)."""
    query = path.partition("?")[2]
    return f"/{FLOOR_PATH}?racine={data['index_path']}" + (f"&{query}" if query else "")


def normal_run(args):
    """The floor and each mix through wrk, each on a fresh gunicorn, same settings, one after
    the other; figures in JSON, with each mix's worker CPU per request over the floor's."""
    env = base_env(os.environ["DATABASE_URL"], os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"))
    # The portal with the floors of its pages beside it (benchmarks/loadtest_site.py).
    env["DJANGO_SETTINGS_MODULE"] = "benchmarks.loadtest_site"
    manage("collectstatic", "--noinput", env=env)
    data = prepare_data(env, max(args.members, 1))
    bounds = {"duration": args.duration, "connections": args.connections, "threads": args.threads}
    results = {}

    floor = Gunicorn(env, app="benchmarks.loadtest_floor:application", workers=args.workers)
    results["floor"] = wrk.run(floor.url + "/", "floor", [("/", "")], workers=floor.workers, **bounds)
    floor.stop()
    portal = Gunicorn(env, workers=args.workers)
    try:
        for name, requests_ in mixes(portal.url, data, members=args.members).items():
            if args.mix and name not in args.mix:
                continue
            # One pass untimed: caches filled as a running site has them (routes, menus, results).
            wrk.run(portal.url + "/", name, requests_, workers=portal.workers, **{**bounds, "duration": args.warm_up})
            results[name] = wrk.run(portal.url + "/", name, requests_, workers=portal.workers, **bounds)
        results["memory_mib_rss_pss"] = portal.memory()
    finally:
        results["gc"] = portal.stop()

    def cpu(name):
        figures = results.get(name)
        return figures.get("worker_cpu_ms_per_request") if isinstance(figures, dict) else None

    # Worker CPU per request over a floor's: the bare "ok" view's for every mix; a bare view
    # giving the same cards and counts (the catalogue's, the prices') for the catalogue's
    # requests and the visitors' and members' mixes, and for the prices' searches and mix.
    for name, figures in results.items():
        if cpu(name) and cpu("floor"):
            figures["cpu_per_request_vs_floor"] = round(cpu(name) / cpu("floor"), 2)
    views = {"catalogue": "catalogue floor", "anonymous": "catalogue floor", "member": "catalogue floor"}
    views |= {"prices searches": "prices floor", "prices": "prices floor"}
    for name, floor in views.items():
        if cpu(name) and cpu(floor):
            results[name]["cpu_per_request_vs_floor_view"] = round(cpu(name) / cpu(floor), 2)
    results["run"] = {**bounds, "workers": args.workers, "load average (1, 5, 15 min)": os.getloadavg()}
    print(json.dumps(results, indent=1, ensure_ascii=False))


def gc_compare_run(args):
    """The former Python-thread users, with and without gc.freeze() (benchmarks' history)."""
    env = base_env(os.environ["DATABASE_URL"], os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"))
    manage("collectstatic", "--noinput", env=env)
    data = prepare_data(env, args.users)
    results = {}
    for label, extra in (("portal", {}), ("portal, no gc.freeze()", {"GUNICORN_GC_FREEZE": "false"})):
        portal = Gunicorn(env, workers=args.workers, extra_env=extra)
        records, _, _ = run_load(portal.url, data, users=args.users, duration=args.duration)
        results[label] = summary(records, args.duration)
        results[label]["gc"] = portal.stop()
    code = "from benchmarks import loadtest_data; loadtest_data.full_collection_pauses()"
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    results["full collection in a loaded worker"] = json.loads(output.split("DATA ", 1)[1])
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
    parser.add_argument("--duration", type=int, default=30, help="seconds of each wrk run")
    parser.add_argument("--warm-up", type=int, default=5, help="seconds of each mix's untimed pass")
    parser.add_argument("--connections", type=int, default=50, help="wrk's open connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--members", type=int, default=10, help="members logged in for the member mix")
    parser.add_argument("--mix", action="append", help="only this mix (repeat); the floor always runs")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=50, help="Python users of --fault and --gc-compare")
    parser.add_argument("--gc-compare", action="store_true")
    parser.add_argument("--fault", action="store_true")
    parser.add_argument("--outage", type=float, default=8, help="seconds PostgreSQL stays down (--fault)")
    args = parser.parse_args()
    if args.fault:
        fault_run(args)
    elif args.gc_compare:
        gc_compare_run(args)
    else:
        normal_run(args)


if __name__ == "__main__":
    main()
