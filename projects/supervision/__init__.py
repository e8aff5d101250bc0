"""督办: the problem register and how a problem is answered for — the responsible unit's and
the lead official's progress notes and requests for closure (申请销号), the office's closing
or sending back, the escalation levels and the printed supervision notice (督办单)."""
