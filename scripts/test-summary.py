#!/usr/bin/env python3
"""Adds up the JUnit XML files in a folder (CTest's and pytest's) and writes
one line "N passed, N failed[, N skipped]" to summary.txt. Exit 1 if any test
failed or errored, or if no test ran at all."""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

folder = Path(sys.argv[1])
passed = failed = skipped = 0
for xml in sorted(folder.glob("*.xml")):
    root = ET.parse(xml).getroot()
    cases = root.iter("testcase")
    n_pass = n_fail = n_skip = 0
    for case in cases:
        if case.find("failure") is not None or case.find("error") is not None:
            n_fail += 1
            print(f"FAILED [{xml.stem}] {case.get('classname', '')} {case.get('name')}")
        elif case.find("skipped") is not None or case.get("status") in ("notrun", "disabled"):
            n_skip += 1
        else:
            n_pass += 1
    print(f"{xml.stem}: {n_pass} passed, {n_fail} failed, {n_skip} skipped")
    passed, failed, skipped = passed + n_pass, failed + n_fail, skipped + n_skip

line = f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else "")
(folder / "summary.txt").write_text(line + "\n")
sys.exit(1 if failed or passed == 0 else 0)
