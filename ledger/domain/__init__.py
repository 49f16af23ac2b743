"""The domain layer: events and what they mean. Imports only attrs, pendulum and ledger.dates."""
