"""Read the Dockerfile and reproduce the image's file layout in a folder, without
Docker: each stage gets its own root folder; COPY copies exactly what it names
(from the build context, less .dockerignore, or from an earlier stage); RUN runs
its commands with the stage's ENV in its WORKDIR; absolute paths inside the
image are mapped under the stage's root. A `python:` base image is stood in for
by a fresh virtual environment at ROOT/usr/local (this interpreter's Python), a
`node:` one by the machine's node and npm.

It understands the subset the Dockerfile keeps to (its header says so) and fails
loudly on anything else, so that a change to the Dockerfile cannot slip past the
test unread. What it cannot do, it says: it skips `useradd`/`groupadd` (the
test runs the server as that user id instead, when it runs as root).
"""

from __future__ import annotations

import fnmatch
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SYSTEM_PATH = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
SKIPPED = {"useradd", "groupadd"}
"""Commands that change the system's users: not run here (the test is not a container)."""
NOT_HERE = {"--no-cache-dir"}
"""Options dropped when run here: pip's cache only makes the test faster."""


@dataclass
class Instruction:
    keyword: str
    text: str
    line: int


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[Instruction] = field(default_factory=list)


def parse(path: Path) -> list[Stage]:
    """The Dockerfile's stages and their instructions (continuations joined)."""
    logical: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue  # a comment inside a continued instruction
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        logical.append((start, pending + line))
        pending = ""
    assert not pending, f"{path}: ends inside a continued line"

    stages: list[Stage] = []
    for number, text in logical:
        keyword, _, rest = text.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            found = re.fullmatch(r"(\S+)(?:\s+AS\s+(\S+))?", rest.strip(), re.IGNORECASE)
            assert found, f"line {number}: FROM {rest}"
            stages.append(Stage(found.group(2) or str(len(stages)), found.group(1)))
            continue
        allowed = {"WORKDIR", "COPY", "RUN", "ENV", "USER", "EXPOSE", "HEALTHCHECK", "CMD"}
        assert keyword in allowed, f"line {number}: {keyword} is not understood by this test"
        assert stages, f"line {number}: {keyword} before FROM"
        stages[-1].instructions.append(Instruction(keyword, rest.strip(), number))
    return stages


def exec_form(text: str) -> list[str]:
    """CMD ["a", "b"]: the JSON (exec) form, the only one this test accepts."""
    argv = json.loads(text)
    assert isinstance(argv, list), text
    assert all(isinstance(a, str) for a in argv), text
    return argv


def healthcheck_command(text: str) -> list[str]:
    _options, sep, command = text.partition("CMD ")
    assert sep, f"HEALTHCHECK without CMD: {text}"
    return exec_form(command)


class DockerIgnore:
    """The .dockerignore patterns this project uses: plain paths, globs, `**/`."""

    def __init__(self, context: Path) -> None:
        file = context / ".dockerignore"
        lines = file.read_text().splitlines() if file.exists() else []
        self.patterns = [p.strip().rstrip("/") for p in lines if p.strip() and p[0] != "#"]
        assert not any(p.startswith("!") for p in self.patterns), "exceptions (!) unsupported"

    def ignored(self, relative: str) -> bool:
        parts = relative.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        for pattern in self.patterns:
            if pattern.startswith("**/"):
                tail = pattern[3:]
                if any(fnmatch.fnmatchcase(part, tail) for part in parts):
                    return True
            elif any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes):
                return True
        return False


class Image:
    """The stages of one Dockerfile, reproduced under `workspace`."""

    def __init__(self, dockerfile: Path, context: Path, workspace: Path) -> None:
        self.stages = parse(dockerfile)
        self.context = context
        self.workspace = workspace
        self.ignore = DockerIgnore(context)
        self.roots: dict[str, Path] = {}
        self.env: dict[str, dict[str, str]] = {}
        self.workdir: dict[str, str] = {}
        self.user: dict[str, str] = {}
        self.skipped: list[str] = []
        self.log: list[str] = []

    @property
    def final(self) -> Stage:
        return self.stages[-1]

    def chain(self, stage: Stage) -> list[Stage]:
        """The stage and the stages it is built FROM, base first."""
        parent = next((s for s in self.stages if s.name == stage.base), None)
        return ([*self.chain(parent)] if parent else []) + [stage]

    def instructions(self, stage: Stage, keyword: str) -> list[str]:
        return [i.text for s in self.chain(stage) for i in s.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> str:
        """The final stage's (inherited) setting, as Docker takes the last one."""
        found = self.instructions(self.final, keyword)
        assert found, f"the final stage has no {keyword}"
        return found[-1]

    def build(self) -> None:
        """Build the final stage and the stages it copies from, in file order."""
        needed = {self.final.name}
        for stage in reversed(self.stages):
            if stage.name in needed:
                for text in self.instructions(stage, "COPY"):
                    found = re.search(r"--from=(\S+)", text)
                    if found:
                        needed.add(found.group(1))
        for stage in self.stages:
            if stage.name not in needed:
                continue
            root = self.workspace / stage.name
            root.mkdir(parents=True)
            self.roots[stage.name] = root
            self.env[stage.name] = {}
            self.workdir[stage.name] = "/"
            self._replay(stage, stage.name)

    def _replay(self, stage: Stage, into: str) -> None:
        """Run `stage` (after its base) into the root of stage `into`."""
        parent = next((s for s in self.stages if s.name == stage.base), None)
        if parent is not None:
            self._replay(parent, into)
        else:
            self._base_image(stage.base, into)
        for instruction in stage.instructions:
            self.log.append(f"[{into}] {instruction.keyword} {instruction.text}")
            getattr(self, "_" + instruction.keyword.lower())(instruction.text, into)

    def _base_image(self, image: str, into: str) -> None:
        root, env = self.roots[into], self.env[into]
        assert re.fullmatch(r"[\w.-]+:\d[\w.-]*", image), f"{image}: pin an exact tag"
        if image.startswith("python:"):
            local = root / "usr" / "local"
            subprocess.run([sys.executable, "-m", "venv", str(local)], check=True)
            env["PATH"] = ":".join([str(local / "bin"), *SYSTEM_PATH])
        elif image.startswith("node:"):
            node, npm = shutil.which("node"), shutil.which("npm")
            assert node, "node is needed for a node: stage"
            assert npm, "npm is needed for a node: stage"
            dirs = dict.fromkeys([str(Path(node).parent), str(Path(npm).parent)])
            env["PATH"] = ":".join([*dirs, *SYSTEM_PATH])
        else:
            raise AssertionError(f"{image}: no stand-in for this base image")
        env["HOME"] = str(root / "root")
        (root / "root").mkdir(exist_ok=True)

    def inside(self, stage: str, path: str) -> Path:
        """Where an absolute image path of `stage` is here."""
        assert path.startswith("/"), path
        return self.roots[stage] / path.lstrip("/")

    def _resolve(self, stage: str, path: str) -> Path:
        if path.startswith("/"):
            return self.inside(stage, path)
        return self.inside(stage, self.workdir[stage]) / path

    def _expand(self, text: str, stage: str) -> str:
        env = self.env[stage]

        def value(match: re.Match[str]) -> str:
            name = match.group(1) or match.group(2)
            assert name in env, f"${name} is not set in stage {stage}"
            return env[name]

        return re.sub(r"\$\{(\w+)\}|\$(\w+)", value, text)

    def _workdir(self, text: str, stage: str) -> None:
        path = self._expand(text, stage)
        assert path.startswith("/"), f"WORKDIR {path}: use an absolute path"
        self.workdir[stage] = path
        self.inside(stage, path).mkdir(parents=True, exist_ok=True)

    def _env(self, text: str, stage: str) -> None:
        for pair in shlex.split(text):
            name, sep, raw = pair.partition("=")
            assert sep, f"ENV {pair}: use NAME=value"
            parts = []
            for part in raw.split(":"):
                if part.startswith("$"):
                    parts.append(self._expand(part, stage))
                elif part.startswith("/"):
                    parts.append(str(self.inside(stage, part)))
                else:
                    parts.append(part)
            self.env[stage][name] = ":".join(parts)

    def _user(self, text: str, stage: str) -> None:
        self.user[stage] = text

    def _expose(self, text: str, stage: str) -> None:
        pass

    def _healthcheck(self, text: str, stage: str) -> None:
        healthcheck_command(text)

    def _cmd(self, text: str, stage: str) -> None:
        exec_form(text)

    def _copy(self, text: str, stage: str) -> None:
        words = shlex.split(text)
        source_stage = None
        while words and words[0].startswith("--"):
            option = words.pop(0)
            assert option.startswith("--from="), f"COPY {option} is not understood"
            source_stage = option.removeprefix("--from=")
        *sources, destination = words
        assert sources, f"COPY {text}"
        target = self._resolve(stage, destination)
        into_folder = destination.endswith("/") or len(sources) > 1
        for source in sources:
            if source_stage is not None:
                assert source.startswith("/"), f"COPY --from: {source} must be absolute"
                matches = [Path(p) for p in glob.glob(str(self.inside(source_stage, source)))]
            else:
                assert not source.startswith("/"), f"COPY {source}: inside the context"
                assert ".." not in source.split("/"), f"COPY {source}: inside the context"
                matches = [Path(p) for p in glob.glob(str(self.context / source))]
            assert matches, f"COPY {source}: nothing to copy"
            for match in matches:
                self._copy_one(match, target, into_folder, source_stage is None)

    def _copy_one(self, source: Path, target: Path, into_folder: bool, from_context: bool) -> None:
        if source.is_dir() and not source.is_symlink():
            # Docker copies a folder's contents, keeping symlinks as symlinks.
            target.mkdir(parents=True, exist_ok=True)
            for path in sorted(source.rglob("*")):
                relative = path.relative_to(source)
                if from_context and self.ignore.ignored(str(path.relative_to(self.context))):
                    continue
                destination = target / relative
                if path.is_symlink():
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    destination.symlink_to(os.readlink(path))
                elif path.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                else:
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, destination)
            return
        if from_context:
            assert not self.ignore.ignored(str(source.relative_to(self.context))), source
        destination = target / source.name if into_folder else target
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            destination.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, destination)

    def _run(self, text: str, stage: str) -> None:
        assert not re.search(r"[|;<>`]|\|\||\$\(", text), f"RUN {text}: keep to cmd && cmd"
        for command in text.split("&&"):
            argv = shlex.split(self._expand(command, stage))
            if argv[0] in SKIPPED:
                self.skipped.append(shlex.join(argv))
                continue
            argv = [a for a in argv if a not in NOT_HERE]
            mapped: list[str] = []
            for word in argv:
                if word.startswith("/") and not word.startswith(str(self.workspace)):
                    word = str(self.inside(stage, word))
                if any(c in word for c in "*?["):
                    found = sorted(glob.glob(word))
                    assert found, f"RUN: {word} matches nothing"
                    mapped += found
                else:
                    mapped.append(word)
            env = self.env[stage]
            program = shutil.which(mapped[0], path=env["PATH"])
            assert program, f"RUN: {mapped[0]} is not on the stage's PATH"
            cwd = self.inside(stage, self.workdir[stage])
            result = subprocess.run(
                [program, *mapped[1:]],
                cwd=cwd,
                env=env,
                capture_output=True,
                text=True,
                check=False,
                timeout=600,
            )
            self.log.append(result.stdout[-2000:] + result.stderr[-4000:])
            assert result.returncode == 0, "\n".join(self.log)

    def container_argv(self, argv: list[str]) -> list[str]:
        """A command of the final stage, its program found on the image's PATH."""
        program = shutil.which(argv[0], path=self.env[self.final.name]["PATH"])
        assert program, f"{argv[0]} is not on the image's PATH"
        return [program, *argv[1:]]
