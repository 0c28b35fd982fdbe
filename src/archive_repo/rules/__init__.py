"""The rule engine: checks a deposited PDF against the regulation (Art. 4–9)
and decides its legal status.  See :mod:`archive_repo.rules.model` for the
vocabulary and :mod:`archive_repo.rules.engine` for the order of the rules.
"""
from . import speedups
from .engine import evaluate, policy_from_settings, rule_policy  # noqa: F401

# pyHanko reads a signature's /Contents one byte at a time: a third of the
# engine's time (rules/speedups.py)
speedups.install()
