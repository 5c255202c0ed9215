"""The canvasser's phone pages: My lists, a list, its map, PIN join and the service worker."""
from . import views  # noqa: F401  (registers its views on bp)
from .blueprint import bp

__all__ = ["bp"]
