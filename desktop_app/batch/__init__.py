"""`redemption-desk-batch FILE`: batch corrections from the command line (see __main__)."""
