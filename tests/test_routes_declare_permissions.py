"""Every route of every loaded module declares the permission it needs (ARCHITECTURE §5)."""

from __future__ import annotations

from openregie_sdk.testing.routes import undeclared_routes, unknown_permissions


def test_every_route_of_the_default_installation_declares_a_known_permission(make_app):
    app = make_app(None)
    assert len(list(app.url_map.iter_rules())) > 5
    assert undeclared_routes(app) == []
    assert unknown_permissions(app) == []


def test_the_check_catches_a_module_route_without_a_declaration(module_distributions, make_app):
    module_distributions.add(
        "leaky",
        """
        from openregie_sdk import BlueprintRef, ModuleManifest
        MANIFEST = ModuleManifest(
            id="leaky", title="Leaky", publisher="Tests", sdk=">=1.0,<2",
            blueprints=(BlueprintRef(target="{pkg}.views:bp", url_prefix="/leaky"),),
        )
        """,
        {
            "views.py": """
            from flask import Blueprint
            from openregie_sdk import requires
            bp = Blueprint("leaky", __name__)

            @bp.get("/open")
            def open_door():
                return "everyone"

            @bp.get("/guarded")
            @requires("leaky.secret.read")
            def guarded():
                return "nobody"
            """
        },
    )
    app = make_app(["leaky"])
    assert undeclared_routes(app) == ["/leaky/open (leaky.open_door)"]
    assert unknown_permissions(app) == ["/leaky/guarded needs leaky.secret.read"]
