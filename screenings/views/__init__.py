"""HTML pages of screenings, one module per sub-domain."""
