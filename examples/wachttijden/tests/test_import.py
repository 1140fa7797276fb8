"""`openregie wachttijden import FEED.csv`: all or nothing, idempotent, problems with
their row numbers and a non-zero exit, the `feed_path` setting as default file."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from wachttijden_openregie.models import WaitingTime


def days_ago(days: int) -> str:
    return (dt.date.today() - dt.timedelta(days=days)).isoformat()


def _stored(db) -> list[tuple]:
    db.expire_all()
    return sorted(
        (w.agb_code, w.product_category, w.waiting_weeks, w.provider_name)
        for w in db.scalars(select(WaitingTime))
    )


def test_a_valid_feed_is_imported_and_summarised(run_cli, feed, db):
    path = feed(
        f"Zorg Oost BV;12345678;begeleiding;6;{days_ago(3)}",
        f"Zorg Oost BV;12345678;dagbesteding;2;{days_ago(3)}",
    )
    result = run_cli("import", path)
    assert result.exit_code == 0, result.output
    assert "wachttijden.csv: 2 created, 0 updated, 0 unchanged" in result.output
    assert _stored(db) == [
        ("12345678", "begeleiding", 6, "Zorg Oost BV"),
        ("12345678", "dagbesteding", 2, "Zorg Oost BV"),
    ]


def test_importing_the_same_feed_again_changes_nothing_and_a_changed_row_updates(run_cli, feed, db):
    rows = [
        f"Zorg Oost BV;12345678;begeleiding;6;{days_ago(3)}",
        f"Jeugdhulp Noord;87654321;jeugd_ggz;10;{days_ago(3)}",
    ]
    assert run_cli("import", feed(*rows)).exit_code == 0
    again = run_cli("import", feed(*rows))
    assert "0 created, 0 updated, 2 unchanged" in again.output
    rows[1] = f"Jeugdhulp Noord;87654321;jeugd_ggz;12;{days_ago(3)}"
    changed = run_cli("import", feed(*rows))
    assert "0 created, 1 updated, 1 unchanged" in changed.output
    assert ("87654321", "jeugd_ggz", 12, "Jeugdhulp Noord") in _stored(db)
    assert len(_stored(db)) == 2


def test_a_feed_with_one_bad_row_writes_nothing_and_names_each_problem(run_cli, feed, db):
    path = feed(
        f"Zorg Oost BV;12345678;begeleiding;6;{days_ago(3)}",
        f"Zorg West BV;1234;begeleiding;6;{days_ago(3)}",
        f"Zorg Zuid BV;23456789;begeleiding;veel;{days_ago(3)}",
    )
    result = run_cli("import", path)
    assert result.exit_code == 1
    assert "wachttijden.csv: row 3: agb_code: '1234' is not 8 digits" in result.output
    assert "wachttijden.csv: row 4: wachttijd_weken: 'veel' is not a whole number" in (
        result.output
    )
    assert "nothing was imported: 2 problem(s) in wachttijden.csv" in result.output
    assert db.scalar(select(func.count()).select_from(WaitingTime)) == 0


def test_a_dry_run_checks_and_writes_nothing(run_cli, feed, db):
    result = run_cli("import", "--dry-run", feed(f"Zorg BV;12345678;vervoer;1;{days_ago(1)}"))
    assert result.exit_code == 0
    assert "checked, nothing written (would be: 1 created, 0 updated, 0 unchanged)" in (
        result.output
    )
    assert db.scalar(select(func.count()).select_from(WaitingTime)) == 0


def test_a_missing_or_non_utf8_file_is_refused_with_a_message(run_cli, tmp_path):
    missing = run_cli("import", tmp_path / "nergens.csv")
    assert missing.exit_code == 1
    assert "nergens.csv: no such file" in missing.output
    latin = tmp_path / "latin.csv"
    latin.write_bytes("aanbieder;agb_code\nZorg é\n".encode("latin-1"))
    refused = run_cli("import", latin)
    assert refused.exit_code == 1
    assert "not UTF-8" in refused.output


def test_without_a_file_the_feed_path_setting_is_read(make_app, feed):
    from click.testing import CliRunner

    from wachttijden_openregie.cli import group

    path = feed(f"Zorg BV;12345678;vervoer;1;{days_ago(1)}", name="levering.csv")
    configured = make_app(["wachttijden"], module_config={"wachttijden": {"feed_path": path}})
    with configured.app_context():
        result = CliRunner().invoke(group, ["import"])
    assert result.exit_code == 0, result.output
    assert "levering.csv: 1 created" in result.output
    unconfigured = make_app(["wachttijden"])
    with unconfigured.app_context():
        result = CliRunner().invoke(group, ["import"])
    assert result.exit_code == 2
    assert "set feed_path in [modules.wachttijden]" in result.output
