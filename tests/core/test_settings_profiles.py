"""One code base, two profiles: the environment picks the database and the channel layer."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROFILE_VARS = (
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_ENV",
    "SECRET_KEY",
    "DEBUG",
    "EMAIL_URL",
    "FAST_PASSWORD_HASHER",
    "SITE_URL",
)

PRINT_PROFILE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE']); print(s.CHANNEL_LAYERS['default']['BACKEND']); "
    "print(s.CACHES['default']['BACKEND']); print(s.EMAIL_BACKEND); "
    "print(s.TIME_ZONE); print(s.DEBUG)"
)


def run_python(code: str, **env_vars) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in PROFILE_VARS}
    env.update(DJANGO_SETTINGS_MODULE="eventhub.settings", **env_vars)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_no_environment_gives_the_embedded_profile():
    result = run_python(PRINT_PROFILE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "channels.layers.InMemoryChannelLayer",
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.mail.backends.filebased.EmailBackend",
        "Europe/Bucharest",
        "True",
    ]


def test_database_and_redis_urls_give_postgresql_and_redis():
    result = run_python(
        PRINT_PROFILE,
        DATABASE_URL="postgres://u@127.0.0.1:5432/eventhub",
        REDIS_URL="redis://127.0.0.1:6379/0",
        EMAIL_URL="smtp://mail.example.org:587",
        TIME_ZONE="Europe/Belgrade",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "channels_redis.pubsub.RedisPubSubChannelLayer",
        "django.core.cache.backends.redis.RedisCache",
        "django.core.mail.backends.smtp.EmailBackend",
        "Europe/Belgrade",
        "True",
    ]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/eventhub",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    del env[missing]
    result = run_python(PRINT_PROFILE, **env)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_production_profile_passes_the_deployment_checklist():
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        DJANGO_ENV="production",
        SECRET_KEY="k3y-" + "q8Zr!v0w" * 8,
        DATABASE_URL="postgres://u@127.0.0.1:5432/eventhub",
        REDIS_URL="redis://127.0.0.1:6379/0",
        ALLOWED_HOSTS="fair.example.org",
        SITE_URL="https://fair.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRINT_HASHER = (
    "import django; django.setup(); from django.contrib.auth.hashers import get_hasher; "
    "print(get_hasher().algorithm)"
)


def test_passwords_use_pbkdf2_unless_the_fast_hasher_is_asked_for():
    assert run_python(PRINT_HASHER).stdout.split() == ["pbkdf2_sha256"]
    assert run_python(PRINT_HASHER, FAST_PASSWORD_HASHER="1").stdout.split() == ["md5"]


def test_production_refuses_the_fast_password_hasher():
    result = run_python(
        PRINT_HASHER,
        DJANGO_ENV="production",
        SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://u@127.0.0.1:5432/eventhub",
        REDIS_URL="redis://127.0.0.1:6379/0",
        FAST_PASSWORD_HASHER="1",
    )
    assert result.returncode != 0
    assert "FAST_PASSWORD_HASHER must not be set" in result.stderr


def test_this_test_run_and_the_servers_it_starts_hash_with_md5():
    from django.contrib.auth.hashers import get_hasher

    assert get_hasher().algorithm == "md5"
    assert os.environ["FAST_PASSWORD_HASHER"] == "1"  # inherited by tests/servers.py
