"""What the services share: the module id, the settings and the configured purposes."""

from __future__ import annotations

from typing import cast

from openregie_consent.settings import ConsentSettings, PurposeSetting
from openregie_sdk import module_settings
from openregie_sdk.capabilities.consent import PurposeView, Refused

MODULE = "consent"
READ = "consent.record.read"
MANAGE = "consent.record.manage"
OVERRIDE = "consent.override"
REVIEW = "consent.override.review"
OWN = "consent.own.manage"


def settings() -> ConsentSettings:
    return cast(ConsentSettings, module_settings(MODULE))


def purposes() -> tuple[PurposeSetting, ...]:
    return settings().purposes


def purpose_view(purpose: PurposeSetting) -> PurposeView:
    return PurposeView(
        code=purpose.code,
        label=purpose.label,
        data_categories=purpose.data_categories,
        legal_basis=purpose.legal_basis,
        special_category_exception=purpose.special_category_exception,
        gates=purpose.gates,
    )


def purpose_named(code: str) -> PurposeSetting:
    """The configured purpose `code`; Refused (field `purpose`) when there is none."""
    for purpose in purposes():
        if purpose.code == code:
            return purpose
    known = ", ".join(p.code for p in purposes())
    raise Refused(f"Onbekend doel {code!r}; bekende doelen: {known}.", "purpose")


def purpose_label(code: str) -> str:
    """The Dutch label of a purpose, or the code itself for one no longer configured."""
    return next((p.label for p in purposes() if p.code == code), code)


def gated_purposes(relation: str) -> list[str]:
    return [p.code for p in purposes() if relation in p.gates]
