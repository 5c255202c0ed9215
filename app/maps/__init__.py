"""Coverage maps: read-only views over the contact summaries (coverage.py) drawn with folium (render.py)."""
from . import views  # noqa: F401  (registers its views on bp)
from .blueprint import bp

__all__ = ["bp"]
