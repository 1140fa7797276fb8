"""What every part of the generator shares: a seeded random source that also makes UUIDs,
and the period the dataset covers."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
UTC = dt.UTC


class Rand(random.Random):
    """`random.Random` (seeded: the same seed gives the same dataset) plus UUIDs from the
    same stream, so ids are repeatable too."""

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.getrandbits(128), version=4)

    def pick(self, items: Sequence[T], weights: Sequence[float]) -> T:
        return self.choices(items, weights)[0]

    def moment(self, day: dt.date, start_hour: int = 8, end_hour: int = 18) -> dt.datetime:
        """A time on `day` during working hours, in UTC, to the microsecond."""
        seconds = self.randrange(start_hour * 3600, end_hour * 3600)
        return dt.datetime.combine(day, dt.time(), tzinfo=UTC) + dt.timedelta(
            seconds=seconds, microseconds=self.randrange(1_000_000)
        )


@dataclass(frozen=True, slots=True)
class Span:
    """The days the dataset covers: `start` to `end`, both inclusive."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def day(self, rng: random.Random) -> dt.date:
        return self.start + dt.timedelta(days=rng.randrange(self.days))


def add_days(day: dt.date, days: float) -> dt.date:
    return day + dt.timedelta(days=int(days))
