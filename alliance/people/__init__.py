"""Key persons (paras 48-60) and Production Hub resourcing (paras 61-71): part of the core app ``alliance``
(DESIGN.md), in their own modules. Models defined here belong to the ``alliance`` app: alliance/models.py
imports them so that Django registers them.
"""
