"""Parse the text of an official plan (layout of Nghị định 30/2020/NĐ-CP) into data.

The parser works line by line on text that may come from OCR: diacritics lost,
Roman numerals turned into digits ("III." → "1.", "IV." → "111."), "/" read as "I",
page breaks in the middle of a paragraph. So:

* the text is restored to proper Vietnamese first (``loa.vn.restore``) when it needs
  it, and every line is matched on a *key*: the restored line folded to lowercase
  ASCII one character per character, so a match position in the key is the same
  position in the restored text;
* section headings are found by their words (MỤC ĐÍCH, YÊU CẦU / NỘI DUNG … /
  KINH PHÍ / TỔ CHỨC THỰC HIỆN …), never by their numbers;
* patterns on keys are loose where OCR is known to damage a word (``phdi hop``).

Recurrence rule: "thường xuyên" right after a budget word (kinh phí, ngân sách, dự
toán, chi, nguồn, vốn) names a kind of budget ("kinh phí thường xuyên"), not how
often a task recurs, so it is ignored there. When a task names several
recurrences the most specific one wins: hằng tuần > hằng tháng > hằng quý >
định kỳ > thường xuyên ("phát thanh định kỳ hằng tuần" is weekly).

The modules, each importing only those above it: ``result`` (what a parse gives),
``keys``, ``vocabularies``, ``regexes`` (what every part matches with), ``header``,
``blocks``, ``units``, ``sections``, ``appendix``, ``signer``, and ``entry``
(``parse_plan``, which reads them in the order of the document).
"""

from .entry import parse_plan
from .result import (
    ParsedPlan,
    ParsedSection,
    ParsedTask,
    ParsedUnit,
    PlanParseError,
    Recurrence,
    Role,
)

__all__ = [
    "ParsedPlan",
    "ParsedSection",
    "ParsedTask",
    "ParsedUnit",
    "PlanParseError",
    "Recurrence",
    "Role",
    "parse_plan",
]
