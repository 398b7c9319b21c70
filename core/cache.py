"""The shared cache (Redis) as a help, never a dependency.

Django's Redis backend raises when the server is unreachable, which would turn every page
that reads the cache, and every session read (sessions are `cached_db`), into an error.
Here a Redis error is logged and reads as a miss, writes as done: sessions then come from
the database, cached answers are computed again, and everything works again, by itself,
as soon as Redis answers (redis-py reconnects).
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)


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
