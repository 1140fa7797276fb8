"""Benchmark: one hook dispatch through core's facade with 20 modules loaded, against a
raw baseline (a plain loop calling the same 20 functions with the same arguments).

Twenty plugins each implement a decision hook (`openregie_authorize`, answering None as
most modules do for permissions not theirs) and a contribution hook
(`openregie_nav_items`, one item each). The facade adds what the raw loop lacks: the
policy (fail closed, drop what raises, type checks) and argument selection per
implementation. Target (issue 9): at most 25 µs per dispatch.

    .venv/bin/python bench/hooks.py [--modules 20] [--calls 20000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import types
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openregie_core.hooks.facade import Hooks, new_plugin_manager
from openregie_sdk import Actor, ActorKind, NavItem, hookimpl

TARGET_US = 25.0


def plugin(index: int) -> types.SimpleNamespace:
    """A module's hook implementations, as a vendor would write them."""
    item = NavItem(label=f"Module {index}", endpoint=f"m{index}.index", permission=f"m{index}.v")
    prefix = f"m{index}."

    @hookimpl
    def openregie_authorize(actor: Actor, permission: str, resource: object | None) -> Any:
        return True if permission.startswith(prefix) else None

    @hookimpl
    def openregie_nav_items(actor: Actor) -> list[NavItem]:
        return [item] if actor.kind is ActorKind.USER else []

    return types.SimpleNamespace(
        openregie_authorize=openregie_authorize, openregie_nav_items=openregie_nav_items
    )


def per_call_us(function: Callable[[], Any], calls: int, repeats: int = 7) -> float:
    """Median over `repeats` runs of the time per call, in microseconds."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(calls):
            function()
        samples.append((time.perf_counter() - started) / calls * 1e6)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", type=int, default=20)
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    pm = new_plugin_manager()
    plugins = [plugin(i) for i in range(args.modules)]
    for i, module in enumerate(plugins):
        pm.register(module, name=f"m{i}")
    hooks = Hooks(pm, {f"m{i}": f"m{i}" for i in range(args.modules)})
    actor = Actor(kind=ActorKind.USER, id=uuid.uuid4(), display_name="Bench")

    def raw_authorize() -> bool:
        allowed = False
        for module in plugins:
            answer = module.openregie_authorize(actor, "m3.v", None)
            if answer is False:
                return False
            allowed = allowed or answer is True
        return allowed

    def raw_nav_items() -> list[NavItem]:
        items: list[NavItem] = []
        for module in plugins:
            items.extend(module.openregie_nav_items(actor))
        return items

    assert hooks.authorize(actor, "m3.v", None) is raw_authorize() is True
    assert hooks.nav_items(actor) == raw_nav_items()
    rows = []

    def authorize() -> bool:
        return hooks.authorize(actor, "m3.v", None)

    def nav_items() -> list[NavItem]:
        return hooks.nav_items(actor)

    cases = [
        ("decision (openregie_authorize)", authorize, raw_authorize),
        ("contribution (openregie_nav_items)", nav_items, raw_nav_items),
    ]
    for name, facade, raw in cases:
        ours, baseline = per_call_us(facade, args.calls), per_call_us(raw, args.calls)
        rows.append({"hook": name, "facade_us": ours, "raw_us": baseline, "ratio": ours / baseline})
    print(f"hook dispatch with {args.modules} modules loaded ({args.calls:,} calls, median of 7)")
    print(f"{'hook':<36} {'facade':>10} {'raw loop':>10} {'ratio':>7} {'target':>9}")
    for row in rows:
        verdict = "met" if row["facade_us"] <= TARGET_US else "MISSED"
        print(
            f"{row['hook']:<36} {row['facade_us']:>8.2f}µs {row['raw_us']:>8.2f}µs "
            f"{row['ratio']:>6.2f}x {verdict:>9}"
        )
    if args.json:
        args.json.write_text(json.dumps({"modules": args.modules, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
