"""Qt views over forms/ and packaging/."""
