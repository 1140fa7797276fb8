"""`GET /api/v1/core/me`: who the caller is, so an integration can check its token.

It needs no permission, only a valid token: declared `@public` at the permission layer, it
answers 401 itself to anonymous callers. It shows nothing but the caller's own name, kind
and scopes.
"""

from typing import Any

from openregie_core.api.blueprint import blueprint, refuse
from openregie_core.api.schemas import MeOut
from openregie_sdk import current_actor, public


@blueprint.get("/me", responses={200: MeOut})
@public
def me() -> Any:
    """Who am I

    The caller's kind, name, scopes and (for a client bound to one) municipality.
    """
    actor = current_actor()
    if not actor.is_authenticated:
        refuse(401, "Deze API vraagt een token: Authorization: Bearer <token>.")
    grant = actor.grants[0] if actor.grants else None
    out = MeOut(
        kind=actor.kind.value,
        name=actor.display_name,
        scopes=sorted(actor.permissions),
        municipality_id=grant.municipality_id if grant else None,
    )
    return out.model_dump(mode="json")
