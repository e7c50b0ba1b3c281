"""Writing: results → Excel workbook and Markdown notices. Atomic, never touching inputs."""
