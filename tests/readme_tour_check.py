#!/usr/bin/env python3
"""Checks that every `<!-- tour:NAME -->` code block in README.md is the
part of an example (examples/api_tour.cpp, or another one given) between
`// [tour:NAME]` and `// [/tour:NAME]` (dedented), so the README shows code
that CI compiles and runs.

usage: readme_tour_check.py README.md examples/api_tour.cpp [EXAMPLE.cpp ...] [--fix]
With --fix, rewrites the README's blocks from the examples instead."""
import re
import sys
import textwrap

readme_path = sys.argv[1]
example_paths = [a for a in sys.argv[2:] if a != "--fix"]
fix = "--fix" in sys.argv[2:]
readme = open(readme_path, encoding="utf-8").read()
examples = {p: open(p, encoding="utf-8").read() for p in example_paths}

blocks = re.findall(r"<!-- tour:(\w+) -->\n```cpp\n(.*?)```", readme, re.S)
if not blocks:
    sys.exit("README.md has no tour blocks")
failed = False
for name, shown in blocks:
    found = [(p, re.search(r"// \[tour:%s\]\n(.*?)\n\s*// \[/tour:%s\]" % (name, name), e, re.S))
             for p, e in examples.items()]
    found = [(p, m) for p, m in found if m]
    if not found:
        print(f"tour:{name}: not marked in {', '.join(example_paths)}")
        failed = True
        continue
    example_path, m = found[0]
    code = textwrap.dedent(m.group(1)) + "\n"
    if code != shown and fix:
        readme = readme.replace(f"<!-- tour:{name} -->\n```cpp\n{shown}```", f"<!-- tour:{name} -->\n```cpp\n{code}```")
    elif code != shown:
        print(f"tour:{name}: README.md differs from {example_path}")
        failed = True
if fix:
    open(readme_path, "w", encoding="utf-8").write(readme)
sys.exit(1 if failed else 0)
