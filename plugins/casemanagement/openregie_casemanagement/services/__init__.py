"""The services of case management: all reads and writes go through here (web pages, the
API and the capability provider alike). They take the acting `Actor`, check access with
`access.py`, record the audit log per data subject, flush (never commit) and raise the
capability's errors (`NotFound`, `Refused` naming the field, `Stale`).

Files: `cases.py` (cases, workflow, involved parties, worklists), `plan.py` (plan versions,
goals, actions, proposals, ZRM), `records.py` (contact moments, notes, documents,
appointment requests), `allocations.py`, `common.py` (shared helpers)."""
