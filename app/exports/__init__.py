"""Exports organisers can use: contacts (one row per contact event and person) and people (one row
per person), as CSV a spreadsheet opens safely, streamed a page at a time.

Reads only. The views (``app/organiser/views_exports.py``) parse the filters, write the audit entry
(who, filters, row count) and stream; ``people`` (a SELECT of person ids, e.g. a universe's) narrows
either export to those people.
"""
from .cells import spreadsheet_safe
from .contacts import contact_columns, contact_count, contact_pages
from .filters import ExportFilters, parse_filters
from .people import people_columns, people_count, people_pages
from .stream import csv_stream

__all__ = ["ExportFilters", "contact_columns", "contact_count", "contact_pages", "csv_stream", "parse_filters",
           "people_columns", "people_count", "people_pages", "spreadsheet_safe"]
