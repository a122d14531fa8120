"""How a delimited text table is written: its encoding, separator, decimal mark and header.

Summary tables reach amiga-heatmap from AMiGA (UTF-8, tab-separated), but also through Excel and other
editors: with a byte-order mark, Windows line endings, in Windows-1252 ("ANSI") or UTF-16 ("Unicode
text"), separated by commas or semicolons, with decimal commas. :func:`sniff` works out which, from the
first bytes of the file, so that the reader can choose its engine; :func:`whole_file_encoding` confirms
the encoding over the whole file when the first bytes could not tell. Files that are not text tables at
all (a workbook, a PDF, an empty file) are refused with a :class:`~amiga_heatmap.errors.DataError` naming
the file.

Everything here works on bytes and strings; nothing heavy is imported.
"""

from __future__ import annotations

import codecs
import csv
import io
import mmap
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..errors import DataError

SAMPLE_BYTES = 1 << 16
"""How much of a file is looked at to sniff its layout (more is read if the header line is longer)."""
MAX_HEADER_BYTES = 1 << 24
"""A first line longer than this means the file is not a table."""
SCAN_WINDOW_BYTES = 256 << 20
"""How much of a file :func:`scan_bytes` maps at once (a multiple of every page size)."""
SNIFF_ROWS = 50
"""How many data rows, at most, must agree with the header on the number of cells."""

SEPARATORS = ("\t", ";", ",")
SEPARATOR_NAMES = {"\t": "tab", ";": "semicolon", ",": "comma"}

UTF8_ENCODINGS = ("utf-8", "utf-8-sig")
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with a byte-order mark",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252 (Western European)",
    "latin-1": "Latin-1 (ISO-8859-1)",
}

SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (an Excel .xlsx workbook is one)"),
    (b"\xd0\xcf\x11\xe0", "an Excel .xls workbook"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip-compressed file"),
)
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")
"""Bytes no text encoding amiga-heatmap reads uses for characters (tab, line breaks and form feed aside)."""
MAX_CONTROL_SHARE = 0.01
UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
"""A character written in UTF-8 with more than one byte (in a Windows-1252 file this is rare mojibake)."""
CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
BYTE_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
LINE_BREAK_BYTE = re.compile(rb"[\r\n]")
DECIMAL_COMMA = re.compile(r"^[ \t]*[-+]?\d+,\d+(?:[eE][-+]?\d+)?[ \t]*$", re.MULTILINE)
DECIMAL_POINT = re.compile(r"^[ \t]*[-+]?\d*\.\d+(?:[eE][-+]?\d+)?[ \t]*$", re.MULTILINE)
"""A whole cell holding a number with a decimal comma (or point), searched one cell per line."""


@dataclass(frozen=True)
class Layout:
    """How one delimited text file is written.

    - ``encoding``: a Python codec name (``utf-8``, ``utf-8-sig``, ``utf-16``, ``cp1252``, ``latin-1``),
      judged from the first bytes only (see :func:`whole_file_encoding`).
    - ``separator``: ``"\\t"``, ``";"`` or ``","``.
    - ``decimal``: ``"."``, or ``","`` for numbers written ``1,25``.
    - ``fields``: the header's cells as written, quotes removed.
    """

    encoding: str
    separator: str
    decimal: str
    fields: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        """The column names: the header's cells without surrounding white space."""
        return [field.strip() for field in self.fields]

    def describe(self) -> str:
        """``"UTF-8, tab-separated, decimal point"``: for log lines and messages."""
        mark = "decimal commas" if self.decimal == "," else "decimal points"
        return f"{ENCODING_NAMES[self.encoding]}, {SEPARATOR_NAMES[self.separator]}-separated, {mark}"


def sniff(path: str, default_separator: str) -> Layout:
    """Work out the layout of the table in ``path`` from its first bytes.

    The separator is the one of tab, semicolon and comma that splits the header into the most cells
    while giving every sampled data row as many cells as the header; with none, ``default_separator``.
    Decimal commas are assumed only for tab- or semicolon-separated files whose sampled numbers all use
    them. Raises DataError for an empty file, a binary file, or text mixing UTF-8 with another encoding.
    """
    sample, complete = _read_sample(path)
    encoding = _sample_encoding(path, sample, complete)
    text = _decode_sample(path, sample, encoding, complete)
    lines = [line for line in LINE_BREAK.split(text) if line.strip()]
    if not lines:
        raise DataError(
            f"The file {path} is empty: a summary file needs a header row naming its columns, then one row "
            "per well. Remove the file from the input folder, or point -i at another file; if it should "
            "hold data, the program that wrote it was probably interrupted, so write it again."
        )
    if not complete and len(lines) > 1:
        lines.pop()  # the sample may end inside a line
    separator = _choose_separator(lines[: SNIFF_ROWS + 1], default_separator)
    header = _header(path, lines[0], separator)
    rows = _split(lines[1 : SNIFF_ROWS * 4 + 1], separator)
    return Layout(encoding, separator, _decimal_mark(rows, separator), tuple(header))


def whole_file_encoding(path: str, layout: Layout) -> str:
    """The encoding of the whole file, confirming the guess :func:`sniff` made from its first bytes.

    A file that begins as UTF-8 but has other bytes further on is Windows-1252 (or Latin-1, where
    Windows-1252 leaves a byte undefined). Raises DataError for a file mixing UTF-8 with another encoding.
    """
    if layout.encoding == "utf-16":
        offset, reason = _first_undecodable(path, "utf-16")
        if offset is not None:
            raise _undecodable(path, layout.encoding, offset, reason)
        return layout.encoding
    if layout.encoding in UTF8_ENCODINGS:
        offset, _ = _first_undecodable(path, "utf-8")
        if offset is None:
            return layout.encoding
    else:
        offset = None
    return _single_byte_encoding(path, _chunks(path), offset)


def count_lines(path: str, encoding: str = "utf-8", *, zero_free: bool = False) -> int:
    """How many lines ``path`` has, counting a last line without a line break (lines end in ``\\n``,
    or in ``\\r`` in a file without any ``\\n``).

    Raises DataError if a file in an 8-bit encoding holds a zero byte (no text character is one);
    ``zero_free`` skips that search when the caller's :func:`scan_bytes` already found none.
    """
    if encoding == "utf-16":
        with open(path, encoding=encoding, newline="") as handle:
            text = handle.read()
        return len(LINE_BREAK.findall(text)) + (not text.endswith(("\n", "\r")))
    zero = None if zero_free else scan_bytes(path)[1]
    if zero is not None:
        raise DataError(
            f"The file {path} holds zero bytes from line {_line_of(path, zero)} on, so it is "
            "damaged: a computer that crashes while writing a file can leave its end filled with zero "
            "bytes. Write the file again, or delete the damaged lines."
        )
    newlines = sum(chunk.count(b"\n") for _, chunk in _chunks(path, overlap=0))
    breaks = newlines or sum(chunk.count(b"\r") for _, chunk in _chunks(path, overlap=0))
    with open(path, "rb") as handle:
        handle.seek(max(0, os.path.getsize(path) - 1))
        last = handle.read(1)
    return breaks + (last not in (b"", b"\n", b"\r"))


def scan_bytes(path: str) -> tuple[bool, int | None]:
    """Whether ``path`` holds a double quote, and the offset of its first zero byte (or None).

    Both are searched with ``memchr``: about 0.05 s for 540 MB in the page cache. The file is mapped
    :data:`SCAN_WINDOW_BYTES` at a time, so the pages it maps never count for more than that in the
    process's memory, however large the file.
    """
    size = os.path.getsize(path)
    quoted, zero = False, None
    with open(path, "rb") as handle:
        for start in range(0, size, SCAN_WINDOW_BYTES):
            with mmap.mmap(handle.fileno(), min(SCAN_WINDOW_BYTES, size - start), access=mmap.ACCESS_READ,
                           offset=start) as window:
                quoted = quoted or window.find(b'"') >= 0
                if zero is None and (found := window.find(b"\x00")) >= 0:
                    zero = start + found
    return quoted, zero


def _read_sample(path: str) -> tuple[bytes, bool]:
    """The first SAMPLE_BYTES of ``path``, extended to the end of the first line; and whether that is
    the whole file."""
    try:
        with open(path, "rb") as handle:
            pieces = [handle.read(SAMPLE_BYTES)]
            size = len(pieces[0])
            while pieces[-1] and not LINE_BREAK_BYTE.search(pieces[-1]) and size < MAX_HEADER_BYTES:
                pieces.append(handle.read(SAMPLE_BYTES))
                size += len(pieces[-1])
            complete = not handle.read(1)
    except OSError as error:
        raise DataError(f"Cannot read {path}: {error.strerror}. Check that the file is readable.") from error
    sample = b"".join(pieces)
    if not complete and not LINE_BREAK_BYTE.search(pieces[-1]):
        raise DataError(
            f"The file {path} has no line break in its first {MAX_HEADER_BYTES >> 20} MB, so it is not a "
            "summary table. Remove it from the input folder, or point -i at the summary files."
        )
    return sample, complete


def _sample_encoding(path: str, sample: bytes, complete: bool) -> str:
    """The encoding the sample is written in; DataError when it is not text."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    kind = next((name for signature, name in SIGNATURES if sample.startswith(signature)), None)
    if kind or b"\x00" in sample or len(CONTROL_BYTES.findall(sample)) > MAX_CONTROL_SHARE * len(sample):
        raise DataError(
            f"The file {path} is not a text table: it looks like {kind or 'binary data'}. amiga-heatmap "
            "reads summary tables saved as text (tab-, comma- or semicolon-separated). Export the table as "
            "text (in Excel: Save As > 'Text (Tab delimited)' or 'CSV UTF-8'), or remove the file from the "
            "input folder."
        )
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
    except UnicodeDecodeError as error:
        return _single_byte_encoding(path, [(0, sample)], error.start)
    return "utf-8"


def _first_undecodable(path: str, encoding: str) -> tuple[int | None, str]:
    """The offset of the first byte of ``path`` that ``encoding`` cannot decode and why, or (None, "")."""
    decoder = codecs.getincrementaldecoder(encoding)()
    consumed = 0
    for _, chunk in [*_chunks(path, overlap=0), (None, b"")]:
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            return max(0, consumed - pending + error.start), error.reason
        consumed += len(chunk)
    return None, ""


def _chunks(path: str, size: int = 1 << 22, overlap: int = 3) -> Iterator[tuple[int, bytes]]:
    """``(offset, bytes)`` pieces of ``path``, each starting ``overlap`` bytes before the previous end
    (so a multi-byte character is always seen whole in one of them)."""
    with open(path, "rb") as handle:
        start, tail = 0, b""
        for block in iter(lambda: handle.read(size), b""):
            yield start - len(tail), tail + block
            start += len(block)
            tail = block[-overlap:] if overlap else b""


def _single_byte_encoding(path: str, chunks: Iterable[tuple[int, bytes]], offset: int | None) -> str:
    """The encoding of text that is not UTF-8 (its first non-UTF-8 byte at ``offset``, if known):
    Windows-1252, what Excel on Windows writes, or Latin-1 if a byte is undefined in Windows-1252.

    ``chunks`` are ``(offset, bytes)`` pieces of the text. Raises DataError if the text also holds UTF-8
    multi-byte characters: decoding it either way would garble some of its labels.
    """
    undefined_in_cp1252 = False
    for start, chunk in chunks:
        found = UTF8_MULTIBYTE.search(chunk)
        if found:
            where = (
                f"line {_line_of(path, offset)} holds a byte that is not"
                if offset is not None
                else "other lines hold bytes that are not"
            )
            raise DataError(
                f"The file {path} mixes two text encodings: line {_line_of(path, start + found.start())} "
                f"holds a character written in UTF-8, but {where} UTF-8 (the "
                "file was probably edited by two programs). Whichever way it is read, some labels would "
                "come out garbled. Open it in a text editor, fix the garbled characters, and save it as "
                "UTF-8."
            )
        undefined_in_cp1252 = undefined_in_cp1252 or bool(CP1252_UNDEFINED.search(chunk))
    return "latin-1" if undefined_in_cp1252 else "cp1252"


def _line_of(path: str, offset: int) -> int:
    """The 1-based line number of the byte at ``offset`` of ``path``."""
    breaks = 0
    for start, chunk in _chunks(path, overlap=0):
        breaks += len(BYTE_LINE_BREAK.findall(chunk, 0, max(0, offset - start)))
        if start + len(chunk) >= offset:
            break
    return breaks + 1


def _decode_sample(path: str, sample: bytes, encoding: str, complete: bool) -> str:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(sample, final=complete)
    except UnicodeDecodeError as error:  # only UTF-16 gets here: the other encodings were checked
        raise _undecodable(path, encoding, error.start, error.reason) from error


def _undecodable(path: str, encoding: str, offset: int, reason: str) -> DataError:
    return DataError(
        f"The file {path} is {ENCODING_NAMES[encoding]} text, but its bytes from byte {offset} of "
        f"{os.path.getsize(path)} cannot be decoded ({reason}); the file was probably cut short. Save the "
        "table again from the program that made it."
    )


def _header(path: str, line: str, separator: str) -> list[str]:
    """The cells of the header ``line``; DataError if a quote in it is never closed."""
    try:
        cells = next(csv.reader([line], delimiter=separator, strict=True))
    except csv.Error as error:
        raise DataError(
            f"Cannot split the header (first line) of {path} into columns: {error}. Check the header row: "
            "a cell that starts with a double quote must end with one."
        ) from error
    return cells


def _split(lines: list[str], separator: str) -> list[list[str]]:
    """The cells of ``lines``, honouring quotes; the rows before a malformed one if csv gives up."""
    rows: list[list[str]] = []
    try:
        rows.extend(csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=separator))
    except csv.Error:
        pass
    return rows


def _choose_separator(lines: list[str], default: str) -> str:
    """The separator giving the header the most cells while every line has as many (see sniff)."""
    shapes = {}
    for separator in SEPARATORS:
        rows = _split(lines, separator)
        width = len(rows[0]) if rows else 0
        consistent = len(rows) == len(lines) and all(len(row) == width for row in rows)
        shapes[separator] = (consistent, width)
    best = max(SEPARATORS, key=lambda separator: (shapes[separator][1] > 1, shapes[separator], -SEPARATORS.index(separator)))
    return best if shapes[best][1] > 1 else default


def _decimal_mark(rows: list[list[str]], separator: str) -> str:
    """``","`` when the sampled cells hold numbers written with decimal commas and none with points."""
    if separator == ",":
        return "."
    cells = "\n".join(cell for row in rows for cell in row)  # one cell per line, searched in one go
    with_comma = DECIMAL_COMMA.search(cells)
    return "," if with_comma and not DECIMAL_POINT.search(cells) else "."
