#!/usr/bin/env python3
"""Checks that every `<!-- TAG:NAME -->` code block in a Markdown page is the
part of an example between `// [TAG:NAME]` and `// [/TAG:NAME]` (dedented),
so the page shows code that CI compiles and runs. TAG is `tour` (README.md's
API tour) unless --tag=TAG says otherwise (`guide` for the pages in docs/).

usage: readme_tour_check.py [--tag=TAG] PAGE.md EXAMPLE.cpp [EXAMPLE.cpp ...] [--fix]
With --fix, rewrites the page's blocks from the examples instead."""
import re
import sys
import textwrap

args = [a for a in sys.argv[1:] if not a.startswith("--")]
fix = "--fix" in sys.argv[1:]
tag = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--tag=")), "tour")
readme_path = args[0]
example_paths = args[1:]
readme = open(readme_path, encoding="utf-8").read()
examples = {p: open(p, encoding="utf-8").read() for p in example_paths}

blocks = re.findall(r"<!-- %s:(\w+) -->\n```cpp\n(.*?)```" % tag, readme, re.S)
if not blocks:
    sys.exit(f"{readme_path} has no {tag} blocks")
# A cpp block without a marker would be code nobody compiles.
unmarked = len(re.findall(r"```cpp\n", readme)) - len(blocks)
failed = False
if tag != "tour" and unmarked:
    print(f"{readme_path}: {unmarked} cpp block(s) without a <!-- {tag}:NAME --> marker")
    failed = True
for name, shown in blocks:
    found = [(p, re.search(r"// \[%s:%s\]\n(.*?)\n\s*// \[/%s:%s\]" % (tag, name, tag, name), e, re.S))
             for p, e in examples.items()]
    found = [(p, m) for p, m in found if m]
    if not found:
        print(f"{tag}:{name}: not marked in {', '.join(example_paths)}")
        failed = True
        continue
    example_path, m = found[0]
    code = textwrap.dedent(m.group(1)) + "\n"
    if code != shown and fix:
        readme = readme.replace(f"<!-- {tag}:{name} -->\n```cpp\n{shown}```", f"<!-- {tag}:{name} -->\n```cpp\n{code}```")
    elif code != shown:
        print(f"{tag}:{name}: {readme_path} differs from {example_path}")
        failed = True
if fix:
    open(readme_path, "w", encoding="utf-8").write(readme)
sys.exit(1 if failed else 0)
