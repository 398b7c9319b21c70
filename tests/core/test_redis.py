"""The shared cache and the sessions on a real Redis server the tests start and stop."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from tests.servers import start_redis

pytestmark = pytest.mark.django_db


def test_setting_redis_url_gives_the_redis_cache_and_sessions_on_it():
    environment = {
        **os.environ,
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 50,
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'], s.SESSION_ENGINE)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    ).stdout.split()
    assert output == [
        "core.cache.ResilientRedisCache",
        "redis://127.0.0.1:6379/14",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_the_cache_lives_in_redis(redis_server):
    cache.set("marches", {"logiciels": 3}, 60)
    assert cache.get("marches") == {"logiciels": 3}
    assert any(b"marches" in key for key in redis_server.client.keys("*"))


def test_a_member_session_is_in_redis_and_survives_it(client, member, redis_server):
    client.force_login(member)
    dashboard = reverse("subscriptions:dashboard")
    assert client.get(dashboard).status_code == 200
    session_keys = redis_server.client.keys("*cached_db*")
    assert len(session_keys) == 1

    redis_server.client.flushall()  # Redis emptied (restarted without data): the database has it
    assert client.get(dashboard).status_code == 200
    assert len(redis_server.client.keys("*cached_db*")) == 1  # read back from the database, cached again

    redis_server.stop()  # Redis down: still logged in, the page is served
    assert cache.get("marches", "absent") == "absent"
    assert client.get(dashboard).status_code == 200


def test_the_cache_works_again_when_redis_comes_back(redis_server):
    cache.set("a", 1)
    redis_server.stop()
    assert cache.get("a") is None and cache.incr("compteur") == 1  # a miss, a fresh count: no error
    back = start_redis(redis_server.port)
    try:
        cache.set("a", 2)
        assert cache.get("a") == 2 and redis_server.client.get(cache.make_and_validate_key("a")) is not None
    finally:
        back.stop()


def test_one_redis_client_per_process_serves_every_call_and_thread(redis_server):
    """Django's client built a `redis.Redis` per call; ours is built once per server and shared."""
    import threading

    from django.core.cache import caches

    cache.set("a", 1)
    seen = [cache._cache.get_client(), cache._cache.get_client(write=True)]

    def other_thread():  # Django gives each thread its own cache backend: the client is still one
        caches["default"].set("b", 2)
        seen.append(caches["default"]._cache.get_client())

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert cache.get("b") == 2
    assert len({id(client) for client in seen}) == 1
    assert seen[0].connection_pool.connection_kwargs["port"] == redis_server.port


def test_get_or_set_reads_once_and_writes_once_on_a_miss(redis_server):
    """Django's adds then reads again: three round trips where one read and one write do."""

    def commands():
        stats = redis_server.client.info("commandstats")
        return {name: stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("get", "set")}

    computed = []
    before = commands()
    assert cache.get_or_set("résultats", lambda: computed.append(1) or [1, 2]) == [1, 2]
    after_miss = commands()
    assert cache.get_or_set("résultats", lambda: computed.append(1) or [3]) == [1, 2]
    after_hit = commands()
    assert computed == [1]
    assert (after_miss["get"] - before["get"], after_miss["set"] - before["set"]) == (1, 1)
    assert (after_hit["get"] - after_miss["get"], after_hit["set"] - after_miss["set"]) == (1, 0)
    redis_server.stop()
    assert cache.get_or_set("résultats", lambda: "calculé") == "calculé"  # Redis away: computed
