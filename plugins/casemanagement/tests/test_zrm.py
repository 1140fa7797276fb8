"""The self-sufficiency matrix (ZRM): scores 1-5 per life domain at intake and at each
evaluation, shown per domain with the difference between intake and latest evaluation;
bad input is refused naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from openregie_casemanagement.services import plan as service
from openregie_sdk.capabilities.casemanagement import Refused
from openregie_sdk.testing.plugin import csrf_token_in

TODAY = dt.date.today()


def test_scores_are_shown_per_domain_with_intake_against_the_latest_evaluation(
    db, world, new_case, actor_of
):
    case = new_case(status="uitvoering")
    actor = actor_of(world.manager)
    service.record_zrm(
        case.id,
        actor,
        moment="intake",
        assessed_on=TODAY - dt.timedelta(days=200),
        scores={"finances": 1, "housing": 2},
    )
    service.record_zrm(
        case.id,
        actor,
        moment="evaluation",
        assessed_on=TODAY - dt.timedelta(days=100),
        scores={"finances": 2, "housing": 2},
    )
    service.record_zrm(
        case.id,
        actor,
        moment="evaluation",
        assessed_on=TODAY,
        scores={"finances": 4, "parenting": 3},
    )
    db.commit()

    overview = service.zrm_overview(case.id, actor)
    rows = {r.life_domain: r for r in overview.rows}
    assert [a.moment for a in overview.assessments] == ["intake", "evaluation", "evaluation"]
    assert rows["finances"].scores == [1, 2, 4]
    assert (rows["finances"].intake, rows["finances"].latest, rows["finances"].difference) == (
        1,
        4,
        3,
    )
    assert rows["housing"].latest is None and rows["housing"].difference is None
    assert rows["parenting"].intake is None
    assert "education" not in rows  # domains never scored are left out


def test_an_assessment_needs_a_valid_score_for_at_least_one_domain(db, world, new_case, actor_of):
    case = new_case(status="intake")
    actor = actor_of(world.manager)
    for scores, field in (
        ({"finances": 6}, "scores.finances"),
        ({"finances": 0}, "scores.finances"),
        ({"housing": "3"}, "scores.housing"),
        ({"unknown_domain": 3}, "scores.unknown_domain"),
        ({}, "scores"),
        ({"finances": None}, "scores"),
    ):
        with pytest.raises(Refused) as refused:
            service.record_zrm(case.id, actor, moment="intake", assessed_on=TODAY, scores=scores)
        assert refused.value.field == field, scores
    with pytest.raises(Refused) as future:
        service.record_zrm(
            case.id,
            actor,
            moment="intake",
            assessed_on=TODAY + dt.timedelta(days=1),
            scores={"finances": 3},
        )
    assert future.value.field == "assessed_on"


def test_a_case_has_one_intake_assessment(db, world, new_case, actor_of):
    case = new_case(status="intake")
    actor = actor_of(world.manager)
    service.record_zrm(case.id, actor, moment="intake", assessed_on=TODAY, scores={"housing": 3})
    db.commit()
    with pytest.raises(Refused) as refused:
        service.record_zrm(
            case.id, actor, moment="intake", assessed_on=TODAY, scores={"housing": 4}
        )
    assert refused.value.field == "moment"


def test_api_refuses_a_score_out_of_range_naming_the_field(app, db, world, new_case, bearer):
    case = new_case(status="intake")
    api = app.test_client()
    headers = bearer(world.manager)
    url = f"/api/v1/casemanagement/cases/{case.id}/zrm"
    bad = api.post(
        url,
        json={"moment": "intake", "assessed_on": TODAY.isoformat(), "scores": {"finances": 9}},
        headers=headers,
    )
    assert bad.status_code == 400
    assert [f["field"] for f in bad.get_json()["error"]["fields"]] == ["scores.finances"]

    good = api.post(
        url,
        json={
            "moment": "intake",
            "assessed_on": TODAY.isoformat(),
            "scores": {"finances": 2, "housing": 3},
        },
        headers=headers,
    )
    assert good.status_code == 201, good.get_json()
    body = api.get(url, headers=headers).get_json()
    assert body["assessments"][0]["scores"] == {"finances": 2, "housing": 3}
    assert {d["life_domain"]: d["intake"] for d in body["domains"]} == {
        "finances": 2,
        "housing": 3,
    }


def test_web_records_an_assessment_and_shows_the_table(client, act_as, db, world, new_case):
    case = new_case(status="intake")
    act_as(world.manager)
    url = f"/casussen/{case.id}/zrm"
    page = client.get(url)
    assert page.status_code == 200 and "nog geen ZRM-scores" in page.get_data(as_text=True)
    token = csrf_token_in(page.get_data(as_text=True))

    nothing = client.post(
        url, data={"csrf_token": token, "moment": "intake", "assessed_on": TODAY.isoformat()}
    )
    assert nothing.status_code == 400
    assert "Geef voor minstens één leefgebied een score." in nothing.get_data(as_text=True)

    out_of_range = client.post(
        url,
        data={
            "csrf_token": token,
            "moment": "intake",
            "assessed_on": TODAY.isoformat(),
            "score_finances": "8",
        },
    )
    html = out_of_range.get_data(as_text=True)
    assert out_of_range.status_code == 400
    assert 'id="score_finances-error"' in html  # the error is tied to the field

    saved = client.post(
        url,
        data={
            "csrf_token": token,
            "moment": "intake",
            "assessed_on": TODAY.isoformat(),
            "score_finances": "2",
            "score_housing": "4",
        },
    )
    assert saved.status_code == 303
    html = client.get(url).get_data(as_text=True)
    assert "Financiën" in html and "Huisvesting" in html
    audited = db.execute(
        text(
            "SELECT count(*) FROM core_audit_record WHERE processing_activity = "
            "'casemanagement.case.write' AND action = 'create' AND status = 'ok'"
        )
    ).scalar()
    assert audited >= 2  # Anna and Tim
