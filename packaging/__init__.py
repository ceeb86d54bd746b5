"""The submission bundle: encrypted archive, password, keyring record, handover, mail draft. No Qt.
May import forms; never cli or gui."""
