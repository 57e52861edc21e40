"""The pydantic face of the model: one pydantic class per node class, made from the node's own declarations.

The compiler works on plain node classes (``values.Node``); what users see of the model — the JSON output
of ``build``, its JSON Schema (``dsspec schema``), validation of a dumped design — is pydantic, and is
made here, on first use, from the same annotations, defaults, aliases, docstrings and configuration,
so the two can never disagree. Each pydantic class is a module attribute named as its node class
(``typed.Spec``), and ``typed(node)`` returns the pydantic instance of a node tree.

Importing this module imports pydantic; only the commands that write JSON or a schema do.
"""

from __future__ import annotations

import datetime as dt  # noqa: F401 - the namespace the nodes' annotations (``dt.date``) are read in

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField

from dsspec.base.span import Span  # noqa: F401 - as above
from dsspec.compiler.model import nodes, values

_FACES: dict[type, type[BaseModel]] = {}


def _face(cls: type) -> type[BaseModel]:
    """Return (making it once) the pydantic class of the node class ``cls``, its bases' first."""
    made = _FACES.get(cls)
    if made is not None:
        return made
    base = BaseModel if cls is values.Node else _face(cls.__bases__[0])
    parent = cls.__bases__[0].__dict__.get("model_fields", {}) if cls is not values.Node else {}
    namespace: dict = {"__module__": __name__, "__qualname__": cls.__name__, "__annotations__": {}}
    if cls.__doc__:
        namespace["__doc__"] = cls.__doc__
    if "model_config" in cls.__dict__:
        namespace["model_config"] = ConfigDict(**cls.__dict__["model_config"], defer_build=True)
    for name, f in cls.model_fields.items():
        if name in parent:
            continue  # inherited, as declared on the base
        namespace["__annotations__"][name] = f.annotation
        if f.alias is not None:
            namespace[name] = PydanticField(**({} if f.default is values.REQUIRED else {"default": f.default}),
                                            alias=f.alias)
        elif f.default is not values.REQUIRED:
            namespace[name] = f.default
    made = _FACES[cls] = type(cls.__name__, (base,), namespace)
    globals()[cls.__name__] = made  # the namespace the next classes' annotations name it in
    return made


def _node_classes() -> list[type]:
    out = []
    for mod in (values, nodes):
        out += [c for c in vars(mod).values()
                if isinstance(c, type) and issubclass(c, values.Node) and c.__module__ == mod.__name__]
    return out


for _cls in _node_classes():
    _face(_cls)


def typed(x):
    """Return the pydantic form of ``x``: a node tree as instances of this module's classes (built without
    validation, as the compiler built the nodes), lists and dicts element by element, anything else as is."""
    if isinstance(x, values.Node):
        fields = type(x).model_fields
        return _FACES[type(x)].model_construct(**{(fields[k].alias or k) if k in fields else k: typed(v)
                                                  for k, v in x.__dict__.items()})
    if isinstance(x, list):
        return [typed(v) for v in x]
    if isinstance(x, dict):
        return {k: typed(v) for k, v in x.items()}
    return x
