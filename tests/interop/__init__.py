"""Tests of quiz.interop and the import-bank / export-bank commands."""
