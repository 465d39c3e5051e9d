"""The README cannot drift from the code: every setting and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from scrutiny.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: Any, prefix: str = "scrutiny") -> list[str]:
    found = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):  # a group (Typer ships its own Click)
            found.extend(_commands(command, path))
        else:
            found.append(path)
    return found


def test_every_setting_read_from_the_environment_is_in_the_readme() -> None:
    settings_source = (ROOT / "scrutiny/settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_\w+\(\s*"([A-Z_0-9]+)"', settings_source))
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SCRUTINY_DATA_DIR"} <= names
    missing = sorted(name for name in names if f"`{name}`" not in README)
    assert not missing, f"Settings missing from README's configuration table: {missing}"


def test_every_command_is_in_the_readme() -> None:
    commands = _commands(typer.main.get_group(app))
    assert "scrutiny report inspection" in commands
    missing = [command for command in commands if command not in README]
    assert not missing, f"Commands missing from README: {missing}"


def test_the_quick_start_is_the_two_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "make demo" in quick_start
    assert "make test" in quick_start
