"""Where the npm packages that `make install` fetched live (tools/npm/node_modules), for every package."""

from __future__ import annotations

import os
from pathlib import Path

NPM_DIR_ENV = "SCM_LMS_NPM_DIR"


def npm_dir(environ: dict[str, str] | None = None) -> Path:
    """`$SCM_LMS_NPM_DIR`, else `<repo>/tools/npm/node_modules` (`make install`, so `make run` too)."""
    env = os.environ if environ is None else environ
    configured = env.get(NPM_DIR_ENV, "").strip()
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[1] / "tools" / "npm" / "node_modules"
