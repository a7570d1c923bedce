"""Read queries of registrations, by sub-domain; import the module you need."""
