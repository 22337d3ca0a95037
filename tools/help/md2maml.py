#!/usr/bin/env python3
"""Turns the platyPS-style markdown in docs/help/*.md into the MAML file PowerShell reads.

    python3 tools/help/md2maml.py            # writes module/en-US/ZipFit.PowerShell.dll-Help.xml
    python3 tools/help/md2maml.py --check    # exits 1 when the committed XML is not what the markdown gives

The markdown is the source; the XML is committed so that neither the build nor users need this
script (or platyPS). tests/pester/Help.Tests.ps1 checks the result in real pwsh.
"""
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "help"
OUT = ROOT / "module" / "en-US" / "ZipFit.PowerShell.dll-Help.xml"
ORDER = [
    "Import-ZipFitDataset", "New-ZipFitTarget", "Get-ZipFitScore", "Select-ZipFitTop",
    "Export-ZipFitDataset", "Export-ZipFitReport", "Measure-ZipFitAlignment", "Get-ZipFitCache", "Clear-ZipFitCache",
]


def sections(lines, level):
    """Splits lines at headings of the given level: [(title, body lines)]."""
    marker = "#" * level + " "
    out, title, body, fence = [], None, [], False
    for line in lines:
        if line.startswith("```"):
            fence = not fence
        if not fence and line.startswith(marker):
            if title is not None:
                out.append((title, body))
            title, body = line[len(marker):].strip(), []
        else:
            body.append(line)
    if title is not None:
        out.append((title, body))
    return out


def blocks(lines):
    """Paragraphs and fenced code blocks: [('para'|'code', text, info)]."""
    out, para, code, info = [], [], None, ""
    for line in lines:
        if code is not None:
            if line.startswith("```"):
                out.append(("code", "\n".join(code), info))
                code = None
            else:
                code.append(line)
        elif line.startswith("```"):
            if para:
                out.append(("para", "\n".join(para), ""))
                para = []
            code, info = [], line[3:].strip()
        elif not line.strip():
            if para:
                out.append(("para", "\n".join(para), ""))
                para = []
        else:
            para.append(line)
    if para:
        out.append(("para", "\n".join(para), ""))
    return out


def paras(lines):
    """Text paragraphs; lines indented by four spaces (formulas) keep their line breaks."""
    result = []
    for kind, text, _ in blocks(lines):
        if kind == "code" or text.startswith("    "):
            result.append(text)
        else:
            result.append(" ".join(l.strip() for l in text.splitlines()))
    return result


def maml_paras(texts, indent):
    pad = " " * indent
    if not texts:
        return f"{pad}<maml:para />\n"
    return "".join(f"{pad}<maml:para>{escape(t)}</maml:para>\n" for t in texts)


def parse(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0] == "---":
        lines = lines[lines.index("---", 1) + 1:]
    (name, body), = sections(lines, 1)
    parts = dict(sections(body, 2))
    cmd = {"name": name, "synopsis": " ".join(paras(parts["SYNOPSIS"])), "description": paras(parts["DESCRIPTION"])}

    syntax = sections(parts["SYNTAX"], 3) or [("__AllParameterSets", parts["SYNTAX"])]
    cmd["sets"] = []
    for title, set_body in syntax:
        code = next(text for kind, text, _ in blocks(set_body) if kind == "code")
        cmd["sets"].append((title.replace("(Default)", "").strip(), code))

    cmd["examples"] = []
    for title, ex_body in sections(parts["EXAMPLES"], 3):
        bs = blocks(ex_body)
        first = next(i for i, b in enumerate(bs) if b[0] == "code")
        remarks = [b[1] if b[0] == "code" else " ".join(l.strip() for l in b[1].splitlines()) for b in bs[first + 1:]]
        cmd["examples"].append({"title": title, "code": bs[first][1], "remarks": remarks})

    cmd["parameters"] = []
    for title, p_body in sections(parts["PARAMETERS"], 3):
        if title == "CommonParameters":
            continue
        bs = blocks(p_body)
        yaml = next(b[1] for b in bs if b[0] == "code" and b[2] == "yaml")
        meta = {}
        for line in yaml.splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                meta[k.strip()] = v.strip()
        desc = [" ".join(l.strip() for l in b[1].splitlines()) for b in bs if b[0] == "para"]
        cmd["parameters"].append({"name": title.lstrip("-"), "description": desc, **meta})

    def typed(section):
        return [(t, paras(b)) for t, b in sections(parts.get(section, []), 3)]

    cmd["inputs"], cmd["outputs"] = typed("INPUTS"), typed("OUTPUTS")
    cmd["notes"] = paras(parts.get("NOTES", []))
    cmd["links"] = re.findall(r"^\[([^\]]+)\]\(([^)]*)\)", "\n".join(parts.get("RELATED LINKS", [])), re.M)
    return cmd


def in_set(param, set_name):
    sets = [s.strip() for s in param["Parameter Sets"].split(",")]
    return "(All)" in sets or set_name in sets or set_name == "__AllParameterSets"


def pipeline(param):
    return param["Accept pipeline input"]


def position(param):
    return param["Position"].lower() if param["Position"] == "Named" else param["Position"]


def param_xml(param, indent):
    pad = " " * indent
    t = param["Type"]
    switch = t == "SwitchParameter"
    variable = "true" if t.endswith("[]") else "false"
    aliases = param.get("Aliases") or "none"
    x = (f'{pad}<command:parameter required="{param["Required"].lower()}" variableLength="{variable}" '
         f'globbing="{param["Accept wildcard characters"].lower()}" pipelineInput="{pipeline(param)}" '
         f'position="{position(param)}" aliases="{aliases}">\n')
    x += f"{pad}  <maml:name>{param['name']}</maml:name>\n"
    x += f"{pad}  <maml:description>\n{maml_paras(param['description'], indent + 4)}{pad}  </maml:description>\n"
    if param.get("Accepted values"):
        x += f'{pad}  <command:parameterValueGroup>\n'
        for v in param["Accepted values"].split(","):
            x += f'{pad}    <command:parameterValue required="false" command:variableLength="false">{escape(v.strip())}</command:parameterValue>\n'
        x += f'{pad}  </command:parameterValueGroup>\n'
    x += f'{pad}  <command:parameterValue required="{"false" if switch else "true"}" variableLength="{variable}">{escape(t)}</command:parameterValue>\n'
    x += f"{pad}  <dev:type>\n{pad}    <maml:name>{escape(t)}</maml:name>\n{pad}    <maml:uri />\n{pad}  </dev:type>\n"
    x += f"{pad}  <dev:defaultValue>{escape(param['Default value'])}</dev:defaultValue>\n"
    x += f"{pad}</command:parameter>\n"
    return x


def command_xml(cmd):
    verb, noun = cmd["name"].split("-", 1)
    x = ('  <command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" '
         'xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" '
         'xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10" '
         'xmlns:MSHelp="http://msdn.microsoft.com/mshelp">\n')
    x += "    <command:details>\n"
    x += f"      <command:name>{cmd['name']}</command:name>\n"
    x += f"      <command:verb>{verb}</command:verb>\n      <command:noun>{noun}</command:noun>\n"
    x += f"      <maml:description>\n        <maml:para>{escape(cmd['synopsis'])}</maml:para>\n      </maml:description>\n"
    x += "    </command:details>\n"
    x += f"    <maml:description>\n{maml_paras(cmd['description'], 6)}    </maml:description>\n"

    x += "    <command:syntax>\n"
    for set_name, code in cmd["sets"]:
        members = [p for p in cmd["parameters"] if in_set(p, set_name)]
        # in the order the syntax block shows them
        members.sort(key=lambda p: m.start() if (m := re.search(r"-" + p["name"] + r"\b", code)) else 10_000)
        x += f"      <command:syntaxItem>\n        <maml:name>{cmd['name']}</maml:name>\n"
        for p in members:
            x += param_xml(p, 8)
        x += "      </command:syntaxItem>\n"
    x += "    </command:syntax>\n"

    x += "    <command:parameters>\n"
    for p in cmd["parameters"]:
        x += param_xml(p, 6)
    x += "    </command:parameters>\n"

    for tag, item, items in (("inputTypes", "inputType", cmd["inputs"]), ("returnValues", "returnValue", cmd["outputs"])):
        x += f"    <command:{tag}>\n"
        for name, desc in items:
            x += (f"      <command:{item}>\n        <dev:type>\n          <maml:name>{escape(name)}</maml:name>\n"
                  f"        </dev:type>\n        <maml:description>\n{maml_paras(desc, 10)}        </maml:description>\n"
                  f"      </command:{item}>\n")
        x += f"    </command:{tag}>\n"

    x += f"    <maml:alertSet>\n      <maml:alert>\n{maml_paras(cmd['notes'], 8)}      </maml:alert>\n    </maml:alertSet>\n"

    x += "    <command:examples>\n"
    for ex in cmd["examples"]:
        x += (f"      <command:example>\n        <maml:title>-------------------------- {escape(ex['title'])} --------------------------</maml:title>\n"
              f"        <dev:code>{escape(ex['code'])}</dev:code>\n        <dev:remarks>\n{maml_paras(ex['remarks'], 10)}        </dev:remarks>\n"
              f"      </command:example>\n")
    x += "    </command:examples>\n"

    x += "    <command:relatedLinks>\n"
    for text, uri in cmd["links"]:
        uri = uri if uri.startswith("http") else ""
        x += (f"      <maml:navigationLink>\n        <maml:linkText>{escape(text)}</maml:linkText>\n"
              f"        <maml:uri>{escape(uri)}</maml:uri>\n      </maml:navigationLink>\n")
    x += "    </command:relatedLinks>\n"
    x += "  </command:command>\n"
    return x


def render():
    names = ORDER + sorted(p.stem for p in DOCS.glob("*-*.md") if p.stem not in ORDER)
    body = "".join(command_xml(parse(DOCS / f"{n}.md")) for n in names)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            "<!-- Generated from docs/help/*.md by tools/help/md2maml.py: edit the markdown, then run the script. -->\n"
            f'<helpItems schema="maml" xmlns="http://msh">\n{body}</helpItems>\n')


def main():
    xml = render()
    if "--check" in sys.argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != xml:
            print(f"{OUT} is out of date: run tools/help/md2maml.py", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(xml, encoding="utf-8")
    print(f"Wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
