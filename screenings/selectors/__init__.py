"""Read queries of screenings, by sub-domain; import the module you need."""
