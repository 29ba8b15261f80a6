#!/usr/bin/env python3
"""Checks that every `<!-- tour:NAME -->` code block in README.md is the
part of examples/api_tour.cpp between `// [tour:NAME]` and `// [/tour:NAME]`
(dedented), so the README shows code that CI compiles and runs.

usage: readme_tour_check.py README.md examples/api_tour.cpp [--fix]
With --fix, rewrites the README's blocks from the example instead."""
import re
import sys
import textwrap

readme_path, example_path = sys.argv[1], sys.argv[2]
fix = "--fix" in sys.argv[3:]
readme = open(readme_path, encoding="utf-8").read()
example = open(example_path, encoding="utf-8").read()

blocks = re.findall(r"<!-- tour:(\w+) -->\n```cpp\n(.*?)```", readme, re.S)
if not blocks:
    sys.exit("README.md has no tour blocks")
failed = False
for name, shown in blocks:
    m = re.search(r"// \[tour:%s\]\n(.*?)\n\s*// \[/tour:%s\]" % (name, name), example, re.S)
    if not m:
        print(f"tour:{name}: not marked in {example_path}")
        failed = True
        continue
    code = textwrap.dedent(m.group(1)) + "\n"
    if code != shown and fix:
        readme = readme.replace(f"<!-- tour:{name} -->\n```cpp\n{shown}```", f"<!-- tour:{name} -->\n```cpp\n{code}```")
    elif code != shown:
        print(f"tour:{name}: README.md differs from {example_path}")
        failed = True
if fix:
    open(readme_path, "w", encoding="utf-8").write(readme)
sys.exit(1 if failed else 0)
