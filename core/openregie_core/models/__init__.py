"""Core's tables (all prefixed `core_`). Importing this package registers them, and the
registry tables the SDK declares, on the shared metadata."""

from openregie_core.models.api_clients import ApiClient
from openregie_core.models.audit import AuditChainHead, AuditRecord, AuditSecurity
from openregie_core.models.modules import ModuleEvent, ModuleSelection
from openregie_core.models.roles import PermissionSeen, Role, RoleAssignment, RolePermission
from openregie_core.models.users import User
from openregie_sdk import registry  # noqa: F401 - the registry tables are core's too

__all__ = [
    "ApiClient",
    "AuditChainHead",
    "AuditRecord",
    "AuditSecurity",
    "ModuleEvent",
    "ModuleSelection",
    "PermissionSeen",
    "Role",
    "RoleAssignment",
    "RolePermission",
    "User",
]
