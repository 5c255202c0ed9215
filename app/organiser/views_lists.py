"""(being written)"""
from .routes import bp  # noqa: F401
