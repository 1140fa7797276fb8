"""The SDK's UtcDateTime keeps moments right on databases that store no offset."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from openregie_sdk.db import UtcDateTime

PLUS_TWO = dt.timezone(dt.timedelta(hours=2))


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "pg"])
def test_moments_are_written_in_utc_and_read_back_aware(dialect):
    column = UtcDateTime()
    written = column.process_bind_param(dt.datetime(2026, 7, 1, 12, tzinfo=PLUS_TWO), dialect)
    assert written == dt.datetime(2026, 7, 1, 10, tzinfo=dt.UTC)
    assert written.tzinfo == dt.UTC
    read = column.process_result_value(dt.datetime(2026, 7, 1, 10), dialect)
    assert read == dt.datetime(2026, 7, 1, 10, tzinfo=dt.UTC)
    assert column.process_bind_param(None, dialect) is None


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="needs a time zone"):
        UtcDateTime().process_bind_param(dt.datetime(2026, 7, 1), sqlite.dialect())
