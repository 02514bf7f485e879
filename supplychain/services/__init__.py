"""Writes of the supply chain, one module per workflow: documents (the strategy documents), plans (the Supply Chain
Management Plan), suppliers (register, accreditation, reviews, spend, pipeline), risks (the risk register)."""
