"""Count the SQL a block of code sends, to test that a page or a method runs a fixed number
of statements however much data it shows (no N+1):

    from openregie_sdk.testing.statements import Statements

    with Statements(app.extensions["openregie"].engine) as statements:
        client.get("/mijn/")
    assert len(statements.seen) <= 20
    assert len(statements.touching("core_legal_representation")) == 1
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event


class Statements:
    """The statements `engine` sends while the `with` block runs, in order, whitespace
    collapsed (`seen`); the listener is removed when the block ends, also on an error."""

    def __init__(self, engine: Engine) -> None:
        self.seen: list[str] = []
        self._engine = engine

    def _add(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.seen.append(" ".join(statement.split()))

    def touching(self, table: str) -> list[str]:
        """The statements that name `table`."""
        return [s for s in self.seen if table in s]

    def __enter__(self) -> Statements:
        event.listen(self._engine, "before_cursor_execute", self._add)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self._engine, "before_cursor_execute", self._add)
