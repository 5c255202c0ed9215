"""The organiser's pages: thin views over the operations of other rooms (walk_lists, imports,
contacts, auth), one views module per area of the work."""
from . import (views_audit, views_dashboard, views_drawn, views_exports, views_home, views_imports,  # noqa: F401
               views_ledger, views_lists, views_pickers, views_volunteers)
from .blueprint import bp

__all__ = ["bp"]
