"""Production settings: safe by default, refusing to start without what they need."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {"DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
              "DJANGO_ALLOWED_HOSTS": "record.example.org", "DATABASE_URL": "postgres://u:p@127.0.0.1:1/db"}


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=60)


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("missing", "message"), [("DJANGO_SECRET_KEY", "Set DJANGO_SECRET_KEY"),
                                                  ("DJANGO_ALLOWED_HOSTS", "Set DJANGO_ALLOWED_HOSTS"),
                                                  ("DATABASE_URL", "Set DATABASE_URL")])
def test_production_refuses_to_start_without(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0 and message in result.stderr


def test_debug_is_off_unless_asked():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", **PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_site_url_comes_from_the_environment_or_the_allowed_host():
    show = ("shell", "-c", "from django.conf import settings; print(settings.SITE_URL)")
    assert manage(*show, **PRODUCTION).stdout.strip().splitlines()[-1] == "https://record.example.org"
    given = manage(*show, **PRODUCTION, DJANGO_SITE_URL="https://dprk.example.net/")
    assert given.stdout.strip().splitlines()[-1] == "https://dprk.example.net"
    refused = manage("check", **PRODUCTION, DJANGO_SITE_URL="record.example.org/data")
    assert refused.returncode != 0 and "DJANGO_SITE_URL" in refused.stderr
