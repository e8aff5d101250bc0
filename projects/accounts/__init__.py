"""账号管理: each level creates the accounts of the level below."""
