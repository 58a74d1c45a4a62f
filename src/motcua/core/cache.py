"""The shared cache in Redis, for what the app keeps there only to go faster (the replica's
read-your-writes marks): while Redis cannot be reached, a read is a miss and a write is dropped,
with a warning (``shared_redis.unavailable``), instead of Django's RedisCache raising into the
request — possibly after its transaction committed. ``incr``, ``decr`` and ``clear`` still raise:
nothing counts on the cache for a number."""

from __future__ import annotations

from typing import Any

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from motcua.core import shared_redis

_USE = "cache unavailable, treated as a miss"


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        # The shared client's short timeouts and single quick retry, unless OPTIONS say otherwise.
        options: dict[str, Any] = params.get("OPTIONS", {})
        self._options = {**shared_redis.CONNECTION_OPTIONS, **options}

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except redis.RedisError as exc:
            shared_redis.unavailable(_USE, exc)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except redis.RedisError as exc:
            shared_redis.unavailable(_USE, exc)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return bool(super().has_key(key, version))
        except redis.RedisError as exc:
            shared_redis.unavailable(_USE, exc)
            return False

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except redis.RedisError as exc:
            shared_redis.unavailable(_USE, exc)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return bool(super().add(key, value, timeout, version))
        except redis.RedisError as exc:
            shared_redis.unavailable(_USE, exc)
            return False

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        try:
            return list(super().set_many(data, timeout, version))
        except redis.RedisError as exc:
            shared_redis.unavailable(_USE, exc)
            return list(data)  # the keys not set, as the cache API reports them

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return bool(super().touch(key, timeout, version))
        except redis.RedisError as exc:
            shared_redis.unavailable(_USE, exc)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return bool(super().delete(key, version))
        except redis.RedisError as exc:
            shared_redis.unavailable(_USE, exc)
            return False

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except redis.RedisError as exc:
            shared_redis.unavailable(_USE, exc)
