"""`routine`, `event`, `calendar`, `hours`, `limit`, `config`, `import`, `export`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach the item commands to `app`."""
