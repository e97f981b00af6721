"""Printable letters merged from a recipients file that is never stored (issue 21): `recipients`
reads and checks the file, `render` lays the letters out, `service` writes and audits a run."""
