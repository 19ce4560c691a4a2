"""Checks an uploaded .xlsx before any spreadsheet reader opens it.

A workbook is a zip of XML parts, so a small upload can unpack to gigabytes (a 400 KB file holding
a 400 MB cell) or to millions of cells, and its XML can declare entities (billion laughs) or point
at outside files (XXE). Here the zip's unpacked size and part count are checked from its
directory, then every XML part is read as a stream with defusedxml, which refuses any DTD,
entity or external reference, while the cells are counted; it stops at the first limit passed.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

MAX_UNPACKED_BYTES = 20_000_000
MAX_PARTS = 200
MAX_CELLS = 200_000
_CELL_TAG = "}c"


class UnsafeWorkbook(ValueError):
    """The workbook was not opened; the message says why, in words for the person uploading."""


def check_workbook(raw: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsafeWorkbook("not an Excel workbook (.xlsx)") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise UnsafeWorkbook(f"the workbook has {len(parts)} parts, more than {MAX_PARTS}")
        unpacked = sum(part.file_size for part in parts)
        if unpacked > MAX_UNPACKED_BYTES:
            raise UnsafeWorkbook(
                f"the workbook unpacks to {unpacked:,} bytes, more than the {MAX_UNPACKED_BYTES:,} allowed"
            )
        cells = 0
        for part in parts:
            if part.filename.endswith((".xml", ".rels")):
                cells += _count_cells(archive, part, MAX_CELLS - cells)


def _count_cells(archive: zipfile.ZipFile, part: zipfile.ZipInfo, allowed: int) -> int:
    cells = 0
    try:
        with archive.open(part) as stream:
            for _event, element in iterparse(stream, forbid_dtd=True):
                if element.tag.endswith(_CELL_TAG):
                    cells += 1
                    if cells > allowed:
                        raise UnsafeWorkbook(f"the workbook has more than {MAX_CELLS:,} cells")
                element.clear()
    except DefusedXmlException:
        raise UnsafeWorkbook(
            f"{part.filename} declares a DTD, entities or outside references, which are not allowed"
        ) from None
    except ParseError as error:
        raise UnsafeWorkbook(f"{part.filename} is not well-formed XML ({error})") from None
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError):
        raise UnsafeWorkbook(f"{part.filename} cannot be unpacked: the file is damaged") from None
    return cells
