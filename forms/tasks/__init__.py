"""Whole tasks over a workspace: the steps and their status, exporting every deliverable, checking files,
merging many departments' checked frames and drawing the survey's sample (the office's intake).
The top room of forms/: may import every other room; none imports it."""
