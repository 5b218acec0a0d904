"""Writers of what offices take away: the roster (xlsx, csv, md, json). They never recompute anything."""
