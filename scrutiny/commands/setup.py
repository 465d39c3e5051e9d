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


NOT_SET_UP = (
    "The database is not set up or not up to date: run `scrutiny manage migrate` "
    "(or `scrutiny demo --no-serve` for the demonstration data)."
)


def require_database() -> None:
    """Stop with one line when the database cannot be reached or lacks migrations, rather than
    failing later with a database error."""
    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        typer.echo(f"The database cannot be reached: {exc}", err=True)
        raise typer.Exit(2) from None
    if pending:
        typer.echo(NOT_SET_UP, err=True)
        raise typer.Exit(2)
