"""The progress engine: the reporting period, the one rounding rule, and the QuerySets that
compute every figure of progress and slippage in SQL. It imports nothing else of the project."""
