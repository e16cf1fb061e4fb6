"""Writes of the channels app, one module per area; import the module you need.

- `outbox`: choose channels, schedule deliveries, send each once, staff actions;
- `followers`: Zalo OA followers, their reply window and their tổ dân phố;
- `led`: the LED playlist of a ward's screens;
- `radio`: build the weekly segment, archive it and approve it;
- `smart_radio`: import a smart-radio platform's airing log as Activities;
- `printing`: print-ready PDFs (posters, leaflets, banners, panels, slogans).

Nothing is re-exported here, so importing one (the outbox, at every start) does not
load another's heavy dependencies (WeasyPrint for printing).
"""
