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

from dataclasses import dataclass

from openregie_sdk.capabilities.casemanagement import CaseManagement
from openregie_sdk.capabilities.consent import Consent


@dataclass(frozen=True)
class CapabilitySpec:
    name: str
    version: str
    protocol: type
    summary: str


CAPABILITIES: dict[str, CapabilitySpec] = {
    spec.name: spec
    for spec in (
        CapabilitySpec(
            "casemanagement",
            "1.0",
            CaseManagement,
            "Cases and plans of households, as other modules may see them.",
        ),
        CapabilitySpec(
            "consent",
            "1.0",
            Consent,
            "Recorded consent of data subjects, checked before sharing.",
        ),
    )
}

__all__ = ["CAPABILITIES", "CapabilitySpec", "CaseManagement", "Consent"]
