"""Wall-clock times in a named time zone, and the instants they name.

Deadlines are entered as local times in a call's time zone and stored as UTC instants. At a daylight-
saving change a local time may not exist (the clocks skip it) or happen twice (the clocks go back); both
are refused with a message, never guessed.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext


def local_to_utc(local: dt.datetime, zone_name: str) -> dt.datetime:
    """The instant a wall-clock time in ``zone_name`` names; ValidationError if it is not exactly one."""
    zone = zoneinfo.ZoneInfo(zone_name)
    local = local.replace(tzinfo=None, fold=0)
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    shown = f"{local:%Y-%m-%d %H:%M}"
    if first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != local:
        raise ValidationError(
            gettext(
                "%(time)s does not exist in %(zone)s: the clocks go forward at that moment. "
                "Choose a time outside the skipped hour."
            )
            % {"time": shown, "zone": zone_name},
            code="nonexistent_time",
        )
    if first.utcoffset() != second.utcoffset():
        raise ValidationError(
            gettext(
                "%(time)s happens twice in %(zone)s: the clocks go back at that moment. "
                "Choose a time outside the repeated hour."
            )
            % {"time": shown, "zone": zone_name},
            code="ambiguous_time",
        )
    return first.astimezone(dt.UTC)


def utc_to_local(value: dt.datetime | None, zone_name: str) -> dt.datetime | None:
    """A stored instant as the naive wall-clock time shown in the form."""
    if value is None:
        return None
    return timezone.localtime(value, zoneinfo.ZoneInfo(zone_name)).replace(tzinfo=None)
