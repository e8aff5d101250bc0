"""Reporting: 我的项目, the monthly report form, month locks."""
