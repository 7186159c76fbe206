"""The trainer's xAPI profile (xAPI Profiles 1.0, JSON-LD): the statement shapes it sends and what each
extension means, with every metric's unit described once here instead of in every statement.

`profile_document(identity)` writes the profile for an institution's IRIs (docs/xapi-profile.jsonld is
the one for the default IRIs); `statement_problems(statement, profile)` checks a statement against
it: a template for its verb and activity type, every rule's location present, and every extension
key defined in the profile.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from trainer.records.xapi import SIMULATION_TYPE, VERBS, XapiIdentity
from trainer.scenario import list_scenarios, load_scenario

PROFILE_CONTEXT = "https://w3id.org/xapi/profiles/context"
PROFILE_CONFORMS_TO = "https://w3id.org/xapi/profiles#1.0"
PROFILE_VERSION_TIME = "2026-12-07T00:00:00Z"
CONTEXT_FACTS = {
    "scenario-version": "version of the scenario file the attempt was made on",
    "variant": "anatomical variant (0 = canonical anatomy)",
    "seed": "seed of the attempt's randomness (speckle), for an exact replay",
    "mode": "practice, exam or demo",
    "difficulty": "guided, standard or exam: how strictly the attempt was judged",
}
SUBSCORES = ("accuracy", "safety", "technique", "efficiency")
# (template name, verb, rules: JSONPath-like locations that must be present)
TEMPLATES = (
    ("attempted", "attempted", ("$.context.registration", "$.timestamp")),
    (
        "passed",
        "passed",
        ("$.context.registration", "$.result.score.scaled", "$.result.success", "$.result.duration"),
    ),
    (
        "failed",
        "failed",
        ("$.context.registration", "$.result.score.scaled", "$.result.success", "$.result.duration"),
    ),
)


@lru_cache(maxsize=1)
def metric_definitions() -> dict[str, tuple[str, str]]:
    """Every metric any scenario reports: name -> (unit, what it measures)."""
    from trainer.simulation import Simulation

    found: dict[str, tuple[str, str]] = {}
    for sid in list_scenarios():
        for m in Simulation(load_scenario(sid)).assessment.metrics:
            doc = (type(m).__doc__ or m.name).split("\n\n")[0]
            found.setdefault(m.name, (m.unit, " ".join(doc.split())))
    return found


def profile_document(identity: XapiIdentity | None = None) -> dict[str, Any]:
    """The profile as a JSON-LD object for these IRIs."""
    identity = identity or XapiIdentity()
    base = identity.profile_iri()
    version = f"{base}/v1"

    def concept(kind: str, iri: str, label: str, definition: str) -> dict[str, Any]:
        return {
            "id": iri,
            "type": kind,
            "inScheme": version,
            "prefLabel": {"en": label},
            "definition": {"en": definition},
        }

    concepts = [
        concept("ResultExtension", identity.metric_iri(name), name, f"{text} Unit: {unit}.")
        for name, (unit, text) in sorted(metric_definitions().items())
    ]
    concepts += [
        concept(
            "ResultExtension", identity.result_iri(f"subscores/{name}"), name, f"The {name} sub-score, 0-100."
        )
        for name in SUBSCORES
    ]
    concepts.append(
        concept(
            "ResultExtension",
            identity.result_iri("band"),
            "band",
            "excellent, competent, developing, novice or unsafe.",
        )
    )
    concepts += [
        concept("ContextExtension", identity.context_iri(name), name, text)
        for name, text in CONTEXT_FACTS.items()
    ]
    templates = [
        {
            **concept("StatementTemplate", f"{base}/templates/{name}", name, f"An attempt {name}."),
            "verb": VERBS[verb],
            "objectActivityType": SIMULATION_TYPE,
            "rules": [{"location": location, "presence": "included"} for location in rules],
        }
        for name, verb, rules in TEMPLATES
    ]
    return {
        "@context": PROFILE_CONTEXT,
        "id": base,
        "type": "Profile",
        "conformsTo": PROFILE_CONFORMS_TO,
        "prefLabel": {"en": "Thoracic ultrasound-guided injection trainer"},
        "definition": {
            "en": "Attempts at simulated ultrasound-guided thoracic spine injections: one registration per "
            "attempt, the skills-lab session as the grouping activity, the score and its metrics as result "
            "extensions (units defined here)."
        },
        "versions": [{"id": version, "generatedAtTime": PROFILE_VERSION_TIME}],
        "author": {"type": "Organization", "name": "thoracic-us-trainer"},
        "concepts": concepts,
        "templates": templates,
    }


def statement_problems(statement: dict[str, Any], profile: dict[str, Any]) -> list[str]:
    """Why the statement does not follow the profile (empty when it does); voiding statements,
    which refer to another statement, follow the xAPI specification alone."""
    verb = statement.get("verb", {}).get("id")
    if verb == VERBS["voided"]:
        return []
    template = next((t for t in profile["templates"] if t["verb"] == verb), None)
    if template is None:
        return [f"no template for the verb {verb}"]
    problems = []
    if statement.get("object", {}).get("definition", {}).get("type") != template["objectActivityType"]:
        problems.append("the object is not of the template's activity type")
    problems += [
        f"{r['location']} is missing" for r in template["rules"] if _find(statement, r["location"]) is None
    ]
    kinds = {c["id"]: c["type"] for c in profile["concepts"]}
    for where, kind in (("result", "ResultExtension"), ("context", "ContextExtension")):
        for key in statement.get(where, {}).get("extensions", {}):
            if kinds.get(key) != kind:
                problems.append(f"the {where} extension {key} is not defined in the profile")
    return problems


def _find(statement: dict[str, Any], location: str) -> Any:
    """The value at a simple JSONPath ("$.result.score.scaled"), or None."""
    value: Any = statement
    for part in location.removeprefix("$.").split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value
