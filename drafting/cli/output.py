"""Terminal output: one place that knows how to show our errors and issues to a person."""

from __future__ import annotations

from collections.abc import Iterable

import click

from ..errors import DataError, DraftingError, Issue


def print_issues(issues: Iterable[Issue]) -> None:
    for issue in issues:
        colour = "red" if issue.is_error else "yellow"
        click.secho("  " + issue.render(), fg=colour, err=True)


def print_error(exc: DraftingError) -> None:
    click.secho(exc.message, fg="red", bold=True, err=True)
    if isinstance(exc, DataError):
        print_issues([i for i in exc.issues if i.is_error])
        print_issues([i for i in exc.issues if not i.is_error])
    if exc.hint:
        click.echo(exc.hint, err=True)
