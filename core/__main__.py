"""``python -m tmwatch`` runs the command line."""

from tmwatch.cli import main

main()
