"""State changes of registrations, by sub-domain; import the module you need.

``attendees``: register, cancel, waiting-list promotion.
"""
