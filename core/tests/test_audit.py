"""The audit log: one record per action per data subject, written in one batched INSERT with
the actor in a linked security record, committed or rolled back with the data it describes,
hash-chained so that `verify` and `openregie audit verify` name any tampered record."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import uuid

import pytest
from sqlalchemy import delete, event, func, insert, select, text, update

from openregie_core.audit import accessed_by, verify
from openregie_core.audit.chain import (
    GENESIS_HASH,
    RECORD_FIELDS,
    RETURNING_LIMIT,
    SECURITY_FIELDS,
    head,
    record_hash,
    records,
    securities,
)
from openregie_core.models import AuditRecord, AuditSecurity
from openregie_sdk import audit as sdk_audit
from openregie_sdk.registry import Membership, Organisation, Team
from openregie_sdk.testing.plugin import log_in


@pytest.fixture
def app(make_app, reader):
    return make_app([reader])


def _records(app) -> list[AuditRecord]:
    with app.extensions["openregie"].session_factory() as session:
        return list(session.scalars(select(AuditRecord).order_by(AuditRecord.id)))


def _verify(app):
    with app.extensions["openregie"].session_factory() as session:
        return verify(session)


def _execute(app, *statements) -> None:
    with app.extensions["openregie"].engine.begin() as connection:
        for statement in statements:
            connection.execute(statement)


class Statements:
    """Every statement the engine sends, with whether it was an executemany."""

    def __init__(self, engine) -> None:
        self.seen: list[tuple[str, bool]] = []
        self._engine = engine
        event.listen(engine, "before_cursor_execute", self._add)
        event.listen(engine, "commit", self._commit)

    def _add(self, _conn, _cursor, statement, _parameters, _context, executemany) -> None:
        self.seen.append((" ".join(statement.split()), executemany))

    def _commit(self, _conn) -> None:
        self.seen.append(("COMMIT", False))

    def stop(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._add)
        event.remove(self._engine, "commit", self._commit)

    def touching(self, table: str) -> list[tuple[str, bool]]:
        return [(s, many) for s, many in self.seen if table in s]


# -- one record per subject, one INSERT ---------------------------------------------------------


@pytest.mark.parametrize("subjects", [1, 5, 25])
def test_a_read_of_n_subjects_writes_n_records_in_one_insert(
    app, client, login_as, reader, subjects
):
    user = login_as("professional")
    client.get(f"/{reader}/people?n=1&action=warm-up")  # the first append seeds the head
    statements = Statements(app.extensions["openregie"].engine)
    try:
        assert client.get(f"/{reader}/people?n={subjects}").get_json() == {"shown": subjects}
    finally:
        statements.stop()

    written = [r for r in _records(app) if r.action != "warm-up"]
    assert [r.data_subject_id for r in written] == [
        str(uuid.UUID(int=i + 1)) for i in range(subjects)
    ]
    assert {(r.action, r.processing_activity, r.status, r.module) for r in written} == {
        ("read", f"{reader}.people.read", "ok", reader)
    }
    assert len({r.trace_id for r in written}) == 1
    record_inserts = [
        (s, many) for s, many in statements.touching("core_audit_record") if s.startswith("INSERT")
    ]
    # one statement for all: up to RETURNING_LIMIT records an INSERT that returns the ids
    # (the last goes to the chain's head), beyond it an executemany and the last id after
    assert len(record_inserts) == 1
    returning = subjects <= RETURNING_LIMIT
    assert ("RETURNING" in record_inserts[0][0]) is returning
    if not returning:
        assert record_inserts[0][1] is True  # executemany
    audit_statements = [s for s, _ in statements.seen if "core_audit" in s]
    # head lock (+ the write lock on SQLite), security, records, (last id,) head update
    expected = (5 if app.extensions["openregie"].engine.dialect.name == "sqlite" else 4) + (
        not returning
    )
    assert len(audit_statements) == expected, audit_statements
    with app.extensions["openregie"].session_factory() as session:
        security = session.get(AuditSecurity, written[0].trace_id)
    assert security.actor_kind == "user"
    assert security.actor_id == user.id
    assert security.actor_name == "Test professional"
    assert security.actor_role == "professional"
    assert security.origin == "127.0.0.1"
    assert _verify(app).checked == subjects + 1 and _verify(app).intact


def test_statements_for_the_audit_log_do_not_grow_with_the_number_of_subjects(
    app, client, login_as, reader
):
    login_as("professional")
    client.get(f"/{reader}/people?n=1")  # the first append seeds the head
    counts = []
    for subjects in (1, RETURNING_LIMIT, RETURNING_LIMIT + 1, 200):
        statements = Statements(app.extensions["openregie"].engine)
        try:
            client.get(f"/{reader}/people?n={subjects}")
        finally:
            statements.stop()
        counts.append(len(statements.seen))
    # constant on each side of RETURNING_LIMIT; beyond it one `SELECT max(id)` more
    assert counts[0] == counts[1] and counts[2] == counts[3] == counts[0] + 1
    assert len(_records(app)) == 1 + 1 + RETURNING_LIMIT + RETURNING_LIMIT + 1 + 200


def test_duplicate_subjects_are_recorded_once_and_no_subjects_record_nothing(app, db):
    runtime = app.extensions["openregie"]
    runtime.record_audit("read", "core.person.read", "person", ["a", "b", "a"])
    runtime.record_audit("read", "core.person.read", "person", [])
    runtime.close_cli_session()
    assert [r.data_subject_id for r in _records(app)] == ["a", "b"]


# -- atomicity: records commit and roll back with the data ------------------------------------


def test_records_of_a_change_are_written_in_the_transaction_that_commits_it(
    app, client, login_as, reader
):
    login_as("professional")
    statements = Statements(app.extensions["openregie"].engine)
    try:
        response = client.get(f"/{reader}/organisations/new?name=Buurtzorg")
    finally:
        statements.stop()
    assert response.status_code == 200
    seen = [s for s, _ in statements.seen]
    data = next(i for i, s in enumerate(seen) if s.startswith("INSERT INTO core_organisation"))
    audit = next(i for i, s in enumerate(seen) if s.startswith("INSERT INTO core_audit_record"))
    commit = next(i for i, s in enumerate(seen) if s == "COMMIT" and i > data)
    assert data < audit < commit  # same transaction, before its commit
    assert "COMMIT" not in seen[commit + 1 :]  # nothing left to write at the end
    (written,) = _records(app)
    assert (written.action, written.status) == ("create", "ok")
    assert written.data_subject_id == response.get_json()["id"]


def test_a_request_that_fails_after_recording_leaves_an_error_record_and_no_change(
    app, client, login_as, reader
):
    login_as("professional")
    response = client.get(f"/{reader}/organisations/new?name=Spookorganisatie&fail=after-record")
    assert response.status_code == 500
    with app.extensions["openregie"].session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Organisation)) == 0
    (written,) = _records(app)
    assert (written.action, written.status) == ("create", "error")
    assert _verify(app).intact


def test_a_failure_after_the_commit_keeps_the_ok_record_of_the_committed_change(
    app, client, login_as, reader
):
    login_as("professional")
    response = client.get(f"/{reader}/organisations/new?name=Wijkteam&fail=after-commit")
    assert response.status_code == 500
    with app.extensions["openregie"].session_factory() as session:
        (organisation,) = session.scalars(select(Organisation))
    (written,) = _records(app)
    assert (written.data_subject_id, written.status) == (str(organisation.id), "ok")


def test_a_commit_that_fails_after_the_records_were_written_rolls_both_back(
    app, client, login_as, reader
):
    login_as("professional")
    factory = app.extensions["openregie"].session_factory

    def refuse(session) -> None:  # registered after core's listener, so it runs after it
        raise RuntimeError("de database weigert de commit")

    event.listen(factory, "before_commit", refuse)
    try:
        response = client.get(f"/{reader}/organisations/new?name=Halfweg")
    finally:
        event.remove(factory, "before_commit", refuse)
    assert response.status_code == 500
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Organisation)) == 0
        assert session.scalar(select(func.count()).select_from(AuditSecurity)) == 1
    (written,) = _records(app)
    assert written.status == "error"
    assert _verify(app).intact


def test_an_explicit_rollback_marks_the_records_of_the_abandoned_change_error(
    app, client, login_as, reader
):
    login_as("professional")
    assert client.get(f"/{reader}/organisations/abandon?name=Nooit").status_code == 200
    (written,) = _records(app)
    assert (written.data_subject_id, written.status) == ("verlaten", "error")


def test_two_commits_in_one_request_share_one_security_record(app, client, login_as, reader):
    login_as("professional")
    assert client.get(f"/{reader}/twice").status_code == 200
    written = _records(app)
    assert [r.status for r in written] == ["ok", "ok"]
    assert written[0].trace_id == written[1].trace_id
    with app.extensions["openregie"].session_factory() as session:
        assert session.scalar(select(func.count()).select_from(AuditSecurity)) == 1
    assert _verify(app).checked == 2


def test_a_command_records_as_the_system_and_a_failing_command_records_errors(app):
    runtime = app.extensions["openregie"]
    with app.app_context():
        runtime.record_audit("export", "core.person.read", "person", ["p1"])
        runtime.close_cli_session()

    def failing_command() -> None:
        with app.app_context():
            try:
                runtime.record_audit("update", "core.person.read", "person", ["p2"])
                raise RuntimeError("het commando faalt")
            finally:
                runtime.close_cli_session()  # as the CLI does, in `finally`

    with pytest.raises(RuntimeError):
        failing_command()
    first, second = _records(app)
    assert (first.data_subject_id, first.status) == ("p1", "ok")
    assert (second.data_subject_id, second.status) == ("p2", "error")
    with runtime.session_factory() as session:
        security = session.get(AuditSecurity, first.trace_id)
    assert (security.actor_kind, security.actor_name, security.origin) == (
        "system",
        "system",
        None,
    )


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        pytest.param(("read", "p.x", "person", ["a"], "maybe"), ValueError, id="status"),
        pytest.param(("r" * 41, "p.x", "person", ["a"]), ValueError, id="long-action"),
        pytest.param(("read", "", "person", ["a"]), ValueError, id="empty-activity"),
        pytest.param(("read", "p.x", "person", "abc"), TypeError, id="single-id"),
        pytest.param(("read", "p.x", "person", [None]), TypeError, id="none-id"),
        pytest.param(("read", "p.x", "person", ["x" * 65]), ValueError, id="long-id"),
        pytest.param(("read", "p.x", "person", ["a\x00b"]), ValueError, id="nul-in-id"),
    ],
)
def test_bad_input_is_refused_at_the_call_not_at_commit(app, db, arguments, error):
    with pytest.raises(error, match="audit record"):
        app.extensions["openregie"].record_audit(*arguments)


def test_a_module_id_that_is_not_loaded_is_refused(app, db):
    with pytest.raises(ValueError, match="is not loaded"):
        sdk_audit.record("read", "x.y", "person", ["a"], module="bestaatniet")


# -- denied attempts ---------------------------------------------------------------------------


def test_a_refused_authenticated_request_is_recorded_as_denied(app, client, login_as):
    user = login_as("professional")
    assert client.get("/admin/audit").status_code == 403
    (written,) = _records(app)
    assert (written.action, written.status, written.module) == ("access", "denied", "core")
    assert written.processing_activity == "core.audit.read"
    assert (written.data_subject_type, written.data_subject_id) == ("route", "/admin/audit")
    with app.extensions["openregie"].session_factory() as session:
        assert session.get(AuditSecurity, written.trace_id).actor_id == user.id


def test_a_refusal_on_a_module_route_names_the_module(app, client, login_as, reader):
    login_as("policy_officer")
    assert client.get(f"/{reader}/people?n=3").status_code == 403
    (written,) = _records(app)
    assert (written.status, written.module) == ("denied", reader)
    assert written.data_subject_id == f"/{reader}/people"


def test_anonymous_visitors_are_sent_to_log_in_without_a_record(app, client):
    assert client.get("/admin/audit").status_code == 302
    assert _records(app) == []


# -- who accessed my data ----------------------------------------------------------------------


def test_accessed_by_tells_when_which_organisation_and_role_and_what(app, client, db, reader):
    organisation = Organisation(name="Stichting Welzijn Zutphen")
    team = Team(name="Wijkteam Noord", kind="integral")
    db.add_all([organisation, team])
    db.commit()
    user = log_in(app, client, "professional", roles=[])
    db.add(
        Membership(
            user_id=user.id,
            team_id=team.id,
            role="professional",
            home_organisation_id=organisation.id,
            start_on=dt.date(2025, 1, 1),
        )
    )
    db.commit()
    before = dt.datetime.now(dt.UTC)
    client.get(f"/{reader}/people?n=2")
    client.get(f"/{reader}/people?n=1&action=export")
    client.get("/admin/audit")  # denied: not an access to the person

    entries = sdk_audit.accessed_by(uuid.UUID(int=1))
    assert [(e.action, e.processing_activity) for e in entries] == [
        ("export", f"{reader}.people.read"),
        ("read", f"{reader}.people.read"),
    ]
    for entry in entries:
        assert entry.organisation_name == "Stichting Welzijn Zutphen"
        assert entry.organisation_id == organisation.id
        assert entry.role == "professional"
        assert entry.actor_kind == "user"
        assert entry.module == reader
        assert before <= entry.at <= dt.datetime.now(dt.UTC)
    assert len(accessed_by(db, uuid.UUID(int=2))) == 1
    assert accessed_by(db, uuid.UUID(int=3)) == []


# -- the chain and tampering -------------------------------------------------------------------


@pytest.fixture
def chain(app, client, login_as, reader) -> list[int]:
    """Nine records in three traces; returns their ids."""
    login_as("professional")
    for _ in range(3):
        client.get(f"/{reader}/people?n=3")
    ids = [r.id for r in _records(app)]
    assert len(ids) == 9 and _verify(app).intact
    return ids


def test_the_hash_covers_every_column_but_id_and_hash():
    assert set(RECORD_FIELDS) == {c.name for c in records.columns} - {"id", "hash"}
    assert set(SECURITY_FIELDS) == {c.name for c in securities.columns}


def test_an_empty_log_verifies(app):
    assert (_verify(app).checked, _verify(app).broken) == (0, None)


def test_the_chain_starts_at_genesis_and_links_every_record(app, chain):
    written = _records(app)
    assert written[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(written))
    with app.extensions["openregie"].session_factory() as session:
        assert session.execute(select(head.c.last_record_id, head.c.last_hash)).one() == (
            written[-1].id,
            written[-1].hash,
        )


def _forge(app, like_id: int, new_id: int | None, prev_hash: str, subject: str) -> None:
    """Insert a record with a valid hash, as a forger who knows the algorithm would; without
    `new_id` the database numbers it."""
    with app.extensions["openregie"].session_factory() as session:
        original = session.get(AuditRecord, like_id)
        security = session.get(AuditSecurity, original.trace_id)
        fields = {name: getattr(original, name) for name in RECORD_FIELDS}
        fields.update(prev_hash=prev_hash, data_subject_id=subject)
        security_fields = {name: getattr(security, name) for name in SECURITY_FIELDS}
    forged = {**fields, "hash": record_hash(fields, security_fields)}
    if new_id is not None:
        forged["id"] = new_id
    _execute(app, insert(records).values(**forged))


def _make_room_at(app, record_id: int) -> None:
    """Renumber the records from `record_id` on one up (in two steps: ids are unique)."""
    _execute(
        app,
        update(records).where(records.c.id >= record_id).values(id=records.c.id + 1000),
        update(records).where(records.c.id >= record_id + 1000).values(id=records.c.id - 999),
    )


def _tamper_changed(app, ids):
    _execute(app, update(records).where(records.c.id == ids[4]).values(data_subject_id="ander"))
    return f"record {ids[4]} was changed: its hash does not match its contents"


def _tamper_security(app, ids):
    trace = next(r.trace_id for r in _records(app) if r.id == ids[3])
    _execute(
        app,
        update(securities).where(securities.c.trace_id == trace).values(actor_name="Iemand anders"),
    )
    return f"record {ids[3]} was changed"


def _tamper_removed(app, ids):
    _execute(app, delete(records).where(records.c.id.in_([ids[4], ids[5]])))
    return f"record(s) removed between ids {ids[3]} and {ids[6]}"


def _tamper_removed_first(app, ids):
    _execute(app, delete(records).where(records.c.id == ids[0]))
    return f"record(s) removed before id {ids[1]}"


def _tamper_removed_last(app, ids):
    _execute(app, delete(records).where(records.c.id == ids[8]))
    return f"record(s) removed after id {ids[7]}: the chain head names record {ids[8]}"


def _tamper_inserted_linked(app, ids):
    _make_room_at(app, ids[4])
    prev_hash = next(r.hash for r in _records(app) if r.id == ids[3])
    _forge(app, ids[3], ids[4], prev_hash, "vervalst")
    return f"record {ids[4]} was inserted: it is not part of the chain"


def _tamper_inserted_copy(app, ids):
    _make_room_at(app, ids[4])
    original = next(r for r in _records(app) if r.id == ids[2])
    _forge(app, ids[2], ids[4], original.prev_hash, "kopie")
    return f"record {ids[4]} was inserted: it is not part of the chain"


def _tamper_inserted_after_end(app, ids):
    last = _records(app)[-1]
    _forge(app, last.id, None, last.hash, "achteraan")
    return f"record {last.id + 1} was inserted after the end of the chain"


def _tamper_head(app, ids):
    _execute(app, update(head).values(last_hash="f" * 64))
    return f"head mismatch: the chain head names record {ids[8]}"


TAMPERING = [
    pytest.param(_tamper_changed, "changed", id="changed-field"),
    pytest.param(_tamper_security, "changed", id="changed-security-record"),
    pytest.param(_tamper_removed, "removed", id="removed"),
    pytest.param(_tamper_removed_first, "removed", id="removed-first"),
    pytest.param(_tamper_removed_last, "removed", id="removed-last"),
    pytest.param(_tamper_inserted_linked, "inserted", id="inserted-with-valid-link"),
    pytest.param(_tamper_inserted_copy, "inserted", id="inserted-copy"),
    pytest.param(_tamper_inserted_after_end, "inserted", id="inserted-after-end"),
    pytest.param(_tamper_head, "head", id="head"),
]


def test_cli_reports_an_intact_chain(cli, chain):
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "audit chain intact: 9 records"


@pytest.mark.parametrize(("tamper", "problem"), TAMPERING)
def test_tampering_is_named_by_verify_and_by_the_cli(app, chain, cli, tamper, problem):
    expected = tamper(app, chain)

    report = _verify(app)
    assert not report.intact
    assert report.broken.problem == problem
    assert report.broken.message.startswith(expected), report.broken.message
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert f"audit chain broken: {expected}" in result.output


def test_appends_after_a_forged_record_leave_it_detected(app, client, chain, reader):
    _tamper_inserted_after_end(app, chain)
    client.get(f"/{reader}/people?n=2")  # the chain goes on from the head, not the forgery
    report = _verify(app)
    assert report.broken.message.startswith(f"record {chain[8] + 1} was inserted")


def test_concurrent_requests_extend_one_unbroken_chain(app, reader):
    clients = []
    for _ in range(4):
        client = app.test_client()
        log_in(app, client, "professional")
        clients.append(client)
    failures: list[BaseException] = []

    def work(client) -> None:
        try:
            for _ in range(5):
                assert client.get(f"/{reader}/people?n=3").status_code == 200
        except BaseException as exc:  # reported below, not lost in the thread
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    report = _verify(app)
    assert (report.checked, report.broken) == (60, None)


def test_the_head_is_seeded_lazily_with_the_genesis_hash(app, db):
    _execute(app, text("DELETE FROM core_audit_chain_head"))
    app.extensions["openregie"].record_audit("read", "core.person.read", "person", ["a"])
    app.extensions["openregie"].close_cli_session()
    (written,) = _records(app)
    assert written.prev_hash == GENESIS_HASH
    assert _verify(app).intact


@pytest.mark.parametrize(
    "subject",
    ["8f1d2c3a-0000-4000-8000-000000000001", 'quote " and \\ backslash', "tab\tnewline\n", "é中"],
)
def test_a_template_hashes_exactly_as_record_hash(subject):
    from openregie_core.audit.chain import SHARED_FIELDS, Template, security_json

    now = dt.datetime.now(dt.UTC)
    security = {
        "trace_id": uuid.uuid4(),
        "actor_kind": "user",
        "actor_id": uuid.uuid4(),
        "actor_name": 'Zoë "de" Vries \\ \x01',
        "actor_organisation_id": None,
        "actor_role": "professional",
        "on_behalf_of": None,
        "origin": "127.0.0.1",
        "created_at": now,
    }
    shared = {
        "trace_id": security["trace_id"],
        "span_id": "0123456789abcdef",
        "start_time": now,
        "end_time": now + dt.timedelta(seconds=1),
        "action": "create",
        "processing_activity": "core.registry.import",
        "data_subject_type": "person",
        "status": "ok",
        "module": "core",
    }
    assert set(shared) == set(SHARED_FIELDS)
    template = Template(shared, security_json(security))
    for prev_hash in (GENESIS_HASH, "a" * 64, 'forged "prev"'):
        record = {**shared, "data_subject_id": subject, "prev_hash": prev_hash}
        assert template.hash(subject, prev_hash) == record_hash(record, security)


def test_a_field_holding_a_placeholder_falls_back_to_record_hash():
    from openregie_core.audit.chain import Template, hasher_for, security_json

    now = dt.datetime.now(dt.UTC)
    security = dict.fromkeys(SECURITY_FIELDS) | {
        "trace_id": uuid.uuid4(),
        "actor_kind": "user",
        "actor_name": "\x00openregie-audit-subject\x00",
        "created_at": now,
    }
    shared = {
        "trace_id": security["trace_id"],
        "span_id": "0123456789abcdef",
        "start_time": now,
        "end_time": now,
        "action": "read",
        "processing_activity": "test",
        "data_subject_type": "person",
        "status": "ok",
        "module": "core",
    }
    with pytest.raises(ValueError, match="placeholder"):
        Template(shared, security_json(security))
    hasher = hasher_for(shared, security, security_json(security))
    record = {**shared, "data_subject_id": "x", "prev_hash": GENESIS_HASH}
    assert hasher("x", GENESIS_HASH) == record_hash(record, security)


def test_a_chain_writer_appends_batches_that_link_on_in_one_transaction(app):
    """How an import's writer thread appends (PostgreSQL): batch after batch on the raw
    connection, the security record first and once, the head moved at the end; a normal
    append later in the same transaction links on, and the whole chain verifies."""
    from openregie_core.audit.chain import ChainWriter, Group, append
    from openregie_core.audit.recorder import security_of
    from openregie_sdk.actors import SYSTEM

    engine = app.extensions["openregie"].engine
    if engine.dialect.name != "postgresql":
        pytest.skip("the chain writer is PostgreSQL's (COPY)")
    security = security_of(SYSTEM, None)
    now = dt.datetime.now(dt.UTC)
    shared = {
        "trace_id": security["trace_id"],
        "span_id": "0123456789abcdef",
        "start_time": now,
        "end_time": now,
        "action": "create",
        "processing_activity": "core.registry.import",
        "data_subject_type": "person",
        "status": "ok",
        "module": "core",
    }
    with engine.begin() as connection:
        raw = connection.connection.driver_connection
        writer = ChainWriter(raw, security, store_security=True)
        writer.append([Group(shared, [])])  # nothing: no lock, no security record
        assert (writer.written, writer.security_written) == (0, False)
        writer.append([Group(shared, ["a", "b"]), Group({**shared, "action": "update"}, ["c"])])
        writer.append([Group({**shared, "end_time": now + dt.timedelta(seconds=1)}, ["d"])])
        writer.finish()
        assert (writer.written, writer.security_written) == (4, True)
        append(connection, security, [Group(shared, ["e"])], store_security=False)
    written = _records(app)
    assert [(r.action, r.data_subject_id) for r in written] == [
        ("create", "a"), ("create", "b"), ("update", "c"), ("create", "d"), ("create", "e")
    ]  # fmt: skip
    assert written[0].prev_hash == GENESIS_HASH
    assert all(r.prev_hash == before.hash for before, r in itertools.pairwise(written))
    report = _verify(app)
    assert (report.checked, report.broken) == (5, None)


def test_records_prepared_ahead_are_appended_only_when_they_link_on(app):
    """`chain.prepare` hashes and encodes a batch without touching the connection; the
    chain writer appends it only when it links on from the last record written."""
    from openregie_core.audit.chain import ChainWriter, Group, prepare, security_json
    from openregie_core.audit.recorder import security_of
    from openregie_sdk.actors import SYSTEM

    engine = app.extensions["openregie"].engine
    if engine.dialect.name != "postgresql":
        pytest.skip("the chain writer is PostgreSQL's (COPY)")
    security = security_of(SYSTEM, None)
    now = dt.datetime.now(dt.UTC)
    shared = {
        "trace_id": security["trace_id"],
        "span_id": "0123456789abcdef",
        "start_time": now,
        "end_time": now,
        "action": "create",
        "processing_activity": "core.registry.import",
        "data_subject_type": "person",
        "status": "ok",
        "module": "core",
    }
    text = security_json(security)
    with engine.begin() as connection:
        raw = connection.connection.driver_connection
        writer = ChainWriter(raw, security, store_security=True)
        start = writer.lock()
        cursor = raw.cursor()
        stale = prepare(cursor, security, text, [Group(shared, ["x"])], GENESIS_HASH + "0")
        assert writer.append_prepared(stale) is False and writer.written == 0
        first = prepare(cursor, security, text, [Group(shared, ["a", "b"])], start)
        second = prepare(cursor, security, text, [Group(shared, ["c"])], first.end_hash)
        assert writer.append_prepared(first) and writer.append_prepared(second)
        assert writer.append_prepared(first) is False  # no longer links on
        writer.finish()
        assert (writer.written, writer.security_written) == (3, True)
    written = _records(app)
    assert [r.data_subject_id for r in written] == ["a", "b", "c"]
    report = _verify(app)
    assert (report.checked, report.broken) == (3, None)
