"""Session kits (#12): the facilitator guide and the participant worksheets of a module, as A4 PDFs."""
