"""`openregie modules new`: generate a working module package for a vendor to start from.

`plan(...)` checks the name and renders every file in memory; `write(...)` puts them on
disk in one step. The file templates live in `files/` (package data, rendered with Jinja2
using `[[ ]]` and `[% %]` delimiters, so the generated Jinja templates pass through as they
are); see docs/first-module.md for what each generated file is.
"""

from openregie_core.scaffold.generator import ScaffoldError, ScaffoldPlan, plan, write

__all__ = ["ScaffoldError", "ScaffoldPlan", "plan", "write"]
