"""Views of the content app, one module per area; `loa/content/urls.py` and
`loa/content/urls_approvals.py` route them, `loa/urls.py` routes `portal.home` at `/`.

- `portal`: `/`, the portal home for visitors and the plan list for staff;
- `search`: the portal's search;
- `feeds`: RSS and Atom feeds of the latest articles;
- `approvals`: the page a signed approval link opens.
"""
