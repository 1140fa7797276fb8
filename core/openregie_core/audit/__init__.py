"""The audit log (verwerkingenlogging): recording, the hash chain, verifying and reading.

`record(...)` during a request or command; `verify(session)` checks the chain (also
`openregie audit verify`); `accessed_by(session, person_id)` says who processed a person's
data. Modules use the same log through `openregie_sdk.audit`.
"""

from openregie_core.audit.queries import accessed_by
from openregie_core.audit.recorder import STATUSES, record
from openregie_core.audit.verify import ChainBreak, ChainReport, verify

__all__ = ["STATUSES", "ChainBreak", "ChainReport", "accessed_by", "record", "verify"]
