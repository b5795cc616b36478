"""The journal in other shapes: JSON, Markdown and jrnl; Day One; the HTML book."""
