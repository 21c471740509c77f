"""Grade-based certification of a Durchgang: decide, issue signed PDFs, register, verify, write back.

Data flows one way: Moodle grades (`grades`) → decisions (`rules`, orchestrated by `collect`) → signed facts
(`facts`, `signing`) → register and PDF (`register`, `pdf`, `issue`) → Moodle cohort and profile field
(`writeback`). `verify` and `badge` only read the register and the key.
"""
