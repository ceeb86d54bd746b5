"""Qt views over forms/ and packaging/: the window, its pages, grids and dialogs. No rule, no file format.
May import forms and packaging; never cli."""
