"""Report stage: findings -> one output format per module."""
