from __future__ import annotations

import os
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


def _processes_marked(marker: str) -> list[int]:
    """Processes whose environment carries ``marker`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker.encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_sigterm_stops_the_server_and_its_worker(tmp_path: Path) -> None:
    import signal
    import time
    import uuid

    marker = f"SCRUTINY_TEST_MARK={uuid.uuid4().hex}"
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "SCRUTINY_DATA_DIR": str(tmp_path),
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        marker.split("=")[0]: marker.split("=")[1],
    }
    subprocess.run(
        [sys.executable, "-m", "scrutiny.cli", "manage", "migrate", "-v0"], env=env, check=True
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "scrutiny.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not _listening(port):
            assert server.poll() is None, "the server stopped by itself"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        # The web server and the task worker are running beside the command.
        assert len(_processes_marked(marker)) >= 3
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        deadline = time.monotonic() + 10
        while _processes_marked(marker) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _processes_marked(marker) == []
        assert not _listening(port)
    finally:
        for pid in _processes_marked(marker):
            os.kill(pid, signal.SIGKILL)
