"""The waiting-times page: guarded by `wachttijden.view` (professionals, team leads and
policy officers by default), in the menu, the latest measurement per provider and category
with stale ones marked, a category filter that refuses an unknown category with 400."""

from __future__ import annotations

import datetime as dt

import pytest
from openregie_sdk.testing.routes import undeclared_routes, unknown_permissions

PAGE = "/wachttijden/"


def _days_ago(days: int) -> str:
    return (dt.date.today() - dt.timedelta(days=days)).isoformat()


@pytest.fixture
def imported(run_cli, feed):
    path = feed(
        f"Zorg Oost BV;12345678;begeleiding;9;{_days_ago(60)}",
        f"Zorg Oost BV;12345678;begeleiding;6;{_days_ago(10)}",
        f"Jeugdhulp Noord;87654321;jeugd_ggz;14;{_days_ago(200)}",
        f"Vervoer & Zo;11223344;vervoer;1;{_days_ago(2)}",
    )
    result = run_cli("import", path)
    assert result.exit_code == 0, result.output


def test_every_route_declares_a_permission_that_is_declared(app):
    assert undeclared_routes(app) == []
    assert unknown_permissions(app) == []


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_a_functional_admin_without_the_permission_is_refused(client, login_as):
    login_as("functional_admin")
    assert client.get(PAGE).status_code == 403


@pytest.mark.parametrize("kind", ["professional", "team_lead", "policy_officer"])
def test_the_default_roles_see_the_page_and_its_menu_item(client, login_as, kind):
    login_as(kind)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<h1 class="utrecht-heading-1">Wachttijden</h1>' in html
    assert f'href="{PAGE}"' in html
    assert "Er zijn geen wachttijden bekend." in html


def test_the_page_lists_the_latest_measurement_per_provider_and_category(
    client, login_as, imported
):
    login_as("professional")
    html = client.get(PAGE).get_data(as_text=True)
    assert "Begeleiding" in html
    assert "Zorg Oost BV<br>AGB 12345678" in html
    assert "6 weken" in html
    assert "9 weken" not in html  # an older measurement is not current
    assert "Vervoer &amp; Zo" in html
    assert "1 week" in html
    assert html.count("(verouderd)") == 1  # the Jeugd-ggz measurement of 200 days ago
    assert html.index("Begeleiding") < html.index("Jeugd-ggz") < html.index("Vervoer")


def test_the_category_filter_narrows_the_list_and_an_unknown_one_is_refused(
    client, login_as, imported
):
    login_as("team_lead")
    html = client.get(PAGE, query_string={"categorie": "vervoer"}).get_data(as_text=True)
    assert "Vervoer &amp; Zo" in html
    assert "Zorg Oost BV" not in html
    refused = client.get(PAGE, query_string={"categorie": "ruimtevaart"})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Kies een productcategorie uit de lijst." in text
    assert 'aria-invalid="true"' in text


def test_the_stale_setting_decides_what_is_marked(make_app, feed):
    from click.testing import CliRunner
    from openregie_sdk.testing.plugin import log_in

    from wachttijden_openregie.cli import group

    app = make_app(["wachttijden"], module_config={"wachttijden": {"stale_after_days": 5}})
    with app.app_context():
        path = feed(
            f"Zorg BV;12345678;vervoer;1;{_days_ago(6)}",
            f"Ander BV;22345678;vervoer;2;{_days_ago(4)}",
        )
        assert CliRunner().invoke(group, ["import", str(path)]).exit_code == 0
    client = app.test_client()
    log_in(app, client, "professional")
    html = client.get(PAGE).get_data(as_text=True)
    assert html.count("(verouderd)") == 1
    assert "meer dan 5 dagen oud" in html


def test_the_page_speaks_english_to_an_english_reader(client, login_as, imported):
    login_as("professional")
    html = client.get(PAGE, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<h1 class="utrecht-heading-1">Waiting times</h1>' in html
    assert "6 weeks" in html
    assert "(out of date)" in html
