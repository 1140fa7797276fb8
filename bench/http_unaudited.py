"""OpenRegie without its read audit, for one comparison only: what the audit costs a read
(target: an audited read keeps at least 0.6 of the unaudited throughput). Served by
gunicorn like `openregie_core.wsgi:app`; never an installation's entry point.

The request's audit records are still collected; only writing them after the request
(core's `write_trace`, where every read's records go) is skipped.
"""

from openregie_core import runtime
from openregie_core.app import create_app


def _skip(_engine: object, _trace: object) -> None:
    return None


runtime.write_trace = _skip  # type: ignore[assignment]
app = create_app()
