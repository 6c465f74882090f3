"""With REDIS_URL, pages are cached in one Redis that every worker and host shares."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_redis_url_selects_the_shared_cache():
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6390/2"}
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c",
                             "from django.conf import settings; c = settings.CACHES['default']; "
                             "print(c['BACKEND'], c['LOCATION'])"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split()[-2:] == ["django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6390/2"]


def test_a_page_rendered_by_one_worker_is_served_by_another(client, record, settings, redis_url,
                                                             django_assert_num_queries):
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url,
                                   "KEY_PREFIX": "shared-test"}}
    caches["default"].clear()
    first = client.get("/votes/", HTTP_ACCEPT_ENCODING="gzip")
    assert any(b"page:" in key for key in redis.Redis.from_url(redis_url).keys("shared-test*"))
    # Another worker: a fresh connection to the same Redis, nothing in this process's memory.
    del caches["default"]
    with django_assert_num_queries(1):  # the version only; the page comes from Redis
        second = client.get("/votes/", HTTP_ACCEPT_ENCODING="gzip")
    assert second.content == first.content and second["Content-Encoding"] == "gzip"
    caches["default"].clear()


def test_a_redis_that_is_away_costs_a_render_not_a_page(client, record, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0", "OPTIONS": {"socket_connect_timeout": 0.2}}}
    response = client.get("/votes/")
    assert response.status_code == 200 and b"<table" in response.content
