"""The ``scrutiny`` command: a thin front over Django management commands and services.

Commands that only compute (spc, sdc, sample-size, …) do not start Django, so they are quick
and work without a database.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from scrutiny import __version__
from scrutiny.commands.indicators import indicators_app
from scrutiny.commands.report import report_app
from scrutiny.commands.sampling import sample_command, sample_size_command
from scrutiny.commands.sdc import sdc_command
from scrutiny.commands.setup import django_setup
from scrutiny.commands.spc import spc_command
from scrutiny.commands.synth import synth_command
from scrutiny.commands.themes import themes_app

app = typer.Typer(
    name="scrutiny",
    help="Scrutiny: scrutiny and improvement of children's services.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"scrutiny {__version__}")
        raise typer.Exit


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Scrutiny: scrutiny and improvement of children's services."""


def _call(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command.

    For example `scrutiny manage migrate`; `scrutiny manage help` lists them.
    """
    django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["scrutiny manage", *ctx.args])


class _Stopped(Exception):
    """SIGTERM reached the server: stop it and its children as Ctrl+C would."""


def _raise_stopped(signum: int, frame: object) -> None:
    raise _Stopped


def _stop_child(child: subprocess.Popen[bytes] | None) -> None:
    if child is None or child.poll() is not None:
        return
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=20)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _serve(port: int, *, with_worker: bool, host: str = "0.0.0.0") -> None:  # noqa: S104  (production sits behind a proxy)
    """Serve until Ctrl+C or SIGTERM (what ``kill``, a supervisor or ``docker stop`` sends),
    then stop the web server and the worker too, so that none is left running."""
    from django.conf import settings

    signal.signal(signal.SIGTERM, _raise_stopped)
    worker = None
    server = None
    try:
        if with_worker:
            # Background tasks (e.g. training coding suggestions) run in a real worker process.
            worker = subprocess.Popen(
                [sys.executable, "-m", "scrutiny.cli", "manage", "db_worker", "--interval", "1"],
            )
        if settings.DEBUG:
            _call("runserver", f"127.0.0.1:{port}", "--noreload")
            return
        gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).parent / "gunicorn")
        workers = os.environ.get("WEB_CONCURRENCY", "3")
        server = subprocess.Popen(
            [
                gunicorn,
                "scrutiny.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                workers,
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "--forwarded-allow-ips",
                os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            ],
        )
        code = server.wait()
        if code:
            typer.echo(f"The web server stopped with exit status {code}.", err=True)
            raise typer.Exit(1)
    except (KeyboardInterrupt, _Stopped):
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _stop_child(server)
        _stop_child(worker)


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    worker: Annotated[bool, typer.Option(help="Also run the background task worker.")] = True,
) -> None:
    """Serve Scrutiny: gunicorn when DEBUG is off, Django's development server otherwise."""
    django_setup()
    _serve(port, with_worker=worker)


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port to serve the demo on.")] = 8000,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve after setting up.")
    ] = True,
) -> None:
    """Set up the demonstration database (once) and serve it on http://127.0.0.1:PORT."""
    _demo_environment()
    django_setup()
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    _call("migrate", "--verbosity", "0")
    if not _static_is_current(settings.STATIC_ROOT / "staticfiles.json"):
        typer.echo("Collecting static files…")
        _call("collectstatic", "--noinput", "--verbosity", "0")
    from scrutiny.demo import builder

    built = builder.build_if_missing(progress=typer.echo)
    if not built:
        typer.echo("Demonstration data already loaded: reusing it (and adding any new parts).")
    typer.echo("")
    typer.echo(builder.sign_in_text(port=port))
    if serve:
        typer.echo(f"Serving Scrutiny on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
        _serve(port, with_worker=True, host="127.0.0.1")


app.add_typer(report_app, name="report")
app.command("spc")(spc_command)
app.command("sample-size")(sample_size_command)
app.command("sample")(sample_command)
app.command("sdc")(sdc_command)
app.add_typer(indicators_app, name="indicators")
app.command("synth")(synth_command)
app.add_typer(themes_app, name="themes")


def _static_is_current(manifest: Path) -> bool:
    """Whether the collected static files are newer than every source file (so a code update
    that adds or changes a stylesheet is picked up, and an unchanged demo starts at once)."""
    if not manifest.exists():
        return False
    from django.contrib.staticfiles import finders

    collected = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if Path(storage.path(path)).stat().st_mtime > collected:
                return False
    return True


def _demo_environment() -> None:
    """The demo runs as production does (DEBUG off, gunicorn, no stack traces), on plain HTTP
    on 127.0.0.1, with a secret key kept under the data directory."""
    default_dir = Path(__file__).resolve().parent.parent / "var"
    data_dir = Path(os.environ.get("SCRUTINY_DATA_DIR") or default_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "demo-secret-key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        key_file.chmod(0o600)
    defaults = {
        "DEBUG": "false",
        "SECRET_KEY": key_file.read_text(encoding="utf-8").strip(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SCRUTINY_DEMO": "true",
        "SCRUTINY_DATA_DIR": str(data_dir.resolve()),
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
