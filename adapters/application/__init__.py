"""The application service: the one façade every door (CLI, HTTP) calls, its inputs and errors.

Imports every room of adapters but the simulator."""
