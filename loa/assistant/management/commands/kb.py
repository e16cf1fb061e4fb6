"""`loa kb ingest PATH`, `loa kb search QUERY -k N --json`, `loa kb search --batch IN.jsonl -k N`,
`loa kb reindex`."""

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from loa.core.selectors import ward_for_command

# Searched beyond k so that k documents remain once a document's passages are one result.
SEARCH_DEPTH = 4


class Command(BaseCommand):
    help = "Kho tri thức của trợ lý: nạp tài liệu, tìm kiếm, lập lại chỉ mục."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ingest = sub.add_parser(
            "ingest", help="nạp .txt, .md, .docx, .pdf hoặc .jsonl (tệp hoặc thư mục)"
        )
        ingest.add_argument("path")
        owner = ingest.add_mutually_exclusive_group()
        owner.add_argument(
            "--ward",
            help="mã phường/xã; mặc định: phường/xã duy nhất của hệ thống",
        )
        owner.add_argument(
            "--shared", action="store_true", help="dùng chung cho mọi phường/xã"
        )
        search = sub.add_parser("search", help="tìm trong kho tri thức")
        search.add_argument("query", nargs="?")
        search.add_argument("-k", type=int, default=5)
        search.add_argument("--json", action="store_true")
        search.add_argument(
            "--ward",
            help="tìm như trợ lý của phường/xã này; mặc định: phường/xã duy nhất",
        )
        search.add_argument(
            "--batch",
            help='tệp .jsonl, mỗi dòng {"id": ..., "query" | "question": ...}',
        )
        sub.add_parser("reindex", help="lập lại chỉ mục từ cơ sở dữ liệu")

    def fail(self, message: str) -> None:
        sys.stderr.write(message.strip() + "\n")
        raise SystemExit(2)

    def handle(self, *args, **options):
        getattr(self, f"handle_{options['action']}")(options)

    def handle_ingest(self, options):
        from loa.assistant.services import kb_ingest

        # No ward yet: what is loaded can only be shared, and the summary says so.
        ward = (
            None
            if options["shared"]
            else ward_for_command(options["ward"], none_if_no_ward=True)
        )
        try:
            result = kb_ingest(path=Path(options["path"]), ward=ward)
        except ValidationError as exc:
            self.fail(" ".join(exc.messages))
        self.stdout.write(
            f"Đã nạp {result.documents} tài liệu, {result.faqs} câu hỏi thường gặp "
            + (
                f"cho {ward.display_name} ({ward.slug})"
                if ward
                else "vào kho dùng chung cho mọi phường/xã"
            )
            + (
                f"; bỏ qua {len(result.skipped)} tệp không hỗ trợ"
                if result.skipped
                else ""
            )
            + "."
        )

    def handle_reindex(self, options):
        from loa.assistant.index import index_rebuild

        self.stdout.write(f"Đã lập chỉ mục {index_rebuild()} đoạn văn bản.")

    def handle_search(self, options):
        from loa.assistant.index import get_retriever

        if not (options["batch"] or options["query"]):
            self.fail(
                'Cần chuỗi tìm kiếm, ví dụ: loa kb search "chuyen doi so" -k 5 --json'
            )
        ward = ward_for_command(options["ward"], none_if_no_ward=True)
        ward_id = ward.pk if ward else None
        # JSON objects carry the ward; otherwise the first line on stderr names it.
        if ward is None:
            self.stderr.write(
                "Chưa có phường/xã nào: tìm trong kho tri thức dùng chung.",
                style_func=str,
            )
        elif not options["batch"]:
            self.stderr.write(
                f"Phường/xã: {ward.display_name} ({ward.slug})", style_func=str
            )
        retriever = get_retriever()
        k = max(1, options["k"])
        if options["batch"]:
            try:
                lines = (
                    Path(options["batch"]).read_text(encoding="utf-8-sig").splitlines()
                )
            except OSError:
                self.fail(f"Không đọc được tệp: {options['batch']}")
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    query = (
                        record.get("query")
                        or record.get("question")
                        or record.get("text")
                    )
                except (ValueError, AttributeError):
                    sys.stderr.write(f"Dòng {number}: không phải JSON; bỏ qua.\n")
                    continue
                line = {
                    "id": record.get("id"),
                    "results": _ranked_ids(retriever, str(query or ""), k, ward_id),
                }
                if ward is not None:
                    line["ward"] = {"slug": ward.slug, "name": ward.display_name}
                self.stdout.write(json.dumps(line, ensure_ascii=False))
            return
        hits = retriever.search(options["query"], k=k, ward_id=ward_id)
        rows = [
            {
                "id": h.passage.id,
                "title": h.passage.title,
                "score": round(h.score, 4),
                "text": h.passage.text,
            }
            for h in hits
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['score']:.3f}  {row['title']}")


def _ranked_ids(retriever, query: str, k: int, ward_id: int | None) -> list[str]:
    """Ids in rank order: an ingested record's own id when it has one, else the chunk id."""
    seen, result = set(), []
    for hit in retriever.search(query, k=k * SEARCH_DEPTH, ward_id=ward_id):
        key = (
            hit.passage.meta.get("external_id")
            if hit.passage.kind in {"doc", "guide"}
            else hit.passage.id
        )
        key = key or hit.passage.id
        if key not in seen:
            seen.add(key)
            result.append(key)
        if len(result) == k:
            break
    return result
