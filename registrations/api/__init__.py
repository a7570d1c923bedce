"""Public and staff API of registrations, one module per sub-domain."""
