"""The phone bank's blueprint, alone: callers' pages (views_calls.py), organisers' (views_sheets.py)
and Twilio's webhooks (webhooks.py) import it, and the package registers them."""
from flask import Blueprint

bp = Blueprint("phonebank", __name__)
