"""The headless commands of main.py (check, new, import, export, bundle): wiring over forms/ and packaging/.
May import forms and packaging; never gui, and nothing below it imports cli."""
