"""`loa ask "QUESTION" --json` and `loa ask --batch IN.jsonl`: the assistant from the command line."""

import json
import sys
import time

from django.core.management.base import BaseCommand

from loa.assistant import index
from loa.assistant.answering import answer_question
from loa.assistant.services import _llm_writer
from loa.core.selectors import ward_for_command


def _as_json(answer, latency_ms: float, ward) -> dict:
    result = {
        "answer": answer.text,
        "answered": answer.answered,
        "citations": [c.as_dict() for c in answer.citations],
        "latency_ms": round(latency_ms, 2),
    }
    if ward is not None:
        result["ward"] = {"slug": ward.slug, "name": ward.display_name}
    return result


class Command(BaseCommand):
    help = "Hỏi trợ lý một câu (hoặc cả tệp câu hỏi .jsonl)."

    def add_arguments(self, parser):
        parser.add_argument("question", nargs="?", help="câu hỏi")
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
        parser.add_argument(
            "--batch", help='tệp .jsonl, mỗi dòng {"id": ..., "question": ...}'
        )
        parser.add_argument(
            "--ward",
            help="mã phường/xã (slug); mặc định: phường/xã duy nhất của hệ thống",
        )

    def handle(self, *args, **options):
        from django.conf import settings

        if not (options["batch"] or options["question"]):
            sys.stderr.write(
                'Cần một câu hỏi, ví dụ: loa ask "kích hoạt VNeID mức 2 ở đâu" --json\n'
            )
            raise SystemExit(2)
        ward = ward_for_command(options["ward"], none_if_no_ward=True)
        # JSON answers carry the ward; otherwise the first line on stderr names it.
        if ward is None:
            self.stderr.write(
                "Chưa có phường/xã nào: trả lời từ kho tri thức dùng chung.",
                style_func=str,
            )
        elif not (options["json"] or options["batch"]):
            self.stderr.write(
                f"Phường/xã: {ward.display_name} ({ward.slug})", style_func=str
            )
        retriever = index.get_retriever()  # loaded once for the whole batch
        llm = _llm_writer()

        def ask(question: str) -> tuple:
            started = time.perf_counter()
            answer = answer_question(
                question,
                retriever,
                contact=settings.LOA_CONTACT,
                ward_id=ward.pk if ward else None,
                llm=llm,
            )
            return answer, (time.perf_counter() - started) * 1000

        if options["batch"]:
            self._batch(options["batch"], ask, ward)
            return
        answer, latency = ask(options["question"])
        if options["json"]:
            self.stdout.write(
                json.dumps(_as_json(answer, latency, ward), ensure_ascii=False)
            )
            return
        self.stdout.write(answer.text)
        for c in answer.citations:
            self.stdout.write(f"  Nguồn: {c.title}" + (f" ({c.url})" if c.url else ""))

    def _batch(self, path: str, ask, ward) -> None:
        try:
            lines = open(path, encoding="utf-8-sig").read().splitlines()  # noqa: SIM115
        except OSError:
            sys.stderr.write(f"Không đọc được tệp: {path}\n")
            raise SystemExit(2) from None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                question = record["question"]
            except (ValueError, KeyError, TypeError):
                sys.stderr.write(
                    f'Dòng {number}: cần {{"id": ..., "question": ...}}; bỏ qua.\n'
                )
                continue
            answer, latency = ask(str(question))
            self.stdout.write(
                json.dumps(
                    {"id": record.get("id"), **_as_json(answer, latency, ward)},
                    ensure_ascii=False,
                )
            )
