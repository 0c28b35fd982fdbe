"""Who may do what: bearer tokens and the ACL security policy."""
from .policy import TokenSecurityPolicy, credentials  # noqa: F401
from .tokens import ROLES, hash_token, issue_token, lookup  # noqa: F401


def includeme(config):
    config.include(".policy")
