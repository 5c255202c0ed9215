"""The made-up demo town (``town``), its campaign's activity (``activity``), and the ``demo`` command
that builds either it or a real place from ../shared/data (``commands``)."""
from .commands import commands
from .town import build_town

__all__ = ["build_town", "commands"]
