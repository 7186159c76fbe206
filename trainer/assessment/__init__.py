"""Assessment: metrics fed one input at a time, trainee errors, an explained score, feedback.

`engine.Assessment` holds the live metrics of a Simulation (`sim.assessment`); `report.report`
scores and explains them (`Simulation.finish()` calls it). docs/scoring.md gives every rule.
"""
