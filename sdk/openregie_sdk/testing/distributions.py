"""Real, tiny module distributions for tests: a package and a `.dist-info` with an
`openregie.modules` entry point, written to a folder that is put on `sys.path`.

Core discovers them through importlib-metadata exactly as it discovers an installed
vendor module — nothing in the loader is mocked.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
import uuid
from pathlib import Path


class ModuleDistributions:
    """Writes distributions under `root`; `cleanup()` removes them from sys.path/sys.modules."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.packages: list[str] = []
        root.mkdir(parents=True, exist_ok=True)
        sys.path.insert(0, str(root))

    def add(
        self,
        module_id: str,
        manifest: str,
        files: dict[str, str] | None = None,
        *,
        distribution: str | None = None,
        version: str = "0.1.0",
    ) -> str:
        """Write a distribution whose entry point `module_id` points at `MANIFEST` in
        `<package>/module.py`. In `manifest` and `files`, `{pkg}` stands for the generated,
        unique package name (returned), so import strings can name it."""
        package = f"ortest_{module_id}_{uuid.uuid4().hex[:8]}"
        self.packages.append(package)
        distribution = distribution or f"ortest-{module_id}-{package[-8:]}"
        pkg_dir = self.root / package
        pkg_dir.mkdir()
        (pkg_dir / "__init__.py").write_text("")
        (pkg_dir / "module.py").write_text(textwrap.dedent(manifest).replace("{pkg}", package))
        for name, source in (files or {}).items():
            path = pkg_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(source).replace("{pkg}", package))
        normalised = distribution.replace("-", "_")
        info = self.root / f"{normalised}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n"
        )
        (info / "entry_points.txt").write_text(
            f"[openregie.modules]\n{module_id} = {package}.module:MANIFEST\n"
        )
        (info / "top_level.txt").write_text(package + "\n")
        importlib.invalidate_caches()
        return package

    def cleanup(self) -> None:
        if str(self.root) in sys.path:
            sys.path.remove(str(self.root))
        for name in list(sys.modules):
            if name.split(".", 1)[0] in self.packages:
                del sys.modules[name]
        importlib.invalidate_caches()
