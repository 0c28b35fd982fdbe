"""Helpers that make real test inputs (PDFs, PKI, signed documents)."""
