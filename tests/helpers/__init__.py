"""Builders the test files share; conftest.py keeps the fixtures."""
