"""The models of the channels app, one module per area; Django finds them here.

- `outbox`: the channels a page goes to, each delivery and its attempts;
- `zalo`: Zalo OA message templates, followers and the followers a delivery reached;
- `radio`: the built weekly radio segments and the broadcast schedule;
- `smart_radio`: the airing log the smart-radio platforms send back;
- `slogans`: the library of slogans for banners and LED boards;
- `led`: the ward's LED screens (where each stands, its public page's layout).
"""

from .led import LedScreen
from .outbox import Channel, ChannelChoice, Delivery, DeliveryAttempt, DeliveryQuerySet
from .radio import RadioSegment, RadioSlot
from .slogans import Slogan
from .smart_radio import RadioAiring
from .zalo import ZaloFollower, ZaloRecipient, ZaloTemplate

__all__ = [
    "Channel",
    "ChannelChoice",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryQuerySet",
    "LedScreen",
    "RadioAiring",
    "RadioSegment",
    "RadioSlot",
    "Slogan",
    "ZaloFollower",
    "ZaloRecipient",
    "ZaloTemplate",
]
