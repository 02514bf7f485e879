"""Writes of key persons and Production Hub resourcing, one module per workflow: cvs (the rules of a CV),
key_persons (paras 48-60), hub (paras 63-71). Import each name from the module that defines it."""
