"""The HTTP views of the tree itself (directory, agencies, years, records,
deposits) and the error views; what views share lives in ``archive_repo.http``."""
