"""Reads of the supply chain, one module per workflow: documents (and the client's report), plans, suppliers,
risks."""
