"""The web workspace (``drafting serve``): the whole job in a browser, over the same library.

Starlette routes, Jinja2 pages (autoescaped), our own small script and stylesheet as static files,
Server-Sent Events for what streams. No logic of its own: data files are read, validated and changed
by ``drafting.data``, drafts by ``drafting.draft``, revisions by ``RevisionSession``, checks by
``drafting.checks``. Imported only by the ``serve`` command, so the CLI's start-up does not pay for it.
"""

from __future__ import annotations

from .app import ServerOptions, create_app

__all__ = ["ServerOptions", "create_app"]
