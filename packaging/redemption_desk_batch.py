"""Entry script of the frozen `redemption-desk-batch` console command (see redemption-desk.spec)."""

from desktop_app.batch.__main__ import main

raise SystemExit(main())
