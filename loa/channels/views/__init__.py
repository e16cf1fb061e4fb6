"""Views of the channels app, one module per area; `loa/channels/urls.py` routes them.

- `outbox`: choose channels, see deliveries, post by hand;
- `led`: the staff LED playlist and the public full-screen LED page;
- `radio`: the public podcast archive and feed;
- `airing`: the smart-radio platforms' airing log endpoint;
- `calendar`: the content calendar.
"""
