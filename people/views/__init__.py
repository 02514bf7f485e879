"""HTML pages of key persons and Production Hub resourcing, one module per workflow (cvs, key_persons, hub)."""
