"""Pure Python: model, validation, error catalogue, Capillary client, credentials, history. No Qt."""
