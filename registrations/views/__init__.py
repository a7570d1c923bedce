"""HTML pages of registrations, one module per sub-domain."""
