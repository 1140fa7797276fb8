"""The consent module passes the SDK's conformance suite of the `consent` capability."""

from openregie_sdk.testing.conformance.consent import ConsentConformance


class TestConsentConformance(ConsentConformance):
    modules = ("consent",)
    gating_purpose = "team_partner"
    other_purpose = "plan_school"
