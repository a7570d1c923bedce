"""State changes of screenings, by sub-domain; import the module you need."""
