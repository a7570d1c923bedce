"""Public and staff API of screenings, one module per sub-domain."""
