"""Drive yaml-language-server headless over LSP stdio and print what an author's editor says.

yaml-language-server is what VS Code's YAML extension, Neovim's yamlls and most other editors
run. This script opens the shipped banks (in the checkout and laid out as installed), the
``new-bank`` scaffold (where it was written and after its folder moved), the docs' complete
example and broken copies of the scaffold, under ``yaml.yamlVersion`` 1.2 (the default) and 1.1,
and prints the diagnostics, the completion lists for ``type:`` and ``difficulty:``, and how many
of the scaffold's keys have a hover description.

Not a test (it needs Node.js and the server), a tool for checking the schema in a real editor::

    npm install --prefix /tmp/yls yaml-language-server@1.25
    .venv/bin/python benchmarks/tools/yls_probe.py [--server PATH-TO-yaml-language-server]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[2]
BROKEN: dict[str, Callable[[str], str]] = {
    "type: essay": lambda t: t.replace("type: true_false", "type: essay", 1),
    "refs: []": lambda t: t.replace("refs: [who1999]", "refs: []", 1),
    "difficulty: 0": lambda t: t.replace("difficulty: 1 ", "difficulty: 0 ", 1),
    "difficulty: 4": lambda t: t.replace("difficulty: 1 ", "difficulty: 4 ", 1),
    "a choice without text": lambda t: t.replace(
        "      - text: Finger abduction\n", "      - correct: false\n", 1
    ),
    "id: C5_Myotome": lambda t: t.replace("id: c5-myotome", "id: C5_Myotome", 1),
    "id: c5_myotome": lambda t: t.replace("id: c5-myotome", "id: c5_myotome", 1),
    "tpye: single": lambda t: t.replace("type: single", "tpye: single", 1),
    "one choice": lambda t: re.sub(r"      - text: Finger abduction\n(.*\n){3}", "", t, count=1),
    "bare on: key": lambda t: t.replace(
        "reviewed: []", "reviewed:\n  - {by: X, on: 2026-01-01}", 1
    ),
    'quoted "on": key': lambda t: t.replace(
        "reviewed: []", 'reviewed:\n  - {by: X, "on": 2026-01-01}', 1
    ),
}


class Server:
    """A yaml-language-server child process spoken to over JSON-RPC on its stdio."""

    def __init__(self, command: str, root: Path, yaml_version: str) -> None:
        self.settings = {
            "yaml": {
                "validate": True,
                "hover": True,
                "completion": True,
                "schemas": {},
                "yamlVersion": yaml_version,
                "schemaStore": {"enable": False},
            }
        }
        self.process = subprocess.Popen(
            [command, "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.pending: dict[int, queue.Queue[dict[str, Any]]] = {}
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self.changed = threading.Condition()
        self.last_id = 0
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()
        markdown = {"documentationFormat": ["markdown"], "snippetSupport": True}
        self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": "probe"}],
                "capabilities": {
                    "textDocument": {
                        "completion": {"completionItem": markdown},
                        "hover": {"contentFormat": ["markdown"]},
                    },
                    "workspace": {"configuration": True},
                },
            },
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})

    def _send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            headers = {}
            while (line := stream.readline().strip()) != b"":
                name, _, value = line.decode().partition(":")
                headers[name.lower()] = value.strip()
            if not headers:
                return
            message = json.loads(stream.read(int(headers["content-length"])))
            if "method" in message and "id" in message:  # a request from the server
                items = message["params"].get("items", [])
                result = [self.settings.get(item.get("section", ""), None) for item in items]
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            elif "id" in message:
                self.pending.pop(message["id"]).put(message)
            elif message.get("method") == "textDocument/publishDiagnostics":
                with self.changed:
                    self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
                    self.changed.notify_all()

    def request(self, method: str, params: Any) -> Any:
        self.last_id += 1
        answer: queue.Queue[dict[str, Any]] = queue.Queue()
        self.pending[self.last_id] = answer
        self._send({"jsonrpc": "2.0", "id": self.last_id, "method": method, "params": params})
        return answer.get(timeout=60).get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def open(self, path: Path) -> str:
        uri = path.resolve().as_uri()
        with self.changed:
            self.diagnostics.pop(uri, None)
        document = {"uri": uri, "languageId": "yaml", "version": 1, "text": path.read_text()}
        self.notify("textDocument/didOpen", {"textDocument": document})
        return uri

    def diagnose(self, path: Path) -> list[str]:
        uri = self.open(path)
        deadline = time.monotonic() + 30
        with self.changed:
            while uri not in self.diagnostics and time.monotonic() < deadline:
                self.changed.wait(0.2)
        time.sleep(0.7)  # published again once the schema has loaded
        return [
            f"{d['range']['start']['line'] + 1}:{d['range']['start']['character'] + 1}"
            f" {d['message']}"
            for d in self.diagnostics.get(uri, [])
        ]

    def complete(self, path: Path, line: int, column: int) -> list[str]:
        self.diagnose(path)
        position = {"line": line, "character": column}
        result = self.request(
            "textDocument/completion",
            {"textDocument": {"uri": path.resolve().as_uri()}, "position": position},
        )
        items = result["items"] if isinstance(result, dict) else result or []
        return sorted(item["label"] for item in items)

    def hover(self, uri: str, line: int, column: int) -> str:
        position = {"line": line, "character": column}
        result = self.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
        )
        contents = (result or {}).get("contents", "")
        text = contents.get("value", "") if isinstance(contents, dict) else str(contents)
        # The heading (the schema's title) and the "Source:" line are there for any key.
        return re.sub(r"^#### .*$|^Source: .*$", "", text, flags=re.MULTILINE).strip()

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=5)
        except Exception:
            self.process.kill()


def report(title: str, found: list[str]) -> int:
    print(f"  {title}: {len(found)}" + "".join(f"\n      {line}" for line in found[:4]))
    return len(found)


def probe(server: Server, work: Path, ims_quiz: Path) -> None:
    false_alarms = 0
    print(" valid files (every diagnostic is a false alarm):")
    for bank in sorted((REPO / "question_banks").glob("*.yaml")):
        false_alarms += report(f"question_banks/{bank.name}", server.diagnose(bank))
    installed = work / "site-packages" / "quiz" / "_shipped_banks"  # pyproject's force-include
    shutil.copytree(REPO / "question_banks", installed)
    first = sorted(installed.glob("*.yaml"))[0]
    false_alarms += report(f"installed {first.name}", server.diagnose(first))
    scaffold = work / "course" / "new.yaml"
    subprocess.run([str(ims_quiz), "new-bank", str(scaffold)], check=True, capture_output=True)
    false_alarms += report("new-bank scaffold", server.diagnose(scaffold))
    moved = work / "moved"
    shutil.copytree(scaffold.parent, moved)
    false_alarms += report("the scaffold's folder, moved", server.diagnose(moved / "new.yaml"))
    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(# yaml-language-server.*?)```", guide, re.DOTALL)
    if example:
        docs = scaffold.parent / "docs-example.yaml"
        docs.write_text(example.group(1), encoding="utf-8")
        false_alarms += report("docs/authoring.md's complete bank", server.diagnose(docs))
    print(f" false alarms on valid files: {false_alarms}")

    print(" broken copies of the scaffold (each should have exactly its one mistake):")
    text = scaffold.read_text(encoding="utf-8")
    for index, (name, breaks) in enumerate(BROKEN.items()):
        broken = scaffold.parent / f"broken-{index}.yaml"
        broken.write_text(breaks(text), encoding="utf-8")
        report(name, server.diagnose(broken))

    for index, (name, pattern) in enumerate(
        (
            ("type: in a question with choices", r"    type: single .*"),
            ("type: in a true_false question", r"    type: true_false.*"),
            ("difficulty:", r"    difficulty: 1 .*"),
        )
    ):
        key = pattern.split(":")[0] + ": "
        edited = re.sub(pattern, key, text, count=1)
        path = scaffold.parent / f"complete-{index}.yaml"  # a new name: the server caches
        path.write_text(edited, encoding="utf-8")
        line = edited.count("\n", 0, edited.index(key + "\n"))
        print(f" completion for {name} {server.complete(path, line, len(key))}")

    uri = server.open(scaffold)
    server.diagnose(scaffold)
    seen: dict[tuple[int, str], int] = {}
    map_keys = {"myotomes", "safety", "desk-worker", "moore-anatomy", "who1999"}
    for number, line in enumerate(text.splitlines()):
        match = re.match(r"^(\s*(?:- )?)([a-z_\"]+):", line)
        if match and match.group(2) not in map_keys:
            seen.setdefault((len(match.group(1)), match.group(2)), number)
    described, bare = [], []
    for (column, key), number in sorted(seen.items(), key=lambda item: item[1]):
        (described if server.hover(uri, number, column + 1) else bare).append(key)
    print(
        f" hover: {len(described)} of {len(seen)} scaffold keys described"
        + (f"; none on {', '.join(bare)}" if bare else "")
    )
    for key in ("prompt", "type"):
        number = next(n for (c, k), n in seen.items() if k == key and c == 4)
        print(f"   hover {key}: {server.hover(uri, number, 5)[:400]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--server", default="/tmp/yls/node_modules/.bin/yaml-language-server", type=str
    )
    parser.add_argument("--ims-quiz", default=str(Path(sys.executable).parent / "ims-quiz"))
    options = parser.parse_args()
    for version in ("1.2", "1.1"):
        print(f"===== yaml.yamlVersion {version}")
        with tempfile.TemporaryDirectory(prefix="yls-probe-") as folder:
            server = Server(options.server, Path(folder), version)
            try:
                probe(server, Path(folder), Path(options.ims_quiz))
            finally:
                server.close()


if __name__ == "__main__":
    main()
