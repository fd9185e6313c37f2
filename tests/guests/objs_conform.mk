# Architecture conformance guests (issue 13, tests/conform/cases.py).
GUESTS += tlevel ptimer dbg atk_dbg
