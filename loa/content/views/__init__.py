"""Views of the content app, one module per area; `loa/content/urls.py` routes them,
`loa/urls.py` routes `portal.home` at `/`.

- `portal`: `/`, the portal home for visitors and the plan list for staff;
- `search`: the portal's search;
- `feeds`: RSS and Atom feeds of the latest articles;
- `approvals`: the page a signed approval link opens;
- `editor`: "Viết bài" (Wagtail's editor for a new article) and /cms/login/ sent to
  Loa's login.
"""
