"""Settings of the portal module (`[modules.portal]` or `OPENREGIE_PORTAL__<FIELD>`)."""

from urllib.parse import urlsplit

from limits import parse
from pydantic import Field, SecretStr, field_validator

from openregie_sdk import ModuleSettings


class PortalSettings(ModuleSettings):
    idle_minutes: int = Field(
        default=15,
        ge=1,
        le=120,
        description="A resident's portal session ends after this many minutes without activity.",
    )
    oidc_metadata_url: str = Field(
        default="",
        description=(
            "OpenID Connect discovery document of the DigiD broker "
            "(https://…/.well-known/openid-configuration); empty: no DigiD login."
        ),
    )
    oidc_client_id: str = Field(default="", description="Client id at the broker.")
    oidc_client_secret: SecretStr = Field(
        default=SecretStr(""), description="Client secret at the broker."
    )
    oidc_scopes: str = Field(default="openid", description="Scopes asked for, separated by spaces.")
    oidc_bsn_claim: str = Field(
        default="bsn", description="The claim of the ID token that holds the BSN."
    )
    oidc_label: str = Field(
        default="Inloggen met DigiD", description="Dutch label of the login button."
    )
    upload_limit: str = Field(
        default="10 per hour",
        description="How many documents one resident may upload (a Flask-Limiter limit).",
    )
    login_limit: str = Field(
        default="10 per minute",
        description="How many login attempts one address may make (a Flask-Limiter limit).",
    )

    @field_validator("oidc_metadata_url")
    @classmethod
    def _https(cls, value: str) -> str:
        """The broker is reached over HTTPS; plain HTTP only on this machine (tests)."""
        if not value:
            return value
        parts = urlsplit(value)
        local = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if parts.scheme != "https" and not (parts.scheme == "http" and local):
            raise ValueError("the metadata URL must use https://")
        return value

    @field_validator("upload_limit", "login_limit")
    @classmethod
    def _limit(cls, value: str) -> str:
        try:
            parse(value)
        except ValueError as error:
            raise ValueError(f"not a rate limit such as '10 per minute': {value!r}") from error
        return value

    @property
    def oidc_configured(self) -> bool:
        return bool(self.oidc_metadata_url and self.oidc_client_id)
