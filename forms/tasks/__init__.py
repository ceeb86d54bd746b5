"""Whole tasks over a workspace: the steps and their status, exporting every deliverable, checking files.
The top room of forms/: may import every other room; none imports it."""
