"""CSV and spreadsheet import and export: validation, row-level errors, atomic loads."""
