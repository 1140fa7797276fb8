"""Core's JSON API under `/api/v1/core` (flask-openapi3): pydantic request and response
models (`inputs`, `schemas`), the routes (`routes` gathers them on core's `APIBlueprint`)
and the application with its one OpenAPI 3.1 document for core and every loaded module
(`document`)."""
