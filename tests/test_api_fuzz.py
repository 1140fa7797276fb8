"""schemathesis against the one OpenAPI document (`/api/v1/openapi.json`), in process.

The application has every first-party module and the demo region; requests carry a personal
token of the demo case manager (`regisseur`) holding every permission, so operations reach
their real work. Path parameters that name an id are drawn half of the time from the ids of
real rows (cases, persons, plans, ...), so the fuzzer gets past "404 not found" and into the
validation and the writes. Every check schemathesis has runs on every answer; a server error
or a failed check is a bug to fix at its source (or a mismatch to fix in the schema).

The run is bounded and repeatable: `EXAMPLES_PER_OPERATION` examples per operation (CI runs
exactly this; valid and invalid cases mixed), no per-example deadline, derandomised (the
same examples on every run). It takes about 100 s on SQLite and 3-5 min on PostgreSQL on
a 2-core machine.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.hooks import HookDispatcher, HookScope
from sqlalchemy import text

from openregie_sdk.testing.plugin import personal_token, seed_demo

EXAMPLES_PER_OPERATION = 100
VALIDATION_STATUS = 400
FIRST_PARTY = ["casemanagement", "consent", "portal", "reporting"]
DEMO_PROFESSIONAL = "regisseur"
# path parameter → the table holding such ids (real rows for the fuzzer to hit)
ID_TABLES = {
    "case_id": "casemanagement_case",
    "person_id": "core_person",
    "household_id": "core_household",
    "goal_id": "casemanagement_goal",
    "action_id": "casemanagement_action",
    "allocation_id": "casemanagement_allocation",
    "document_id": "casemanagement_document",
    "request_id": "casemanagement_appointment_request",
    "involvement_id": "casemanagement_involvement",
    "consent_id": "consent_record",
}
IDS_PER_TABLE = 20
# Every check runs. A schema cannot say that a case already has a plan, that a proposal was
# decided already or that a person is no member of the household: such refusals of
# well-formed input are 400s naming the field (the API's contract), so the acceptance check
# takes a 400 as an answer too — and `_bad_input_names_the_field` holds every 400 to it.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]
            }
        }
    }
)


def _bad_input_names_the_field(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 400 is the API's error object naming at least one field and its problem."""
    if response.status_code != VALIDATION_STATUS:
        return None
    error = (response.json() or {}).get("error") or {}
    fields = error.get("fields") or []
    if not fields or not all(item.get("field") and item.get("message") for item in fields):
        raise AssertionError(f"a 400 that names no field: {response.text[:300]}")
    return True


def _real_ids(app: Any) -> dict[str, list[str]]:
    """Some ids of existing rows per path parameter (tables a module lacks are skipped)."""
    runtime = app.extensions["openregie"]
    found: dict[str, list[str]] = {}
    with runtime.engine.connect() as connection:
        tables = set(runtime.engine.dialect.get_table_names(connection))
        for parameter, table in ID_TABLES.items():
            if table in tables:
                rows = connection.execute(
                    text(f"SELECT id FROM {table} ORDER BY id LIMIT {IDS_PER_TABLE}")
                )
                found[parameter] = [str(uuid.UUID(str(row[0]))) for row in rows]
    return {parameter: ids for parameter, ids in found.items() if ids}


def _with_real_ids(ids: dict[str, list[str]]) -> Callable[..., Any]:
    def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
        choices = {
            name: st.one_of(st.just(value), st.sampled_from(ids[name]))
            for name, value in (path_parameters or {}).items()
            if name in ids
        }
        if not choices:
            return st.just(path_parameters)
        return st.fixed_dictionaries(choices).map(lambda chosen: {**path_parameters, **chosen})

    return flatmap_path_parameters


@pytest.fixture
def fuzz_app(make_app: Callable[..., Any]) -> Any:
    app = make_app(FIRST_PARTY)
    assert seed_demo(app) == []
    return app


@pytest.fixture
def bearer(fuzz_app: Any) -> dict[str, str]:
    from openregie_core.models import User

    runtime = fuzz_app.extensions["openregie"]
    with runtime.session_factory() as session:
        user = session.query(User).filter_by(username=DEMO_PROFESSIONAL).one()
    return personal_token(fuzz_app, user, sorted(runtime.permissions), name="fuzz")


@pytest.fixture
def api_schema(fuzz_app: Any) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app, config=CONFIG)


@pytest.fixture
def real_ids(fuzz_app: Any) -> HookDispatcher:
    """Hooks that draw path ids from real rows (for valid cases only: an invalid case's
    malformed id must stay malformed)."""
    ids = _real_ids(fuzz_app)
    assert {"case_id", "person_id", "goal_id", "consent_id"} <= set(ids)
    hooks = HookDispatcher(scope=HookScope.SCHEMA)
    hooks.hook(_with_real_ids(ids))
    return hooks


def _fuzz(operation: Any, headers: dict[str, str], real_ids: HookDispatcher) -> str | None:
    """Run schemathesis' valid and invalid cases of `operation`; the failure, or None.
    The token is an explicit header, so invalid cases vary everything but the login."""
    cases = st.one_of(
        operation.as_strategy(
            generation_mode=GenerationMode.POSITIVE, headers=headers, hooks=real_ids
        ),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE, headers=headers),
    )

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=cases)
    def run(case: Any) -> None:
        case.call_and_validate(additional_checks=[_bad_input_names_the_field])

    # Every failure is reported (schemathesis raises a group of them); the next operation
    # still runs.
    try:
        run()
    except (Exception, BaseExceptionGroup) as failure:
        return f"{operation.label}: {failure}"
    return None


def test_the_api_answers_every_generated_request_without_a_server_error(
    api_schema: Any, bearer: dict[str, str], real_ids: HookDispatcher
) -> None:
    failures = []
    operations = 0
    for result in api_schema.get_all_operations():
        operations += 1
        failure = _fuzz(result.ok(), bearer, real_ids)
        if failure:
            failures.append(failure)
    assert operations > 40
    assert not failures, "\n\n".join(failures)
