"""The follow-up queue: door and phone answers that ask the campaign to act (a poster, a
postal-vote form, a new volunteer, a question to answer), made in the answer's own transaction
(``create``), claimed and ticked off by organisers and team leads (``operations``, ``views``).

Nothing is imported here: ``app.contacts.record`` imports ``create`` on every door knock, and
the views import the contact path."""
