"""Training: short Markdown modules an organiser writes, an optional quiz, who has completed them;
an event kind may require a module before check-in (``queries.missing_modules``)."""
from . import views, views_edit  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]
