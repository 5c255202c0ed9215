"""Universes: whom to contact. An organiser builds a named, saved filter tree of people (tree.py:
the JSON and its checks; filters.py: the tree as SQL; queries.py: counts and the SELECTs the
walk-list cut, call sheets and exports use; operations.py: save and delete; views.py: the pages)."""
from . import views  # noqa: F401  (registers its views on bp)
from .blueprint import bp
from .queries import universe_households, universe_people

__all__ = ["bp", "universe_people", "universe_households"]
