"""Prefixes and the one place where opsi-kg IRIs are minted and parsed.

Three kinds of IRI live here:

* the **ontology** namespace (``opsi:``), fixed and independent of any deployment;
* the **vocabulary** namespace (``opsiv:``) for OPSI's controlled vocabularies (lifecycle
  stages, facets, sectors, ...), also fixed: observatories that federate must share the
  same concept IRIs, so they cannot depend on where one deployment runs;
* **data** IRIs (cases, organisations, countries, ...) and **graph** names, minted from the
  configured base ``B`` of a deployment as ``B id/{kind}/{key}`` and ``B graph/{name}``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pyoxigraph import NamedNode

ONTOLOGY_IRI = "https://w3id.org/opsi-kg/ontology"
OPSI = ONTOLOGY_IRI + "#"
VOCAB = "https://w3id.org/opsi-kg/vocab/"
DEFAULT_BASE = "http://localhost:8000/"

PREFIXES: dict[str, str] = {
    "opsi": OPSI,
    "opsiv": VOCAB,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "void": "http://rdfs.org/ns/void#",
    "sh": "http://www.w3.org/ns/shacl#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vann": "http://purl.org/vocab/vann/",
    "euc": "http://publications.europa.eu/resource/authority/country/",
}

#: Kinds of entity that get data IRIs ``B id/{kind}/{key}``.
KINDS = ("case", "person", "organisation", "country", "event", "membership", "document")

#: OPSI's controlled vocabularies: scheme key -> concept class local name in the ontology.
SCHEMES = {
    "lifecycle-stage": "LifecycleStage",
    "innovation-facet": "InnovationFacet",
    "sector": "Sector",
    "level-of-government": "LevelOfGovernment",
    "organisation-type": "OrganisationType",
    "innovation-tag": "InnovationTag",
    "innovation-tag-opengov": "InnovationTag",
    "role": "Role",
}

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def opsi(local: str) -> NamedNode:
    """The ontology term ``opsi:local``."""
    return NamedNode(OPSI + local)


def term(prefixed: str) -> NamedNode:
    """Expand ``prefix:local`` with :data:`PREFIXES`.

    :raises KeyError: for an unknown prefix.
    """
    prefix, _, local = prefixed.partition(":")
    return NamedNode(PREFIXES[prefix] + local)


def concept(scheme: str, key: str) -> NamedNode:
    """The IRI of concept ``key`` of vocabulary ``scheme`` (fixed, deployment-independent)."""
    if scheme not in SCHEMES:
        raise KeyError(f"unknown vocabulary {scheme!r}")
    return NamedNode(f"{VOCAB}{scheme}/{key}")


def scheme_iri(scheme: str) -> NamedNode:
    """The IRI of the SKOS concept scheme ``scheme``."""
    if scheme not in SCHEMES:
        raise KeyError(f"unknown vocabulary {scheme!r}")
    return NamedNode(f"{VOCAB}{scheme}")


def slugify(text: str) -> str:
    """A stable, readable key: ASCII, lower case, words joined by ``-``.

    >>> slugify("Agência Nacional de Águas – ANA (Brazil)")
    'agencia-nacional-de-aguas-ana-brazil'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:120].rstrip("-") or "unnamed"


def normalise_base(base: str) -> str:
    """Check a deployment base IRI and make sure it ends with ``/``.

    :raises ValueError: if ``base`` is not an absolute http(s) IRI.
    """
    if not re.match(r"^https?://[^/\s]+(/\S*)?$", base):
        raise ValueError(f"the base IRI must be an absolute http(s) IRI, not {base!r}")
    return base if base.endswith("/") else base + "/"


@dataclass(frozen=True)
class Iris:
    """Mints and parses the data IRIs of one deployment, from its base IRI."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", normalise_base(self.base))

    def entity(self, kind: str, key: str) -> NamedNode:
        """``B id/{kind}/{key}``.

        :raises ValueError: for an unknown kind or a key that is not a slug.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; kinds are {', '.join(KINDS)}")
        if not _KEY.match(key):
            raise ValueError(f"{key!r} is not a valid key (letters, digits, '-', '_', '.')")
        return NamedNode(f"{self.base}id/{kind}/{key}")

    def parse_entity(self, iri: str) -> tuple[str, str] | None:
        """``(kind, key)`` for a data IRI of this deployment, else ``None``."""
        prefix = self.base + "id/"
        if not iri.startswith(prefix):
            return None
        kind, _, key = iri[len(prefix) :].partition("/")
        if kind in KINDS and _KEY.match(key):
            return kind, key
        return None

    def graph(self, name: str) -> NamedNode:
        """The named graph ``B graph/{name}``; ``name`` may contain ``/``."""
        if not all(_KEY.match(part) for part in name.split("/")):
            raise ValueError(f"{name!r} is not a valid graph name")
        return NamedNode(f"{self.base}graph/{name}")

    @property
    def meta_graph(self) -> NamedNode:
        """The graph that describes every other graph (provenance, counts, licence)."""
        return self.graph("meta")
