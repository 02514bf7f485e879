"""Key persons (paras 48-60) and Production Hub resourcing (paras 61-71): an app above governance, since its
appointments and resourcing go to the Board (docs/architecture.md). Its tables keep the names they had when it lived
inside the core (``alliance_<model>``, see models.py)."""
