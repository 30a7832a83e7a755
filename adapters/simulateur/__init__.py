"""The simulator: profiles, cohort generator, results-day batches and the demo.

Produces input for the registry through the application service; nothing in the registry imports it."""
