"""Turning assembled Markdown into DOCX, PDF and HTML."""
