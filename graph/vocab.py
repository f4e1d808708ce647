"""OPSI's controlled vocabularies, read from ``ontology/vocabularies``, for lookups by key or label.

Importers accept a vocabulary value as OPSI's key (``public_admin``), its English label
("Public administration modernisation and reform") or that label's slug, in any case.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from functools import lru_cache
from pathlib import Path

from pyoxigraph import NamedNode
from pyoxigraph import RdfFormat
from pyoxigraph import parse

from .namespaces import SCHEMES
from .namespaces import VOCAB
from .namespaces import slugify
from .namespaces import term

SKOS_IN_SCHEME = term("skos:inScheme").value
SKOS_NOTATION = term("skos:notation").value
LABELS = {term("skos:prefLabel").value, term("skos:altLabel").value}


@dataclass
class Vocabularies:
    """Concepts per scheme, indexed by normalised key and label."""

    index: dict[str, dict[str, NamedNode]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def lookup(self, scheme: str, value: str) -> NamedNode | None:
        """The concept of ``scheme`` that ``value`` names, or None."""
        table = self.index.get(scheme, {})
        return table.get(value.strip().lower()) or table.get(slugify(value))

    def keys(self, scheme: str) -> list[str]:
        """The concept keys of ``scheme``, for error messages."""
        prefix = f"{VOCAB}{scheme}/"
        return sorted({c.value[len(prefix) :] for c in self.index.get(scheme, {}).values()})

    def label(self, concept: NamedNode) -> str:
        return self.labels.get(concept.value, concept.value.rsplit("/", 1)[-1])


def vocabulary_files(ontology_dir: Path) -> list[Path]:
    return sorted((ontology_dir / "vocabularies").glob("*.ttl"))


@lru_cache(maxsize=4)
def load_vocabularies(ontology_dir: Path) -> Vocabularies:
    """Read every vocabulary file once per process."""
    vocab = Vocabularies()
    scheme_of: dict[str, str] = {}
    names: dict[str, list[tuple[str, str]]] = {}
    for path in vocabulary_files(ontology_dir):
        for quad in parse(path=str(path), format=RdfFormat.TURTLE):
            subject, predicate, obj = quad.subject.value, quad.predicate.value, quad.object
            if predicate == SKOS_IN_SCHEME:
                scheme_of[subject] = obj.value[len(VOCAB) :]
            elif predicate == SKOS_NOTATION or predicate in LABELS:
                names.setdefault(subject, []).append((predicate, obj.value))
                if predicate == term("skos:prefLabel").value and getattr(obj, "language", None) == "en":
                    vocab.labels[subject] = obj.value
    for concept, scheme in scheme_of.items():
        if scheme not in SCHEMES:
            continue
        table = vocab.index.setdefault(scheme, {})
        node = NamedNode(concept)
        table[concept.rsplit("/", 1)[-1].lower()] = node
        for _predicate, value in names.get(concept, []):
            table.setdefault(value.strip().lower(), node)
            table.setdefault(slugify(value), node)
    return vocab
