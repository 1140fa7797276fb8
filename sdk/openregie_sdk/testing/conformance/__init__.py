"""Conformance suites: reusable pytest test classes that check a capability provider against
the rules of its protocol in `openregie_sdk.capabilities`.

A provider's tests subclass the suite of the capability and build its scenario through the
provider's own storage; any provider that passes may replace the one OpenRegie ships.

- `openregie_sdk.testing.conformance.casemanagement.CaseManagementConformance`
  (the `casemanagement` capability)
- `openregie_sdk.testing.conformance.consent.ConsentConformance` (the `consent`
  capability, since SDK 1.2)
"""

from __future__ import annotations

from openregie_sdk.testing.conformance.casemanagement import (
    CaseManagementConformance,
    Scenario,
    World,
)
from openregie_sdk.testing.conformance.consent import ConsentConformance

__all__ = ["CaseManagementConformance", "ConsentConformance", "Scenario", "World"]
