"""Attendance of the ten live mornings: participant lists of video platforms in, one status per person and
morning in the ledger out.

Data flows one way: `columns` and `cells` read the platforms' headers and values, `listing` turns a file
into rows with time intervals, `intervals` merges and clips them, `matching` finds the admitted person of
this Durchgang a row belongs to, `importer` decides and `store` appends the events to the ledger file; `sheet`
prints the list a trainer ticks by hand. Nothing here imports the Moodle client.
"""
