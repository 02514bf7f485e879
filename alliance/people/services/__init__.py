"""Writes of key persons and Production Hub resourcing, one module per workflow: cvs (the rules of a CV),
key_persons (paras 48-60), hub (paras 63-71). Each module's ``__all__`` is re-exported here."""

from alliance.people.services import cvs, hub, key_persons
from alliance.people.services.cvs import *  # noqa: F403
from alliance.people.services.hub import *  # noqa: F403
from alliance.people.services.key_persons import *  # noqa: F403

WORKFLOWS = (cvs, key_persons, hub)
__all__ = [name for module in WORKFLOWS for name in module.__all__] + ["WORKFLOWS"]
