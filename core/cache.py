"""The shared cache (Redis) as a help, never a dependency.

Django's Redis backend raises when the server is unreachable, which would turn every page
that reads the cache, and every session read (sessions are `cached_db`), into an error.
Here a Redis error is logged and reads as a miss, writes as done: sessions then come from
the database, cached answers are computed again, and everything works again, by itself,
as soon as Redis answers (redis-py reconnects).

Django's client builds a new `redis.Redis` on every call (about 100 µs of CPU, as much as
the read itself); here each server has one connection pool and one client per process,
shared by the threads (redis-py's client is thread-safe, its pool notices a fork). And
`get_or_set` is one read, and one write on a miss: Django's adds then reads again, three
round trips where a computed page pays each.
"""

import logging
import threading

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_MISSING = object()

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)

# (server URL, pool options) -> the process's client of that server.
_clients = {}
_clients_lock = threading.Lock()


class ProcessRedisCacheClient(RedisCacheClient):
    """Django's client, with one `redis.Redis` per server and process instead of one per call."""

    def get_client(self, key=None, *, write=False):
        url = self._servers[self._get_connection_pool_index(write)]
        wanted = (url, repr(sorted(self._pool_options.items())))
        client = _clients.get(wanted)
        if client is None:
            with _clients_lock:
                client = _clients.get(wanted)
                if client is None:
                    pool = self._pool_class.from_url(url, **self._pool_options)
                    client = _clients[wanted] = self._lib.Redis(connection_pool=pool)
        return client


def _tolerant(method_name, fallback):
    method = getattr(RedisCache, method_name)

    def tolerant(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except REDIS_DOWN as error:
            logger.warning("Redis unavailable (%s) for cache.%s: going without.", type(error).__name__, method_name)
            return fallback(*args, **kwargs)

    tolerant.__name__ = method_name
    return tolerant


def _default(key, default=None, *args, **kwargs):
    return default


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ProcessRedisCacheClient

    get = _tolerant("get", _default)
    get_many = _tolerant("get_many", lambda keys, *args, **kwargs: {})
    has_key = _tolerant("has_key", lambda *args, **kwargs: False)
    set = _tolerant("set", lambda *args, **kwargs: None)
    set_many = _tolerant("set_many", lambda *args, **kwargs: [])
    add = _tolerant("add", lambda *args, **kwargs: False)
    touch = _tolerant("touch", lambda *args, **kwargs: False)
    delete = _tolerant("delete", lambda *args, **kwargs: False)
    delete_many = _tolerant("delete_many", lambda *args, **kwargs: None)
    clear = _tolerant("clear", lambda *args, **kwargs: False)
    # A counter (a rate limit) counts from scratch while Redis is away.
    incr = _tolerant("incr", lambda key, delta=1, *args, **kwargs: delta)

    def get_or_set(self, key, default, timeout=DEFAULT_TIMEOUT, version=None):
        """The cached value, else `default` (or what it returns when callable), stored; a
        value computed by two workers at once is equally right, so no add-then-read."""
        value = self.get(key, _MISSING, version=version)
        if value is _MISSING:
            value = default() if callable(default) else default
            if value is not None:
                self.set(key, value, timeout, version=version)
        return value
