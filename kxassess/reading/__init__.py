"""Reading: files → tidy tables with cell addresses. Never scores, never judges rules."""
