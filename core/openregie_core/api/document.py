"""The application object and its one OpenAPI 3.1 document (flask-openapi3).

The document is served at `/api/v1/openapi.json`, the interactive docs page (Swagger UI,
its assets bundled by flask-openapi3-swagger, no CDN) at `/api/v1/swagger`, an index
linking both at `/api/v1/`. Every
`APIBlueprint` registered with `register_api` — core's and the modules' — adds its
operations to the same document. Both are public: they describe the API, they hold no data.

Invalid input (path, query or body) is answered with **400** and a JSON error naming each
field (`ValidationErrorOut`), like every other refusal of bad input in OpenRegie.
"""

from __future__ import annotations

import functools
from typing import Any

from flask import Flask, Response, jsonify
from flask_openapi3 import Info, OpenAPI
from pydantic import ValidationError

from openregie_core.api.schemas import ValidationErrorOut
from openregie_core.registry.errors import problems_of
from openregie_core.routing import Rule
from openregie_sdk.version import SDK_VERSION
from openregie_sdk.web import PUBLIC

API_PREFIX = "/api/v1"
DOCUMENT_PATH = f"{API_PREFIX}/openapi.json"
DOCS_PAGE = f"{API_PREFIX}/swagger"
VALIDATION_STATUS = 400
BEARER = "bearer"
SECURITY = [{BEARER: []}]
# The bundled Swagger UI sets style attributes and <style> elements at run time; scripts
# stay limited to our own origin (the page's start-up script is a static file).
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# The Swagger UI page without inline script or external URLs; `docs_start.js` starts it
# with the document URL from the data attribute (and no call to the online validator).
SWAGGER_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>OpenRegie API</title>
<link rel="icon" href="swagger/images/swagger.svg">
<link rel="stylesheet" href="swagger/css/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-document="{{ doc_url }}"></div>
<script src="swagger/js/swagger-ui-bundle.js"></script>
<script src="swagger/js/swagger-ui-standalone-preset.js"></script>
<script src="{{ url_for('static', filename='api_docs.js') }}"></script>
</body>
</html>
"""
# `/api/v1/`: the library's page links to its website; ours to the docs and the document.
INDEX_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="UTF-8"><title>OpenRegie API</title></head>
<body>
<h1>OpenRegie API</h1>
<ul>
<li><a href="swagger">Interactive documentation (Swagger UI)</a></li>
<li><a href="openapi.json">OpenAPI document (JSON)</a></li>
</ul>
</body>
</html>
"""
DOC_BLUEPRINTS = ("openapi", "swagger")


class OpenRegieAPI(OpenAPI):
    """flask-openapi3's application; its validation-error responses in the document use
    our error shape (an object), not the library's default (a list). Its URL rules
    compile their URL builders on first use (`openregie_core.routing`)."""

    url_rule_class = Rule

    def generate_spec_json(self) -> None:
        super().generate_spec_json()
        reference = {"$ref": f"#/components/schemas/{ValidationErrorOut.__name__}"}
        for path_item in self.spec_json["paths"].values():
            for operation in path_item.values():
                # flask-openapi3 joins docstring lines with <br/>, starting with the blank one
                if operation.get("description", "").startswith("<br/>"):
                    operation["description"] = operation["description"][5:]
                answer = operation.get("responses", {}).get(str(VALIDATION_STATUS))
                content = (answer or {}).get("content", {}).get("application/json", {})
                if content.get("schema", {}).get("type") == "array":
                    answer["description"] = "Invalid input; every problem names its field"
                    content["schema"] = reference


def validation_error(error: ValidationError) -> Response:
    """flask-openapi3's validation error callback: 400 with each field and its problem."""
    fields = [{"field": field, "message": message} for field, message in problems_of(error)]
    body = ValidationErrorOut.model_validate(
        {
            "error": {
                "status": VALIDATION_STATUS,
                "title": "Ongeldige invoer",
                "detail": "; ".join(f"{f['field']}: {f['message']}" for f in fields),
                "fields": fields,
            }
        }
    )
    response = jsonify(body.model_dump(mode="json"))
    response.status_code = VALIDATION_STATUS
    return response


def new_application(**flask_options: Any) -> Flask:
    """The Flask application (an `OpenAPI` app) with the document and the docs page."""
    app = OpenRegieAPI(
        "openregie_core",
        info=Info(
            title="OpenRegie API",
            version=SDK_VERSION,
            description="The JSON API of OpenRegie: core's registry and the loaded modules. "
            "Authenticate with an API client's token: `Authorization: Bearer <token>`. "
            f"Invalid input is answered with {VALIDATION_STATUS}, naming each field.",
        ),
        security_schemes={BEARER: {"type": "http", "scheme": "bearer"}},
        doc_prefix=API_PREFIX,
        doc_url="/openapi.json",
        validation_error_status=VALIDATION_STATUS,
        validation_error_model=ValidationErrorOut,
        validation_error_callback=validation_error,
        **flask_options,
    )
    app.config["SWAGGER_HTML_STRING"] = SWAGGER_PAGE
    app.config["OPENAPI_HTML_STRING"] = INDEX_PAGE
    _declare_docs_public(app)
    return app


def _declare_docs_public(app: Flask) -> None:
    """The document, the docs pages and their assets need no login (see the route check)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in DOC_BLUEPRINTS:
            app.view_functions[rule.endpoint] = public_view(app.view_functions[rule.endpoint])


def public_view(view: Any) -> Any:
    # Static-file views are bound methods, which take no attributes: wrap them.
    @functools.wraps(view)
    def public_view(*args: Any, **kwargs: Any) -> Any:
        return view(*args, **kwargs)

    public_view.openregie_permission = PUBLIC  # type: ignore[attr-defined]
    return public_view
