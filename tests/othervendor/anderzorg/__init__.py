"""AnderZorg Regie: the case management of an imagined other vendor, built on the SDK alone.

It exists only in OpenRegie's tests (installed as a test distribution by
`tests/test_other_vendor_casemanagement.py`) to prove that the `casemanagement` capability
is interchangeable: its own tables (`anderzorg_*`), its own words and codes, and its own
idea of a plan — one flat list of agreements per trajectory (`Afspraak` rows, wishes and
tasks side by side) whose versions are frozen snapshots of that list. Inside the package
imports are relative: the test distribution gives the package a generated name.
"""
