"""Split knowledge into passages by structure: headings, steps and bullets, never mid-step."""

import re
from dataclasses import dataclass, field

MAX_CHARS = 700
_HEADING_RE = re.compile(r"^(#{1,4})\s+(.*\S)\s*$")
_META_RE = re.compile(r"^(Nguồn|Bài học|Liên kết)\s*:\s*(.+)$", re.IGNORECASE)
_ITEM_RE = re.compile(r"^\s*(?:[-+*•]|\d+[.)]|[a-zđ]\))\s+")


@dataclass
class DocumentMeta:
    title: str = ""
    sources: list[str] = field(default_factory=list)
    lesson_slug: str = ""
    url: str = ""


@dataclass(frozen=True)
class Chunk:
    title_path: tuple[str, ...]
    text: str


def parse_markdown_meta(text: str) -> tuple[DocumentMeta, str]:
    """Read the title and the "Nguồn:", "Bài học:", "Liên kết:" lines; return the rest of the text."""
    meta = DocumentMeta()
    body = []
    for line in text.splitlines():
        heading = _HEADING_RE.match(line)
        if heading and len(heading.group(1)) == 1 and not meta.title:
            meta.title = heading.group(2).strip()
            continue
        found = _META_RE.match(line.strip())
        if found:
            key, value = found.group(1).lower(), found.group(2).strip()
            if key == "nguồn":
                meta.sources.append(value)
            elif key == "bài học":
                meta.lesson_slug = value
            else:
                meta.url = value
            continue
        body.append(line)
    return meta, "\n".join(body).strip()


def _blocks(lines: list[str]) -> list[str]:
    """Group lines into blocks: a paragraph, or one list item with its wrapped lines."""
    blocks: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            if current:
                blocks.append(" ".join(current))
                current = []
            continue
        if _ITEM_RE.match(line) and current:
            blocks.append(" ".join(current))
            current = []
        current.append(line.strip())
    if current:
        blocks.append(" ".join(current))
    return blocks


def _pack(blocks: list[str]) -> list[str]:
    """Pack consecutive blocks into texts of at most MAX_CHARS (a longer block stays whole)."""
    texts, current = [], ""
    for block in blocks:
        if current and len(current) + 1 + len(block) > MAX_CHARS:
            texts.append(current)
            current = block
        else:
            current = f"{current}\n{block}" if current else block
    if current:
        texts.append(current)
    return texts


def chunk_markdown(title: str, text: str) -> list[Chunk]:
    """Chunk a Markdown (or plain) text by its headings; each chunk keeps its title path."""
    path: list[tuple[int, str]] = []
    section_lines: list[str] = []
    chunks: list[Chunk] = []

    def flush():
        titles = (title, *[t for _, t in path])
        for piece in _pack(_blocks(section_lines)):
            chunks.append(Chunk(titles, piece))

    for line in text.splitlines():
        heading = _HEADING_RE.match(line)
        if heading:
            flush()
            section_lines = []
            level = len(heading.group(1))
            path = [(lvl, t) for lvl, t in path if lvl < level] + [
                (level, heading.group(2).strip())
            ]
            continue
        section_lines.append(line)
    flush()
    return chunks


def chunk_plan(
    title: str, sections: list[dict], units: list[tuple[str, list[str]]]
) -> list[Chunk]:
    """Chunk a parsed plan: each section's items, and each unit's tasks under "Tổ chức thực hiện"."""
    chunks = []
    for section in sections:
        heading = section.get("heading") or ""
        if "tổ chức thực hiện" in heading.lower() and units:
            continue  # the units below say it better, one per unit
        for piece in _pack([f"- {item}" for item in section.get("items", [])]):
            chunks.append(Chunk((title, heading), piece))
    for unit_name, tasks in units:
        for piece in _pack([f"- {task}" for task in tasks]):
            chunks.append(
                Chunk((title, "Tổ chức thực hiện", unit_name), f"{unit_name}:\n{piece}")
            )
    return chunks
