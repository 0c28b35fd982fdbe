"""Small helpers over Pyramid's registry, for directives that collect
things (evolve steps, 403 reasons): the collection is a utility registered
under its marker interface, not an attribute bolted onto the registry."""


def collected(registry, marker):
    """The list registered for ``marker``, created empty on first use."""
    found = registry.queryUtility(marker)
    if found is None:
        found = []
        registry.registerUtility(found, marker)
    return found
