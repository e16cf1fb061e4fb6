"""Views of the learning app, one module per area; `loa/learning/urls.py` routes them.

Residents (light pages, large text, no JavaScript needed):
- `learners`: sign-up, continuing on another device, the learner's own data;
- `courses`: the course list, a course, a lesson;
- `quizzes`: taking a quiz and its result;
- `classes`: upcoming classes and check-in, and the staff pages that run them;
- `documents`: certificate and handout PDFs, the public certificate check.

Staff and community digital teams:
- `figures`: the ward's learning figures and their workbook;
- `teams`: teams, members and yearly targets;
- `visits`: the support-visit form that works offline, and its service worker;
- `imports`: learner and team member lists from .xlsx;
- `access`: the checks these pages share.
"""
