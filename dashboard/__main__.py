"""`python -m dashboard` runs the management CLI."""
from dashboard.cli import main

main()
