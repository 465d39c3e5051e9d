from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from scrutiny import config


def test_it_reads_booleans(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in [("true", True), ("1", True), ("OFF", False), ("0", False)]:
        monkeypatch.setenv("SOME_FLAG", raw)
        assert config.env_bool("SOME_FLAG", not expected) is expected


def test_it_uses_the_default_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert config.env_bool("SOME_FLAG", True) is True
    assert config.env_int("SOME_NUMBER", 7) == 7
    assert config.env_list("SOME_LIST", ["a"]) == ["a"]


def test_it_names_the_variable_on_a_bad_boolean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "yes")
    with pytest.raises(ImproperlyConfigured, match=r"^DEBUG must be true or false.*'yes'"):
        config.env_bool("DEBUG", False)


def test_it_names_the_variable_on_a_bad_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a whole number"):
        config.env_int("EMAIL_PORT", 25)
    monkeypatch.setenv("EMAIL_PORT", "0")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be at least 1"):
        config.env_int("EMAIL_PORT", 25, minimum=1)


def test_it_rejects_empty_list_items(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", "example.org,,other.org")
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS must be a comma-separated"):
        config.env_list("ALLOWED_HOSTS", [])
    monkeypatch.setenv("ALLOWED_HOSTS", " example.org , other.org ")
    assert config.env_list("ALLOWED_HOSTS", []) == ["example.org", "other.org"]


def test_it_requires_a_value_without_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        config.env_str("SECRET_KEY")


def test_it_requires_an_absolute_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRUTINY_DATA_DIR", "relative/dir")
    with pytest.raises(ImproperlyConfigured, match="SCRUTINY_DATA_DIR must be an absolute path"):
        config.env_path("SCRUTINY_DATA_DIR", Path("/tmp"))


def test_it_parses_database_urls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://scrutiny:secret@db.internal:5433/scrutiny")
    db = config.env_database("DATABASE_URL", tmp_path / "x.sqlite3")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "db.internal",
        5433,
        "scrutiny",
        "scrutiny",
    )
    monkeypatch.delenv("DATABASE_URL")
    db = config.env_database("DATABASE_URL", tmp_path / "x.sqlite3")
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "x.sqlite3")


def test_it_refuses_an_unknown_database_scheme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://u:p@host/db")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must be a sqlite:// or postgres"):
        config.env_database("DATABASE_URL", Path("/tmp/x"))


def _start_django(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'scrutiny.settings'; "
        "django.setup()"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


def test_production_start_up_needs_a_secret_key(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "false", "SCRUTINY_DATA_DIR": str(tmp_path)}
    result = _start_django(env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_start_up_needs_allowed_hosts(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "SECRET_KEY": "k" * 60,
        "SCRUTINY_DATA_DIR": str(tmp_path),
    }
    result = _start_django(env)
    assert "ALLOWED_HOSTS must list the site's host names" in result.stderr
    env["ALLOWED_HOSTS"] = "scrutiny.example.org"
    assert _start_django(env).returncode == 0


@pytest.mark.real_hashing
def test_passwords_are_hashed_with_argon2() -> None:
    from django.conf import settings

    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
