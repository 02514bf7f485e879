"""The core of the alliance: organisations, people and roles, obligations and reminders, notifications,
documents. It imports no other app of the project (docs/architecture.md)."""
