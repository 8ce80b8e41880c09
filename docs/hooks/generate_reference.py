"""mkdocs hook: generates the reference pages of the docs site at build time, so they cannot drift.

- reference/cli.md: `arxivc --help` and `arxivc <command> --help` for every command the binary lists.
- reference/configuration.md: `arxivc config` (the composed default configuration), then every option of
  every config group under configs/: its file and what choosing it changes in the composed configuration.
- reference/http-api.md: the endpoints and schemas of the service's OpenAPI document
  (src/serve/openapi.json, the file compiled into the binary and served at /openapi.json), as Markdown;
  reference/redoc.html: the same document rendered by Redoc's standalone bundle (web/node_modules, installed
  by scripts/setup.sh), copied next to it with reference/openapi.json: nothing is fetched from a CDN.

The binary is $ARXIVC_BIN (default build/arxivc). The pages are written into build-docs/generated/ (ignored
by git) and added to the site's files; nothing is written into docs/. Loaded by mkdocs (`hooks:` in
mkdocs.yml, mkdocs >= 1.4).
"""

from __future__ import annotations

import difflib
import html
import json
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.generate_reference")

GENERATED_SUBDIR = Path("build-docs") / "generated"
# Everything the reference pages show comes from the repository, not from this machine's environment.
ENV_REMOVED = ("ARXIVC_DATA_DIR", "ARXIVC_CONFIG_DIR", "ARXIVC_API_KEY", "PORT")
# `run.dir` is interpolated with the time of the run; the reference shows the unresolved default instead.
NOW_PATTERN = re.compile(r"outputs/\d{4}-\d{2}-\d{2}/\d{2}-\d{2}-\d{2}")

_state: dict = {}


def _root(config) -> Path:
    return Path(config["config_file_path"]).resolve().parent


def _binary(root: Path) -> Path:
    value = os.environ.get("ARXIVC_BIN", "build/arxivc")
    path = Path(value)
    if not path.is_absolute():
        path = root / path
    if not path.is_file() or not os.access(path, os.X_OK):
        raise PluginError(
            f"generate_reference: the arxivc binary {path} does not exist or is not executable; "
            "build it first (`make build`, or `make docs`, which builds it) or point ARXIVC_BIN at one"
        )
    return path


def _run(binary: Path, args: list[str], root: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ENV_REMOVED}
    env["COLUMNS"] = "100"
    command = [str(binary), *args]
    try:
        result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise PluginError(f"generate_reference: `{' '.join(command)}` failed: {e}") from e
    if result.returncode != 0:
        raise PluginError(
            f"generate_reference: `{' '.join(command)}` exited with {result.returncode}:\n{result.stderr.strip()}"
        )
    return result.stdout


def _fence(text: str, lang: str = "text") -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}{lang}\n{text.rstrip()}\n{fence}\n"


# ---------------------------------------------------------------------------------------------------------
# CLI reference


def _commands(top_help: str) -> list[tuple[str, str]]:
    """The (name, description) pairs of the 'Subcommands:' section of CLI11's help."""
    commands = []
    in_section = False
    for line in top_help.splitlines():
        if line.strip().lower().startswith("subcommands"):
            in_section = True
            continue
        if in_section:
            if not line.strip():
                if commands:
                    break
                continue
            if not line.startswith(" "):
                break
            parts = line.strip().split(None, 1)
            commands.append((parts[0], parts[1].strip() if len(parts) > 1 else ""))
    return commands


def _cli_page(binary: Path, root: Path) -> str:
    version = _run(binary, ["--version"], root).strip()
    top = _run(binary, ["--help"], root)
    commands = _commands(top)
    if not commands:
        raise PluginError(f"generate_reference: found no commands in `{binary} --help`:\n{top}")
    out = [
        "# Command-line reference\n",
        f"Generated when this site was built, from `arxivc --help` and `arxivc <command> --help` of "
        f"`{version}`. Exit codes: `0` success, `1` failure at run time (bad data, I/O), `2` usage or "
        "configuration error. Every command also takes configuration overrides (`key=value`, "
        "see [Configuration](../configuration.md) and the [configuration reference](configuration.md)).\n",
        "| command | what |\n| --- | --- |\n"
        + "".join(f"| [`{name}`](#arxivc-{name}) | {desc} |\n" for name, desc in commands),
        "## `arxivc` {#arxivc}\n",
        _fence(top),
    ]
    for name, _ in commands:
        out.append(f"## `arxivc {name}` {{#arxivc-{name}}}\n")
        out.append(_fence(_run(binary, [name, "--help"], root)))
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------------
# Configuration reference


def _description(text: str) -> str:
    """The leading comment of a config file, without '#' and the '@package' directive."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        content = line[1:].strip()
        if content.startswith("@package"):
            continue
        lines.append(content)
    return " ".join(lines)


def _defaults(config_yaml: str) -> dict[str, str]:
    """group -> default option, from the defaults list of configs/config.yaml."""
    import yaml  # mkdocs depends on PyYAML

    data = yaml.safe_load(config_yaml) or {}
    chosen = {}
    for entry in data.get("defaults", []):
        if isinstance(entry, dict):
            for group, option in entry.items():
                chosen[str(group)] = str(option)
    return chosen


def _config_page(binary: Path, root: Path) -> str:
    config_dir = root / "configs"
    base_file = config_dir / "config.yaml"
    if not base_file.is_file():
        raise PluginError(f"generate_reference: {base_file} is missing")
    base_text = base_file.read_text(encoding="utf-8")
    defaults = _defaults(base_text)
    common = ["config", "--config-dir", str(config_dir)]
    composed = _run(binary, common, root)
    shown = NOW_PATTERN.sub("outputs/${now:%Y-%m-%d}/${now:%H-%M-%S}", composed)

    groups = sorted(p for p in config_dir.iterdir() if p.is_dir())
    out = [
        "# Configuration reference\n",
        "Generated when this site was built from `configs/` and `arxivc config`. How composition, "
        "overrides and interpolation work: [Configuration](../configuration.md).\n",
        "## Groups and options\n",
        "| group | options (default in bold) | choose with |\n| --- | --- | --- |\n"
        + "".join(
            f"| [`{g.name}`](#group-{g.name}) | "
            + ", ".join(
                (f"**`{p.stem}`**" if defaults.get(g.name) == p.stem else f"`{p.stem}`")
                for p in sorted(g.glob("*.yaml"))
            )
            + f" | `{g.name}=OPTION` |\n"
            for g in groups
        ),
        "## The composed default configuration {#composed}\n",
        "`arxivc config` with no overrides: the base file `configs/config.yaml` with the default option of "
        "each group merged in, interpolations resolved (environment variables such as `ARXIVC_DATA_DIR`, "
        "`PORT` and `ARXIVC_API_KEY` unset; `run.dir` is shown as its `${now:...}` pattern, which each run "
        "resolves to its start time).\n",
        _fence(shown, "yaml"),
        "## The base file: `configs/config.yaml` {#base}\n",
        _fence(base_text, "yaml"),
    ]
    for group in groups:
        out.append(f"## Group `{group.name}` {{#group-{group.name}}}\n")
        for option_file in sorted(group.glob("*.yaml")):
            option = option_file.stem
            text = option_file.read_text(encoding="utf-8")
            is_default = defaults.get(group.name) == option
            out.append(f"### `{group.name}={option}`" + (" (default)" if is_default else "")
                       + f" {{#{group.name}-{option.replace('_', '-')}}}\n")
            description = _description(text)
            if description:
                out.append(description + "\n")
            out.append(f"`configs/{group.name}/{option}.yaml`:\n")
            out.append(_fence(text, "yaml"))
            if is_default:
                continue
            changed = _run(binary, [*common, f"{group.name}={option}"], root)
            diff = list(
                difflib.unified_diff(
                    composed.splitlines(), changed.splitlines(), "default", f"{group.name}={option}",
                    n=2, lineterm="",
                )
            )
            diff = [NOW_PATTERN.sub("outputs/${now:%Y-%m-%d}/${now:%H-%M-%S}", line) for line in diff]
            if diff:
                out.append(f"What `arxivc config {group.name}={option}` changes in the composed "
                           "configuration:\n")
                out.append(_fence("\n".join(diff), "diff"))
            else:
                out.append("Composes to the same configuration as the default.\n")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------------
# HTTP API reference


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _resolve(document: dict, value: dict) -> dict:
    seen = 0
    while isinstance(value, dict) and "$ref" in value:
        ref = value["$ref"]
        if not ref.startswith("#/"):
            raise PluginError(f"generate_reference: external $ref {ref} in the OpenAPI document")
        node = document
        for part in ref[2:].split("/"):
            node = node[part]
        value = node
        seen += 1
        if seen > 32:
            raise PluginError(f"generate_reference: $ref cycle at {ref}")
    return value


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _type(schema: dict) -> str:
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return f"[`{name}`](#schema-{name.lower()})"
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return " or ".join(_type(s) for s in schema[key])
    if "allOf" in schema:
        return " and ".join(_type(s) for s in schema["allOf"])
    kind = schema.get("type", "any")
    if kind == "array":
        kind = f"array of {_type(schema.get('items', {}))}"
    elif kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        kind = f"object of {_type(schema['additionalProperties'])}"
    if "format" in schema:
        kind += f" ({schema['format']})"
    if schema.get("nullable"):
        kind += " or null"
    return kind


def _constraints(schema: dict) -> str:
    parts = []
    for key, label in (("minimum", "≥"), ("maximum", "≤")):
        if key in schema:
            parts.append(f"{label} {schema[key]}")
    for key in ("minItems", "maxItems", "minLength", "maxLength"):
        if key in schema:
            parts.append(f"{key} {schema[key]}")
    if "enum" in schema:
        parts.append("one of " + ", ".join(f"`{v}`" for v in schema["enum"]))
    if "default" in schema:
        parts.append(f"default `{json.dumps(schema['default'])}`")
    if "example" in schema:
        parts.append(f"example `{json.dumps(schema['example'], ensure_ascii=False)}`")
    return "; ".join(parts)


def _schema_section(name: str, schema: dict) -> list[str]:
    out = [f"### `{name}` {{#schema-{name.lower()}}}\n"]
    if schema.get("description"):
        out.append(schema["description"] + "\n")
    parts = schema.get("allOf", [schema])
    rows = []
    for part in parts:
        if "$ref" in part:
            out.append(f"All the fields of {_type(part)}, and:\n")
            continue
        required = set(part.get("required", []))
        for field, field_schema in part.get("properties", {}).items():
            rows.append(
                f"| `{field}` | {_type(field_schema)} | {'yes' if field in required else 'no'} | "
                f"{_cell(field_schema.get('description', ''))} | {_cell(_constraints(field_schema))} |"
            )
    if rows:
        out.append("| field | type | required | description | constraints |\n| --- | --- | --- | --- | --- |\n"
                   + "\n".join(rows) + "\n")
    elif "properties" not in schema and "allOf" not in schema:
        out.append(f"Type: {_type(schema)}.\n")
    return out


def _op_anchor(path: str, method: str, op: dict) -> str:
    name = op.get("operationId") or f"{method}-{path}"
    return "op-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _api_page(document: dict) -> str:
    info = document.get("info", {})
    out = [
        "# HTTP API reference\n",
        f"**{info.get('title', 'API')}**, version {info.get('version', '?')} (OpenAPI "
        f"{document.get('openapi', '?')}). Generated when this site was built from `src/serve/openapi.json`, "
        "the document compiled into `arxivc` and served by `arxivc serve` at `GET /openapi.json`. "
        "The same document rendered by Redoc: [interactive reference](redoc.html); the document itself: "
        "[openapi.json](openapi.json). How to run the service: [Serving](../serving.md).\n",
    ]
    if info.get("description"):
        out.append(info["description"] + "\n")
    schemes = document.get("components", {}).get("securitySchemes", {})
    if schemes:
        out.append("Authentication: " + "; ".join(
            f"`{name}` ({scheme.get('type')} {scheme.get('scheme', '')}".rstrip() + f"): {scheme.get('description', '')}"
            for name, scheme in schemes.items()) + ".\n")

    operations = []
    for path, item in document.get("paths", {}).items():
        for method, op in item.items():
            if method in ("get", "put", "post", "delete", "patch", "head", "options") and isinstance(op, dict):
                operations.append((path, method, op, item.get("parameters", [])))
    if not operations:
        raise PluginError("generate_reference: the OpenAPI document has no operations")

    out.append("## Endpoints\n")
    out.append("| method | path | summary |\n| --- | --- | --- |\n" + "".join(
        f"| `{m.upper()}` | [`{p}`](#{_op_anchor(p, m, op)}) | {_cell(op.get('summary', ''))} |\n"
        for p, m, op, _ in operations))

    tags = [t["name"] for t in document.get("tags", [])]
    for p, m, op, _ in operations:
        for t in op.get("tags", ["other"]):
            if t not in tags:
                tags.append(t)
    tag_descriptions = {t["name"]: t.get("description", "") for t in document.get("tags", [])}
    global_security = document.get("security", [])
    for tag in tags:
        ops = [o for o in operations if tag in o[2].get("tags", ["other"])]
        if not ops:
            continue
        out.append(f"## {tag.capitalize()}\n")
        if tag_descriptions.get(tag):
            out.append(tag_descriptions[tag] + ".\n")
        for path, method, op, path_params in ops:
            anchor = _op_anchor(path, method, op)
            out.append(f"### `{method.upper()} {path}` {{#{anchor}}}\n")
            if op.get("summary"):
                out.append(op["summary"] + ".\n")
            if op.get("description"):
                out.append(op["description"] + "\n")
            security = op.get("security", global_security)
            if not security:
                out.append("Authentication: none.\n")
            elif {} in security:
                out.append("Authentication: `Authorization: Bearer <key>` when the service has an API key.\n")
            else:
                out.append("Authentication: `Authorization: Bearer <key>` (required).\n")
            params = [_resolve(document, p) for p in [*path_params, *op.get("parameters", [])]]
            if params:
                out.append("| parameter | in | type | required | description |\n| --- | --- | --- | --- | --- |\n"
                           + "".join(
                               f"| `{p['name']}` | {p['in']} | {_type(p.get('schema', {}))} | "
                               f"{'yes' if p.get('required') else 'no'} | {_cell(p.get('description', ''))} |\n"
                               for p in params))
            body = op.get("requestBody")
            if body:
                body = _resolve(document, body)
                for media, content in body.get("content", {}).items():
                    out.append(f"Request body ({'required' if body.get('required') else 'optional'}), "
                               f"`{media}`: {_type(content.get('schema', {}))}.\n")
            rows = []
            for status, response in op.get("responses", {}).items():
                resolved = _resolve(document, response)
                media = ", ".join(
                    f"`{media_type}` {_type(c.get('schema', {}))}"
                    for media_type, c in resolved.get("content", {}).items()
                )
                headers = ", ".join(f"`{h}`" for h in resolved.get("headers", {}))
                rows.append(f"| {status} | {_cell(resolved.get('description', ''))} | {media} | {headers} |")
            out.append("| status | meaning | body | headers |\n| --- | --- | --- | --- |\n" + "\n".join(rows) + "\n")

    schemas = document.get("components", {}).get("schemas", {})
    if schemas:
        out.append("## Schemas\n")
        for name, schema in schemas.items():
            out.extend(_schema_section(name, schema))
    headers = document.get("components", {}).get("headers", {})
    if headers:
        out.append("## Response headers\n")
        out.append("| header | type | description |\n| --- | --- | --- |\n" + "".join(
            f"| `{name}` | {_type(h.get('schema', {}))} | {_cell(h.get('description', ''))} |\n"
            for name, h in headers.items()))
    return "\n".join(out)


REDOC_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <!-- Generated by docs/hooks/generate_reference.py. Nothing is loaded from elsewhere: Redoc's bundle and
       the document are in this site (the document inlined, so the page also works from file://). The
       policy blocks the logo that Redoc's sidebar would load from Redocly's servers; Redoc needs inline
       styles and a worker from a blob: URL. -->
  <meta http-equiv="Content-Security-Policy"
        content="default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; font-src 'self' data:; connect-src 'self'">
  <title>__TITLE__</title>
  <style>
    body { margin: 0; }
    .fallback { font-family: system-ui, sans-serif; padding: 2rem; }
  </style>
</head>
<body>
  <p class="fallback"><a href="http-api/">&larr; back to the documentation</a></p>
  <div id="redoc-container"><p class="fallback">Loading the API reference...</p></div>
  <script id="openapi-document" type="application/json">__DOCUMENT__</script>
  <script src="redoc.standalone.js"></script>
  <script>
    (function () {
      var container = document.getElementById('redoc-container');
      function fail(message) {
        container.innerHTML = '';
        var p = document.createElement('p');
        p.className = 'fallback';
        p.setAttribute('role', 'alert');
        p.textContent = message + ' The raw document is openapi.json, next to this page.';
        container.appendChild(p);
      }
      if (typeof Redoc === 'undefined') { fail('The Redoc bundle did not load.'); return; }
      var spec = JSON.parse(document.getElementById('openapi-document').textContent);
      Redoc.init(spec, {
        hideDownloadButton: true,
        expandResponses: '200,400',
        pathInMiddlePanel: true
      }, container, function (error) {
        if (error) fail('Could not render the API reference: ' + (error.message || error));
      });
    })();
  </script>
</body>
</html>
"""


def _redoc_page(document: dict, use_directory_urls: bool) -> str:
    # Inside <script>, "</" could close the element: JSON allows escaping "/" as "\/".
    inline = json.dumps(document, ensure_ascii=False).replace("</", "<\\/")
    back = "http-api/" if use_directory_urls else "http-api.html"
    page = REDOC_PAGE.replace("__TITLE__", html.escape(document.get("info", {}).get("title", "API reference")))
    page = page.replace('href="http-api/"', f'href="{back}"')
    return page.replace("__DOCUMENT__", inline)


# ---------------------------------------------------------------------------------------------------------
# mkdocs events


def on_config(config):
    root = _root(config)
    binary = _binary(root)
    out_dir = root / GENERATED_SUBDIR
    if out_dir.exists():
        shutil.rmtree(out_dir)
    reference = out_dir / "reference"
    reference.mkdir(parents=True)

    openapi_file = root / "src" / "serve" / "openapi.json"
    redoc_bundle = root / "web" / "node_modules" / "redoc" / "bundles" / "redoc.standalone.js"
    if not redoc_bundle.is_file():
        raise PluginError(
            f"generate_reference: {redoc_bundle} is missing; install the web page's npm packages with "
            "`bash scripts/setup.sh` (it runs `npm ci --prefix web`)"
        )
    try:
        document = json.loads(openapi_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise PluginError(f"generate_reference: cannot read the OpenAPI document {openapi_file}: {e}") from e

    pages = {
        "reference/cli.md": _cli_page(binary, root),
        "reference/configuration.md": _config_page(binary, root),
        "reference/http-api.md": _api_page(document),
        "reference/redoc.html": _redoc_page(document, config["use_directory_urls"]),
    }
    for name, text in pages.items():
        (out_dir / name).write_text(text, encoding="utf-8")
    shutil.copyfile(openapi_file, reference / "openapi.json")
    shutil.copyfile(redoc_bundle, reference / "redoc.standalone.js")
    license_file = redoc_bundle.with_name("redoc.standalone.js.LICENSE.txt")
    if license_file.is_file():
        shutil.copyfile(license_file, reference / "redoc.standalone.js.LICENSE.txt")
    _state["out_dir"] = out_dir
    log.info("generate_reference: wrote the reference pages into %s with %s", out_dir, binary)
    return config


def on_files(files, config):
    out_dir = _state["out_dir"]
    # The hooks themselves live in docs/hooks/ but are not part of the site.
    for f in list(files):
        if f.src_uri.startswith("hooks/"):
            files.remove(f)
    for path in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(out_dir).as_posix()
        if files.get_file_from_path(rel) is not None:
            raise PluginError(f"generate_reference: docs/{rel} exists, but {rel} is generated; remove docs/{rel}")
        files.append(File(rel, str(out_dir), config["site_dir"], config["use_directory_urls"]))
    return files
