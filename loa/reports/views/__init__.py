"""Views of the reports app, one module per screen; `loa/reports/urls.py` routes them.

Thin views over services and selectors:

- `dashboard`: the figures, charts and tables of a period, and their workbook;
- `indicators`: one indicator's progress and records, adding and changing indicators;
- `budget`: allocations, spending and balances of a year, recording an expense;
- `drafts`: periodic reports (drafts, their words, units' parts, commendations, export).
"""
