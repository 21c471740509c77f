"""The programme office's intake: registration files read and checked (`csvio`, `registration_cells`,
`registrations`), seats decided (`admission`) and the notices mailed about it (`notify`)."""
