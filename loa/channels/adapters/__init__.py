"""One adapter per channel: render a page for it, and send a delivery through its API.

`smart_radio` is not an outbox channel: it hands the approved radio segment to a
loudspeaker platform.
"""

from .base import Adapter, AdapterError, ManualOnly, RuleWait, SendResult
from .facebook import FacebookAdapter
from .manual import LedAdapter
from .youtube import YouTubeAdapter
from .zalo import ZaloAdapter

ADAPTERS: dict[str, Adapter] = {
    "zalo": ZaloAdapter(),
    "facebook": FacebookAdapter(),
    "youtube": YouTubeAdapter(),
    "led": LedAdapter(),
}


def adapter_for(channel: str) -> Adapter:
    return ADAPTERS[channel]


__all__ = [
    "ADAPTERS",
    "Adapter",
    "AdapterError",
    "ManualOnly",
    "RuleWait",
    "SendResult",
    "adapter_for",
]
