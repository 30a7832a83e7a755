"""The `bac` command line, a door: parse, call the application service, render (texts in French).

Imports adapters.application, adapters.publication (rendering) and the simulator's demo only."""
