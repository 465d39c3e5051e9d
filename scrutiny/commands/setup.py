"""Starting Django for the CLI commands that need the database."""

from __future__ import annotations

import os

import typer


def django_setup() -> None:
    """Start Django; a bad setting stops here with one line naming it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from None
