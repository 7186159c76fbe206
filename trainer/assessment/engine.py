"""The live assessment of one attempt: every metric, fed one sample per input."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from trainer.assessment import motion, placement, safety, visualisation
from trainer.assessment.facts import ScenarioFacts
from trainer.assessment.metric import Metric, MetricValue
from trainer.assessment.sample import SampleFeed

if TYPE_CHECKING:
    from trainer.actions import Action
    from trainer.simulation import Simulation

DECIMALS = 3


def build_metrics(facts: ScenarioFacts) -> list[Metric]:
    """One instance of every metric that applies to the scenario, in the order they are reported
    (no margin to a pleura the scenario does not have, no wrong level where no level is named)."""
    spread = placement.Maldistribution()
    return [
        motion.ElapsedTime(),
        motion.PathLength(),
        motion.PathInTissue(),
        motion.PathRatio(facts.ideal_path_mm),
        motion.TimeInTissue(),
        motion.TissueDamage(),
        motion.Redirections(),
        motion.BackAndForth(),
        motion.Passes(),
        placement.TipToTarget(),
        placement.TipToTargetMin(),
        placement.TargetHit(),
        visualisation.TipVisibleShare(),
        visualisation.BlindAdvance(),
        visualisation.BlindAdvances(),
        visualisation.TravelMean("needle_plane_distance_mean_mm", "mm", visualisation.plane_distance_mm),
        visualisation.TravelMax("needle_plane_distance_max_mm", "mm", visualisation.plane_distance_mm),
        visualisation.TravelMean("needle_plane_angle_mean_deg", "deg", visualisation.plane_angle_deg),
        visualisation.TravelMax("needle_plane_angle_max_deg", "deg", visualisation.plane_angle_deg),
        visualisation.ProbeDrift(),
        visualisation.SteepAdvance(),
        visualisation.WrongViewAdvance(),
        visualisation.NeedleOutOfPlane(),
        visualisation.LostByProbe(),
        visualisation.UnseenEntry(),
        visualisation.OrientationError(),
        *safety.hazard_metrics(facts),
        *safety.contact_metrics(),
        placement.InjectedVolume(),
        placement.InjectedVolumeShare(),
        placement.VolumeOnTarget(),
        placement.MisplacedVolume(),
        spread,
        placement.InjectedThroughMaldistribution(spread),
        placement.InjectateDistribution(spread),
        *([placement.WrongLevel()] if facts.has_levels else []),
        placement.EntryAngle(),
        placement.TargetAngle(),
    ]


class Assessment:
    """The metrics of one Simulation (`sim.assessment`), fed after every input; `values()` gives
    them live during the attempt and final at its end."""

    def __init__(self, sim: Simulation) -> None:
        self.facts = ScenarioFacts.of(sim.scenario)
        self.feed = SampleFeed(self.facts, sim.needle, sim.probe)
        self.metrics = build_metrics(self.facts)
        self.by_name = {m.name: m for m in self.metrics}
        self.clocked = [m for m in self.metrics if m.clocked]

    def __call__(self, sim: Simulation, action: Action) -> None:
        sample = self.feed.sample(sim, action)
        for m in self.clocked if sample.quiet else self.metrics:
            m.update(sample)

    def snapshot(self) -> Assessment:
        """An independent copy of the metrics so far; the scenario and its facts are shared."""
        shared: dict[int, Any] = {id(self.facts): self.facts}
        shared.update((id(p), p) for p in self.facts.scenario.planes)
        return copy.deepcopy(self, shared)

    def values(self) -> dict[str, MetricValue]:
        """Every metric's value now, floats rounded to a thousandth (as reported and scored)."""
        return {m.name: _rounded(m.value) for m in self.metrics}

    def units(self) -> dict[str, str]:
        return {m.name: m.unit for m in self.metrics}


def _rounded(value: MetricValue) -> MetricValue:
    return round(value, DECIMALS) if isinstance(value, float) else value
