"""Console commands: ``archive-repo -c INI <command> …``."""
