"""Pure domain logic: plain data in, plain data out. No Flask or SQLAlchemy here."""
