"""Synthetic OPSI-shaped data for benchmarks: clearly marked, deterministic, never demo data.

Every case, organisation and person is minted under ``B id/{kind}/synthetic-…``, carries
``skos:editorialNote "SYNTHETIC benchmark data"``, and the graph it is loaded into is
named ``B graph/synthetic/…``. Same seed and size, same triples.

Shape per case: one country (from the 249 ISO countries), a lead and 0-2 partner
organisations (typed with OPSI's organisation types, in a sub-organisation tree), 0-2
innovators, 1-3 tags, 1-2 lifecycle stages, a sector, a level of government, a launch
year, a related case (symmetric), and for one case in ten a document about it (inverse).
One organisation in fifty gets a membership in a body; events form a part-of tree (ten
sub-events each).
"""

from __future__ import annotations

import random
from pathlib import Path

import pycountry

from graph.importers.records import ORGANISATION_CLASSES
from graph.namespaces import OPSI
from graph.namespaces import VOCAB
from graph.namespaces import Iris

TAGS = ["artificial-intelligence-ai", "behavioural-insights", "citizen-engagement", "data", "digital-transformation",
        "experimentation", "open-data", "open-government", "service-design", "systems-change"]  # fmt: skip
STAGES = [
    "identifying_problems",
    "generating_ideas",
    "developing_proposals",
    "implementation",
    "evaluation",
    "diffusing",
]
SECTORS = ["economic", "education", "employment", "environmental", "health", "housing", "information", "public_admin"]
LEVELS = ["central", "regional", "local", "other"]
NOTE = '<http://www.w3.org/2004/02/skos/core#editorialNote> "SYNTHETIC benchmark data"@en'
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def generate(cases: int, path: Path, *, base: str, seed: int = 42) -> int:
    """Write ``cases`` synthetic cases (and their organisations, people, documents) as N-Triples."""
    rng = random.Random(seed)
    iris = Iris(base)
    countries = sorted(c.alpha_3 for c in pycountry.countries)
    n_orgs, n_people = max(cases // 4, 5), max(cases // 3, 5)
    lines: list[str] = []

    def add(s: str, p: str, o: str) -> None:
        lines.append(f"{s} {p} {o} .\n")

    def o(local: str) -> str:
        return f"<{OPSI}{local}>"

    def ent(kind: str, i: int) -> str:
        return f"<{iris.entity(kind, f'synthetic-{i:07d}').value}>"

    def lit(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    org_keys = list(ORGANISATION_CLASSES)
    for i in range(n_orgs):
        org, key = ent("organisation", i), rng.choice(org_keys)
        add(org, TYPE, o(ORGANISATION_CLASSES[key]))
        add(org, o("name"), lit(f"Synthetic organisation {i}"))
        add(org, o("organisationType"), f"<{VOCAB}organisation-type/{key}>")
        add(org, o("country"), f"<{iris.entity('country', rng.choice(countries)).value}>")
        add(org, NOTE.split(" ", 1)[0], NOTE.split(" ", 1)[1])
        if i >= 10 and i % 7:  # units within bodies within ministries: a ten-way tree, some independents
            add(org, o("subOrganisationOf"), ent("organisation", i // 10))
        if i % 50 == 0:
            membership = ent("membership", i)
            add(membership, TYPE, o("Membership"))
            add(membership, o("member"), org)
            add(membership, o("organisation"), ent("organisation", 0))
            add(membership, o("role"), f"<{VOCAB}role/member>")
            add(membership, "<http://purl.org/dc/terms/source>", "<https://example.org/synthetic>")
    for i in range(n_people):
        person = ent("person", i)
        add(person, TYPE, o("Innovator"))
        add(person, o("name"), lit(f"Synthetic person {i}"))
    for i in range(cases):
        case = ent("case", i)
        add(case, TYPE, o("Case"))
        add(case, o("title"), lit(f"Synthetic case {i}"))
        add(case, o("summary"), lit(f"Synthetic summary of case {i} for benchmarks."))
        add(case, o("country"), f"<{iris.entity('country', rng.choice(countries)).value}>")
        add(case, o("launchYear"), f'"{rng.randint(2003, 2025)}"^^<http://www.w3.org/2001/XMLSchema#integer>')
        add(case, o("leadOrganisation"), ent("organisation", rng.randrange(n_orgs)))
        for _ in range(rng.randint(0, 2)):
            add(case, o("partnerOrganisation"), ent("organisation", rng.randrange(n_orgs)))
        for _ in range(rng.randint(0, 2)):
            add(case, o("innovator"), ent("person", rng.randrange(n_people)))
        for tag in rng.sample(TAGS, rng.randint(1, 3)):
            add(case, o("tag"), f"<{VOCAB}innovation-tag/{tag}>")
        for stage in rng.sample(STAGES, rng.randint(1, 2)):
            add(case, o("lifecycleStage"), f"<{VOCAB}lifecycle-stage/{stage}>")
        add(case, o("sector"), f"<{VOCAB}sector/{rng.choice(SECTORS)}>")
        add(case, o("levelOfGovernment"), f"<{VOCAB}level-of-government/{rng.choice(LEVELS)}>")
        if i:
            add(case, o("relatedCase"), ent("case", rng.randrange(i)))
        if i % 10 == 0:
            doc = ent("document", i)
            add(doc, TYPE, o("Publication"))
            add(doc, o("title"), lit(f"Synthetic document {i}"))
            add(doc, o("about"), case)
        add(case, NOTE.split(" ", 1)[0], NOTE.split(" ", 1)[1])
    for i in range(max(cases // 100, 2)):
        event = ent("event", i)
        add(event, TYPE, o("Workshop" if i else "Conference"))
        add(event, o("title"), lit(f"Synthetic event {i}"))
        if i:  # conferences hold sessions, which hold talks: a shallow tree, as real programmes are
            add(event, o("partOfEvent"), ent("event", i // 10))
        add(ent("person", rng.randrange(n_people)), o("speakerAt"), event)
    path.write_text("".join(lines), encoding="utf-8")
    return len(lines)
