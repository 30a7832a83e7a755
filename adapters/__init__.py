"""Everything between the domain and the world: store, batch engine, audit, publication, service, simulator.

May import projections and domain; each room says which of the others it may import (tests/test_architecture.py)."""
