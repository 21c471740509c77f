from scm_lms.cli import main

main()
