"""Pure Python, no Qt: model, validation, error catalogue, client, credentials, history."""
