"""Installation configuration: `OPENREGIE_*` environment variables over an optional TOML file.

The TOML file is `openregie.toml` in the instance folder (override with
`OPENREGIE_CONFIG_FILE`). Environment variables win over the file. A wrong value stops
start-up with a `ConfigError` that names the variable and what is expected.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from openregie_sdk.manifest import MODULE_ID_PATTERN

ENV_PREFIX = "OPENREGIE_"
FIRST_PARTY_MODULES = ("casemanagement", "consent", "portal", "reporting")
Mode = Literal["production", "development", "demo", "test"]

_EXPECTED = {
    "database_url": "a sqlite:/// or postgresql:// URL",
    "modules": "a comma-separated list of module ids, e.g. casemanagement,portal",
    "disable_modules": "a comma-separated list of module ids",
    "safe_mode": "a boolean (1/0, true/false)",
    "strict_modules": "a boolean (1/0, true/false)",
    "mode": "one of production, development, demo, test",
    "session_idle_minutes": "a whole number of minutes between 1 and 1440",
    "session_max_hours": "a whole number of hours between 1 and 168",
    "trusted_proxies": "the number of reverse proxies in front of OpenRegie, 0 to 5",
    "ratelimit_storage_url": "a rate-limit storage URL such as memory:// or redis://host:6379/0",
}
# Storage schemes of the `limits` library that several app hosts can share, plus `memory://`
# (the default: each process counts on its own).
RATELIMIT_SCHEMES = frozenset(
    {"memory", "redis", "rediss", "redis+unix", "redis+sentinel", "redis+cluster", "valkey"}
    | {"valkeys", "memcached", "mongodb"}
)


class ConfigError(Exception):
    """A configuration value is wrong; the message names the variable and what is expected."""


def _default_instance_path() -> Path:
    return Path(os.environ.get("OPENREGIE_INSTANCE_PATH", Path.cwd() / "instance")).resolve()


def _split_ids(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="ignore", frozen=True, validate_default=True
    )

    instance_path: Path = Field(default_factory=_default_instance_path)
    database_url: str | None = None
    secret_key: SecretStr | None = None
    modules: Annotated[list[str] | None, NoDecode] = None
    disable_modules: Annotated[list[str], NoDecode] = Field(default_factory=list)
    safe_mode: bool = False
    strict_modules: bool = False
    mode: Mode = "production"
    session_idle_minutes: int = Field(default=30, ge=1, le=1440)
    # However active, a session (staff or resident) ends this long after its login.
    session_max_hours: int = Field(default=12, ge=1, le=168)
    # Reverse proxies (TLS terminators, load balancers) in front of the app whose
    # X-Forwarded-For/-Proto/-Host/-Port headers are believed: 0 trusts none. Behind a
    # proxy, set it, or HTTPS goes unrecognised (no HSTS, no secure cookies) and every
    # client shares the proxy's address (rate limits, the audit's origin).
    trusted_proxies: int = Field(default=0, ge=0, le=5)
    # Where uploaded documents are kept; `<instance>/files` when not set.
    files_path: Path | None = None
    # Where the login rate limits count; set a Redis URL when several hosts serve one site.
    ratelimit_storage_url: str = "memory://"
    # `[modules.<id>]` tables of the TOML file; environment variables
    # OPENREGIE_<ID>__<FIELD> are merged in by openregie_core.modules.settings.
    module_config: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("modules", "disable_modules", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        return _split_ids(value)

    @field_validator("modules", "disable_modules")
    @classmethod
    def _valid_ids(cls, value: list[str] | None) -> list[str] | None:
        for item in value or []:
            if re.fullmatch(MODULE_ID_PATTERN, item) is None:  # isalnum() would allow "ü"
                raise ValueError(f"{item!r} is not a module id")
        return value

    @field_validator("ratelimit_storage_url")
    @classmethod
    def _ratelimit_url(cls, value: str) -> str:
        if value.partition("://")[0] not in RATELIMIT_SCHEMES or "://" not in value:
            raise ValueError("unsupported rate-limit storage")
        return value

    @field_validator("database_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.startswith(("postgresql://", "postgres://")):
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        if value.startswith(("sqlite://", "postgresql+psycopg://")):
            return value
        raise ValueError("unsupported database")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        instance = getattr(init_settings, "init_kwargs", {}).get("instance_path")
        return (init_settings, env_settings, _TomlSource(settings_cls, instance))

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.instance_path / 'openregie.db'}"

    @property
    def is_development(self) -> bool:
        return self.mode in ("development", "demo", "test")


class _TomlSource(TomlConfigSettingsSource):
    """Reads `openregie.toml`; its `[modules.<id>]` tables become `module_config`."""

    def __init__(self, settings_cls: type[BaseSettings], instance: Path | str | None) -> None:
        folder = Path(instance) if instance is not None else _default_instance_path()
        path = Path(os.environ.get("OPENREGIE_CONFIG_FILE", folder / "openregie.toml"))
        super().__init__(settings_cls, toml_file=path)

    def __call__(self) -> dict[str, Any]:
        data = dict(super().__call__())
        if "modules" in data and isinstance(data["modules"], dict):
            data["module_config"] = data.pop("modules")
        if isinstance(data.get("enabled_modules"), list):
            data["modules"] = data.pop("enabled_modules")
        return data


def load_settings(**overrides: Any) -> Settings:
    """Build the settings or raise `ConfigError` naming each wrong variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "?"
            expected = _EXPECTED.get(field, error["msg"])
            got = error.get("input")
            got_text = f", got {got!r}" if isinstance(got, str | int | float | bool) else ""
            problems.append(f"{ENV_PREFIX}{field.upper()}: expected {expected}{got_text}")
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(problems)) from None


def ensure_secret_key(settings: Settings) -> str:
    """The configured secret key, or one generated into the instance folder on first run."""
    if settings.secret_key is not None:
        value = settings.secret_key.get_secret_value()
        if len(value) < 32:
            raise ConfigError(f"{ENV_PREFIX}SECRET_KEY: expected at least 32 characters")
        return value
    path = settings.instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process generated it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
