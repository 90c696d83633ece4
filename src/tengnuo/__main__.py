"""`python -m tengnuo` runs the command-line interface."""

from tengnuo.cli.main import main

main()
