"""Production links need SITE_URL: background tasks (e-mails, PDFs, .ics) have
no request to learn the host from. ``check --deploy`` and every command of
the production profile refuse a missing or plain-HTTP address (a warning for
plain HTTP on this machine, as ``make run-prod`` serves)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from eventhub.core.checks import site_url_check, site_url_deploy_check
from tests.core.test_settings_profiles import run_python

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k3y-" + "q8Zr!v0w" * 8,
    "DATABASE_URL": "postgres://u@127.0.0.1:5432/eventhub",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "fair.example.org",
}
CHECK_DEPLOY = (
    "from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
)
# Any command of the production profile runs the checks (not only --deploy).
CHECK = "from django.core.management import execute_from_command_line; " + (
    "execute_from_command_line(['manage.py', 'check'])"
)


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("", [("Error", "eventhub.E001")]),
        ("fair.example.org", [("Error", "eventhub.E002")]),
        ("ftp://fair.example.org", [("Error", "eventhub.E002")]),
        ("http://fair.example.org", [("Error", "eventhub.E003")]),
        ("http://10.0.0.5:8000", [("Error", "eventhub.E003")]),
        ("http://127.0.0.1:8000", [("Warning", "eventhub.W001")]),
        ("http://localhost:8000", [("Warning", "eventhub.W001")]),
        ("http://[::1]:8000", [("Warning", "eventhub.W001")]),
        ("https://fair.example.org", []),
    ],
)
def test_the_site_url_is_judged_in_production(settings, site_url, expected):
    settings.PRODUCTION = True
    settings.SITE_URL = site_url
    every_command = [(type(issue).__name__, issue.id) for issue in site_url_check()]
    deploy = [(type(issue).__name__, issue.id) for issue in site_url_deploy_check()]
    # Each issue said once: errors stop every command, warnings are for --deploy.
    assert every_command + deploy == expected
    assert all(kind == "Error" for kind, _id in every_command)


def test_development_is_left_alone_but_check_deploy_is_not(settings):
    settings.PRODUCTION = False
    settings.SITE_URL = ""
    assert site_url_check() == []
    with pytest.raises(SystemCheckError, match=r"eventhub\.E001"):
        call_command("check", "--deploy", "--tag", "security")
    settings.SITE_URL = "https://fair.example.org"
    assert site_url_deploy_check() == []


def test_the_production_profile_refuses_to_run_without_site_url():
    result = run_python(CHECK, **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "eventhub.E001" in result.stderr and "SITE_URL is not set" in result.stderr

    result = run_python(CHECK_DEPLOY, **PRODUCTION_ENV, SITE_URL="http://fair.example.org")
    assert result.returncode != 0 and "eventhub.E003" in result.stderr

    result = run_python(CHECK_DEPLOY, **PRODUCTION_ENV, SITE_URL="https://fair.example.org")
    assert result.returncode == 0, result.stdout + result.stderr


def test_run_prod_on_loopback_starts_and_check_deploy_warns():
    # deploy/run-prod exports SITE_URL=http://localhost:$PORT.
    result = run_python(CHECK, **PRODUCTION_ENV, SITE_URL="http://localhost:8000")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "eventhub" not in result.stderr + result.stdout
    result = run_python(CHECK_DEPLOY, **PRODUCTION_ENV, SITE_URL="http://localhost:8000")
    assert result.returncode != 0  # --fail-level WARNING
    assert "eventhub.W001" in result.stderr
