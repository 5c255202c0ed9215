"""Find 10 more: each volunteer's recruiting link and QR code, crediting sign-ups through it
(this device by cookie, another by the typed code), "My 10", and the recruitment chains and
ladder organisers and team leads see. The app registers ``views.bp``; the rest import nothing
of Flask's views, so the sign-up (app.volunteers) can credit a recruiter without a cycle."""
