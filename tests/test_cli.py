from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from scrutiny import __version__
from scrutiny.cli import app

runner = CliRunner()


def test_it_prints_the_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"scrutiny {__version__}"


def test_help_lists_every_subcommand() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    registered = set(typer.main.get_group(app).commands)
    assert {"demo", "serve", "manage"} <= registered
    for name in registered:
        assert f"  {name} " in result.output, f"{name} missing from --help"


def test_manage_passes_arguments_to_django() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrutiny.cli", "manage", "showmigrations", "places"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "0002_load_council_areas" in result.stdout


def test_a_bad_setting_stops_the_command_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrutiny.cli", "manage", "check"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "perhaps", "SCRUTINY_DATA_DIR": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: DEBUG must be true or false (also 1/0, on/off), not 'perhaps'."
    ]


def test_demo_without_serving_builds_once_and_prints_sign_ins(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "SCRUTINY_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "scrutiny.cli", "demo", "--no-serve"]
    first = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert "lead@south-ayrshire.example" in first.stdout
    assert "Demonstration data — not real children or real findings." in first.stdout
    assert (tmp_path / "scrutiny.sqlite3").exists()
    second = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert "already loaded: reusing it" in second.stdout
