"""Reading what an office hands in: tables (CSV/XLSX) cell by cell, YAML scenario files, and the
what-if rules (`extends`, table edits) applied before validation. Every error names the file, row,
column and value; nothing here solves or knows a policy."""
