"""A CSV download that never holds the whole file: the header, then one chunk of text per page of
rows, each cell made spreadsheet-safe. The generator owns its database session (the request's
is closed before the first row is sent) and closes it when the download ends or is dropped."""
from __future__ import annotations

import csv
import io
from typing import Callable, Iterable, Iterator

import sqlalchemy as sa
from sqlmodel import Session

from .cells import spreadsheet_safe

# Excel reads a CSV without a byte-order mark as the PC's legacy code page: "José" would arrive
# as "JosÃ©". Google Sheets, LibreOffice and Python's "utf-8-sig" all skip the mark.
BOM = "\ufeff"


def csv_stream(engine: sa.Engine, header: list[str],
               pages: Callable[[Session], Iterable[list[list]]], *, bom: bool = True) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([spreadsheet_safe(h) for h in header])
    yield (BOM if bom else "") + _take(buf)
    with Session(engine, expire_on_commit=False) as session:
        for rows in pages(session):
            for row in rows:
                writer.writerow([spreadsheet_safe(v) for v in row])
            if buf.tell():
                yield _take(buf)


def _take(buf: io.StringIO) -> str:
    text = buf.getvalue()
    buf.seek(0)
    buf.truncate()
    return text
