"""Sessions in Redis, written through to the database (SESSION_ENGINE with REDIS_URL).

Django's cached_db engine, except that a cache which does not answer (Redis restarting)
is only a slower path: the session is read from the database and nobody is signed out
or refused. Deleting a session (signing out) still needs the cache, so a signed-out
session can never come back from it.
"""

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbStore
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

UNAVAILABLE = (ConnectionInterrupted, RedisError, OSError)


class SessionStore(CachedDbStore):
    def load(self):
        try:
            return super().load()
        except UNAVAILABLE as exc:
            logger.warning("Session read from the database, cache unavailable: %s", exc)
            return DBStore.load(self)

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except UNAVAILABLE:
            return DBStore.exists(self, session_key)
