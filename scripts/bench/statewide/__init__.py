"""A made-up statewide campaign on PostgreSQL (issue 22): the generator and its phases.

    python -m scripts.bench.statewide generate --households N --db postgresql://postgres@127.0.0.1:5432/DBNAME [--seed S]

Full size (--households 2500000): 5 million people, 1,000 wards, 5,000 precincts, 20 million contact
events over six months, 50,000 walk lists, 5,000 volunteers; everything scales with --households.
The database DBNAME is dropped and created afresh, and its schema made by the app's migrations.
"""
