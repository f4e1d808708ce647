"""Settings shared by every command and the web layer: one place, named, from the environment.

Each setting has an ``OPSI_KG_*`` environment variable; command-line options override it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .namespaces import DEFAULT_BASE
from .namespaces import Iris

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_STORE = "opsi-kg-store"


@dataclass(frozen=True)
class Settings:
    """Where the store is, which base IRI data are minted from, where the ontology lives."""

    store: str | None = DEFAULT_STORE
    base: str = DEFAULT_BASE
    ontology_dir: Path = ROOT / "ontology"
    bulk_threshold: int = 64 * 1024 * 1024

    @property
    def iris(self) -> Iris:
        return Iris(self.base)

    @classmethod
    def from_env(cls, store: str | None = None, base: str | None = None) -> Settings:
        """Settings from ``OPSI_KG_*`` variables, with explicit arguments taking precedence."""
        env = os.environ
        return cls(
            store=store or env.get("OPSI_KG_STORE") or DEFAULT_STORE,
            base=base or env.get("OPSI_KG_BASE") or DEFAULT_BASE,
            ontology_dir=Path(env.get("OPSI_KG_ONTOLOGY", ROOT / "ontology")),
            bulk_threshold=int(env.get("OPSI_KG_BULK_THRESHOLD", 64 * 1024 * 1024)),
        )
