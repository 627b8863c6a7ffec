"""Checks HTTP responses against docs/openapi.json: the status must be documented for the
operation, the content type must be one it lists, documented headers that are required must be
there, and a JSON body must match its schema (a small JSON Schema validator: type, enum, const,
required, properties, additionalProperties, items, bounds, lengths, $ref)."""

import json
import os
import re

DOC_PATH = os.path.join(os.path.dirname(__file__), "../../docs/openapi.json")
with open(DOC_PATH) as f:
    DOC = json.load(f)


class ContractError(AssertionError):
    pass


def _resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        target = DOC
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _type_ok(value, name):
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "string":
        return isinstance(value, str)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    raise ContractError(f"unknown type {name}")


def validate(value, schema, where="$"):
    """Raises ContractError naming the first place where value breaks schema."""
    schema = _resolve(schema)
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else types
        if not any(_type_ok(value, t) for t in names):
            raise ContractError(f"{where}: {json.dumps(value)[:80]} is not of type {types}")
    if "enum" in schema and value not in schema["enum"]:
        raise ContractError(f"{where}: {value!r} is not one of {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        raise ContractError(f"{where}: {value!r} is not {schema['const']!r}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise ContractError(f"{where}: {value} < minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            raise ContractError(f"{where}: {value} > maximum {schema['maximum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 1 << 62):
            raise ContractError(f"{where}: length {len(value)} outside the schema's bounds")
        if schema.get("format") == "date-time" and not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", value):
            raise ContractError(f"{where}: {value!r} is not an RFC 3339 date-time")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", 1 << 62):
            raise ContractError(f"{where}: {len(value)} items outside the schema's bounds")
        if "items" in schema:
            for i, item in enumerate(value):
                validate(item, schema["items"], f"{where}[{i}]")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                raise ContractError(f"{where}: required property {name!r} is missing")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in props:
                validate(item, props[name], f"{where}.{name}")
            elif extra is False:
                raise ContractError(f"{where}: property {name!r} is not in the schema")
            elif isinstance(extra, dict):
                validate(item, extra, f"{where}.{name}")


_ROUTES = []
for _path, _item in DOC["paths"].items():
    _rx = re.compile("^" + re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(_path)) + "$")
    _ROUTES.append((_rx, _path, _item))


def operation(method, path):
    """The documented operation for a request, or None when the path is not documented."""
    path = path.split("?", 1)[0]
    method = "get" if method.upper() == "HEAD" else method.lower()
    for rx, template, item in _ROUTES:
        if rx.match(path):
            return template, item.get(method)
    return None, None


def check_response(method, path, status, headers, body):
    """Raises ContractError when a response breaks the document. headers: lower-cased names."""
    template, op = operation(method, path)
    ctype = headers.get("content-type", "")
    if template is None or op is None or method.upper() == "OPTIONS":
        # Not an operation: the router's 404 or 405 (or a preflight), always problem+json or empty.
        if status >= 400 and ctype != "application/problem+json":
            raise ContractError(f"{method} {path}: {status} without problem+json")
        return
    responses = op["responses"]
    response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
    if response is None:
        raise ContractError(f"{method} {template}: status {status} is not documented")
    response = _resolve(response)
    for name, header in response.get("headers", {}).items():
        header = _resolve(header)
        if name == "X-Request-Id" and name.lower() not in headers:
            raise ContractError(f"{method} {template} {status}: no {name} header")
    content = response.get("content")
    if not content or status in (204, 304) or method.upper() == "HEAD":
        return
    media = ctype.split(";", 1)[0].strip()
    if media not in content:
        raise ContractError(f"{method} {template} {status}: content type {ctype!r} not in {sorted(content)}")
    if media.endswith("json") and body:
        validate(json.loads(body), content[media].get("schema", {}), f"{method} {template} {status} $")
