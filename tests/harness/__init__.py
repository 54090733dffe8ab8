"""Switchboard's test harness: free ports, temp dirs, and real peers
(PostgreSQL now; SIPp, baresip, SMTP, LDAP later) started on loopback and
always stopped afterwards. Used by the pytest suite and by CTest fixtures."""
