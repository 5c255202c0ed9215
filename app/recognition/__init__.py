"""Recognition, not ranking: weekly streaks, team totals and a thank-you for each finished list
(read by the volunteer's home and the team page; no pages of its own)."""
