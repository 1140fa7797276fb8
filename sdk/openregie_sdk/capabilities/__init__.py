"""Capabilities: named, versioned contracts that make modules interchangeable.

A module *provides* a capability by listing it in its manifest's `provides` (with the
version it implements) and `capability_providers` (an import string for a zero-argument
factory returning the provider object). Another module *requires* or *optionally uses* it
with a version specifier and obtains the provider through `openregie_sdk.capability(name)`,
never by importing the providing module. At most one enabled module provides a capability.

The protocols of the capabilities the platform defines live beside this file; a provider
must satisfy the protocol (checked at load time) and pass the capability's conformance suite
in `openregie_sdk.testing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from packaging.version import Version

from openregie_sdk.capabilities.casemanagement import SINCE as CASEMANAGEMENT_SINCE
from openregie_sdk.capabilities.casemanagement import VERSION as CASEMANAGEMENT_VERSION
from openregie_sdk.capabilities.casemanagement import CaseManagement
from openregie_sdk.capabilities.consent import SINCE as CONSENT_SINCE
from openregie_sdk.capabilities.consent import VERSION as CONSENT_VERSION
from openregie_sdk.capabilities.consent import Consent


@dataclass(frozen=True)
class CapabilitySpec:
    """A capability: its current protocol version and, per method, the version that added
    it (methods not listed date from 1.0). A provider is checked against the methods of
    the version it declares in `provides`, so a 1.0 provider stays valid when 1.1 adds
    methods; a consumer that needs them requires `>=1.1`."""

    name: str
    version: str
    protocol: type
    summary: str
    since: Mapping[str, str] = field(default_factory=dict)

    def methods_for(self, version: str) -> list[str]:
        """The protocol's methods a provider of `version` must have."""
        provided = Version(version)
        return [
            name
            for name in dir(self.protocol)
            if not name.startswith("_") and Version(self.since.get(name, "1.0")) <= provided
        ]


CAPABILITIES: dict[str, CapabilitySpec] = {
    spec.name: spec
    for spec in (
        CapabilitySpec(
            "casemanagement",
            CASEMANAGEMENT_VERSION,
            CaseManagement,
            "Cases and plans of households, as other modules may see them.",
            since=CASEMANAGEMENT_SINCE,
        ),
        CapabilitySpec(
            "consent",
            CONSENT_VERSION,
            Consent,
            "Recorded consent of data subjects, checked before sharing.",
            since=CONSENT_SINCE,
        ),
    )
}

__all__ = ["CAPABILITIES", "CapabilitySpec", "CaseManagement", "Consent"]
