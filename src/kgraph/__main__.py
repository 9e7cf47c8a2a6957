"""``python -m kgraph`` runs the CLI."""

from .cli import main

main()
