"""Reading what an office hands in: a named file checked to be a readable file and decoded (`files`),
tables (CSV/XLSX) cell by cell, YAML scenario files within size, depth and alias limits, and the
what-if rules (`extends`, table edits) applied before validation. Every error names the file, row,
column and value; nothing here solves or knows a policy."""
