"""Redemption Desk: correct the bill metadata of Capillary points redemptions."""

__version__ = "0.1.0"
APP_NAME = "Redemption Desk"
APP_ID = "redemption-desk"
