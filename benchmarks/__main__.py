"""``python -m benchmarks [NAME] [OPTIONS]``: run one benchmark, or list them."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def available() -> dict[str, str]:
    """Benchmark modules of this package and the first line of their documentation."""
    out = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        if hasattr(module, "main"):
            out[info.name] = (module.__doc__ or "").strip().splitlines()[0]
    return out


def main(argv: list[str]) -> int:
    names = available()
    if not argv or argv[0] in ("-h", "--help", "--list"):
        print("usage: python -m benchmarks NAME [OPTIONS]   (NAME --help for its options)\n")
        print("benchmarks:")
        for name, doc in sorted(names.items()):
            print(f"  {name:<16} {doc}")
        return 0
    name, rest = argv[0], argv[1:]
    if name not in names:
        print(f"unknown benchmark {name!r}; choose one of: {', '.join(sorted(names))}",
              file=sys.stderr)
        return 2
    return int(importlib.import_module(f"benchmarks.{name}").main(rest) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
