"""The printed table of the report benchmark (`bench/report.py`)."""

from __future__ import annotations

from typing import Any


def _ms(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds * 1000:7.0f} ms"


def print_table(results: dict[str, Any]) -> None:
    target = results["target_seconds"]
    print()
    print(f"quarterly report {results['period']} on {results['database']} "
          f"({results['rows']['core_person']:,} persons, "
          f"{results['rows']['casemanagement_case']:,} cases), "
          f"median of {results['runs']} warm runs; "
          f"load {results['machine']['load_before'][0]:.2f} before, "
          f"{results['machine']['load_after'][0]:.2f} after")  # fmt: skip
    header = (
        f"{'scope':<8} {'measurement':<36} {'cold':>10} {'warm':>10} {'best':>10} "
        f"{'CPU':>10} {'raw/eng':>8}"
    )
    print(header)
    print("-" * len(header))

    def line(scope: str, label: str, figures: dict[str, Any], ratio: str = "") -> None:
        print(f"{scope:<8} {label:<36} {_ms(figures.get('cold')):>10} "
              f"{_ms(figures.get('median')):>10} {_ms(figures.get('min')):>10} "
              f"{_ms(figures.get('cpu')):>10} {ratio:>8}")  # fmt: skip

    for scope, figures in results["scopes"].items():
        engine, raw = figures["engine"], figures["baseline"]
        build = engine["build_report"]
        same = engine["build_report_baseline_metrics"]
        line(scope, "build_report, all metrics", build)
        line("", "build_report, metrics of the raw SQL", same,
             f"{raw['median'] / same['median']:.2f}")  # fmt: skip
        line("", "raw SQL (psycopg), same figures", raw)
        line("", "XLSX export (render)", engine["xlsx"])
        line("", "CSV export (render)", engine["csv"])
        total = build["median"] + engine["xlsx"]["median"]
        best = build["min"] + engine["xlsx"]["min"]
        cpu = build["cpu"] + engine["xlsx"]["cpu"]
        line("", "report + XLSX", {"median": total, "min": best, "cpu": cpu})
        verdict = (
            "within"
            if total <= target
            else ("within (best, CPU)" if max(best, cpu) <= target else "OVER")
        )
        print(f"{'':<8} target {target:g} s for report + XLSX: {verdict}")
        page = engine["page"]
        for name in ("page", "xlsx_download"):
            if page.get("available") and "median" in page.get(name, {}):
                label = "page /rapportage/ (full render)" if name == "page" else "download.xlsx"
                line("", label, page[name])
        check = engine["check"]
        print(f"{'':<8} statements per report: {engine['statements_per_report']}; "
              f"raw SQL gives the same numbers: {check['same_numbers']}")  # fmt: skip
        if engine["not_in_baseline"]:
            print(f"{'':<8} metrics without raw SQL: {', '.join(engine['not_in_baseline'])}")
        for mismatch in check["mismatches"]:
            print(f"{'':<10}! {mismatch}")
        slowest = list(engine["metrics"].items())[:4]
        print(
            f"{'':<8} slowest metrics: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in slowest)
        )
