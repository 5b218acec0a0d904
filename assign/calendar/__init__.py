"""Term visit calendars: working days of a term, the CP-SAT model of visits, and the visit plan."""
