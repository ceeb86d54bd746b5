"""The vocabulary every room shares: findings, the user-error base, row tables (records), bulk mode, folders.
Imports nothing of forms/ outside this room."""
