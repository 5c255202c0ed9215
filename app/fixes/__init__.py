"""The organiser's review of corrections made at the door (stored and applied by
``app.contacts.fixes``): who, when, which list, before -> after; accept, or revert."""
