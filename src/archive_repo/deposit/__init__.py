"""Depositing issued documents: metadata, upload, numbering, the steps."""
