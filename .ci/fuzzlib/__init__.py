"""Helpers of .ci/fuzz-hostile.py (standard library only)."""
