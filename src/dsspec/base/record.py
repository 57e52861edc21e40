"""Records: classes of named fields declared by annotation, for the types a warm run makes before the compiler.

A warm ``check`` answers from the cache, and its findings, configuration and results are the only classes
it makes. As dataclasses they cost it more than anything else it imports: ``dataclasses`` loads ``inspect``
(with ``ast``, ``dis`` and ``tokenize``), about a tenth of a warm run over a thousand specs. ``record`` makes
what those classes use of a dataclass, the same way (methods compiled from generated source): ``__init__``
with defaults and factories and a call of ``__post_init__``, field equality (``compare``), a hash when frozen
(``hash``), the dataclass ``repr``, ``__slots__``, and pickling (``--jobs`` sends results between processes).
ClassVar annotations are the class's, not fields. ``replace`` and ``fields`` are ``dataclasses.replace``
and ``dataclasses.fields`` without loading ``dataclasses``; the module's own functions take a record too (its
``__dataclass_fields__`` is made when first asked). The rest of the code uses dataclasses where they are loaded
anyway.
"""

from __future__ import annotations

_MISSING = object()


class FrozenInstanceError(AttributeError):
    """A field of a frozen record was assigned or deleted."""


class _Field:
    __slots__ = ("default", "factory", "repr", "compare", "hash")

    def __init__(self, default, factory, repr_: bool = True, compare: bool = True, hash_: bool | None = None):
        self.default, self.factory, self.repr, self.compare = default, factory, repr_, compare
        self.hash = compare if hash_ is None else hash_


def field(*, default=_MISSING, default_factory=_MISSING, repr: bool = True,  # noqa: A002 - dataclasses' names
          compare: bool = True, hash: bool | None = None):  # noqa: A002
    """Declare a field with a default made by ``default_factory`` at each construction, or kept out of ``repr``,
    equality (``compare``) or the hash, as ``dataclasses.field`` does."""
    return _Field(default, default_factory, repr, compare, hash)


def record(cls=None, *, frozen: bool = False, slots: bool = False):
    """Make ``cls`` a record of the fields its own annotations declare, in their order (``@record`` or
    ``@record(frozen=True, slots=True)``)."""
    def wrap(c):
        return _make(c, frozen, slots)
    return wrap if cls is None else wrap(cls)


def named(cls):
    """Make ``cls`` a named tuple of the fields its annotations declare, with its defaults, methods and
    docstring: ``typing.NamedTuple`` without importing ``typing`` (a ``collections.namedtuple`` subclass)."""
    from collections import namedtuple

    own = cls.__dict__
    names = tuple(own.get("__annotations__", {}))
    defaults = [own[name] for name in names if name in own]
    if defaults and any(name not in own for name in names[len(names) - len(defaults):]):
        raise TypeError(f"{cls.__name__}: a field without a default follows one with a default")
    base = namedtuple(cls.__name__, names, defaults=defaults or None, module=cls.__module__)
    body = {k: v for k, v in own.items() if k not in names and k not in ("__dict__", "__weakref__")}
    body["__slots__"] = ()
    made = type(cls.__name__, (base,), body)
    made.__qualname__ = cls.__qualname__
    return made


def fields(cls_or_record) -> tuple[str, ...]:
    """Return the names of a record's fields, in order."""
    return cls_or_record.__record_fields__


def replace(obj, /, **changes):
    """Return a copy of the record ``obj`` with ``changes``; a name that is not a field raises ``TypeError``."""
    values = {name: getattr(obj, name) for name in obj.__record_fields__}
    values.update(changes)
    return type(obj)(**values)


class _DataclassFields:
    """A record's ``__dataclass_fields__``, made on first use, so ``dataclasses.replace``, ``fields``, ``asdict``
    and ``is_dataclass`` take a record as they take a dataclass (users of ``dsspec.api`` may call them on a
    finding), and only code that asks loads ``dataclasses``."""

    def __init__(self, specs: dict, annotations: dict):
        self.specs, self.annotations, self.made = specs, annotations, None

    def __get__(self, obj, cls=None) -> dict:
        if self.made is None:
            import dataclasses

            made = {}
            for name, spec in self.specs.items():
                options: dict = {"repr": spec.repr, "compare": spec.compare, "hash": spec.hash}
                if spec.factory is not _MISSING:
                    options["default_factory"] = spec.factory
                elif spec.default is not _MISSING:
                    options["default"] = spec.default
                made[name] = f = dataclasses.field(**options)
                f.name, f.type = name, self.annotations.get(name)
                f._field_type = dataclasses._FIELD  # what @dataclass marks a plain field with (``fields`` keeps only those)
            self.made = made
        return self.made


def _getter(names: tuple[str, ...]):
    """Return a function of a record giving the tuple of its fields ``names`` (``operator.attrgetter``, in C)."""
    from operator import attrgetter

    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names) if names else (lambda obj: ())


def _repr(self) -> str:
    return f"{self.__class__.__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.__record_shown__)})"


def _eq(self, other):
    if other.__class__ is self.__class__:
        values = self.__record_compared__
        return values(self) == values(other)
    return NotImplemented


def _hash(self) -> int:
    return hash(self.__record_hashed__(self))


def _reduce(self):
    return self.__class__, self.__record_values__(self)


def _setattr(self, name, value):
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self, name):
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _make(cls, frozen: bool, slots: bool):
    own = cls.__dict__
    annotations = own.get("__annotations__", {})
    names = tuple(name for name, kind in annotations.items()  # a ClassVar is the class's, as in a dataclass
                  if not (isinstance(kind, str) and kind.startswith(("ClassVar", "typing.ClassVar"))))
    specs = {}
    for base in reversed(cls.__mro__[1:]):  # a record's fields come after those of the records it extends
        specs.update(base.__dict__.get("__record_specs__", {}))
    inherited = set(specs)
    for name in names:
        value = own.get(name, _MISSING)
        specs[name] = value if isinstance(value, _Field) else _Field(value, _MISSING)
    names = tuple(specs)
    body = dict(own)
    for name in names:
        body.pop(name, None)
    body.pop("__dict__", None)  # the first class's own descriptors: the class made below gets its own
    body.pop("__weakref__", None)
    if slots:
        body["__slots__"] = tuple(name for name in names if name not in inherited)
    scope: dict = {"_MISSING": _MISSING, "_set": object.__setattr__}
    params, lines, defaulted = [], [], False
    for name, spec in specs.items():
        if spec.factory is not _MISSING:
            scope[f"_factory_{name}"] = spec.factory
            params.append(f"{name}=_MISSING")
            defaulted = True
            value = f"_factory_{name}() if {name} is _MISSING else {name}"
        elif spec.default is not _MISSING:
            scope[f"_default_{name}"] = spec.default
            params.append(f"{name}=_default_{name}")
            defaulted = True
            value = name
        else:
            if defaulted:
                raise TypeError(f"{cls.__name__}: field `{name}` without a default follows one with a default")
            params.append(name)
            value = name
        lines.append(f"    _set(self, {name!r}, {value})" if frozen else f"    self.{name} = {value}")
    if "__post_init__" in dir(cls):
        lines.append("    self.__post_init__()")
    exec(f"def __init__(self, {', '.join(params)}):\n" + "\n".join(lines or ["    pass"]), scope)  # noqa: S102
    # Only __init__ is compiled (as dataclasses does, from source: it runs for every instance). The other
    # methods are shared and read the class's field getters: compiling them for each class cost a compiling run
    # more than a millisecond.
    body["__record_shown__"] = tuple(name for name, spec in specs.items() if spec.repr)
    body["__record_compared__"] = staticmethod(_getter(tuple(name for name, spec in specs.items() if spec.compare)))
    methods = {"__init__": scope["__init__"], "__repr__": _repr, "__eq__": _eq}
    if slots:  # no __dict__ to pickle, and a frozen record refuses the setattr that would restore its slots
        body["__record_values__"] = staticmethod(_getter(names))
        methods["__reduce__"] = _reduce
    if frozen:
        body["__record_hashed__"] = staticmethod(_getter(tuple(name for name, spec in specs.items() if spec.hash)))
        methods.update(__hash__=_hash, __setattr__=_setattr, __delattr__=_delattr)
    for method, function in methods.items():
        if method in own:
            continue  # the class wrote its own
        if method == "__init__":
            function.__qualname__ = f"{cls.__qualname__}.__init__"
        body[method] = function
    if not frozen:
        body["__hash__"] = None  # equal by value and mutable: unhashable, as a dataclass is
    body["__record_fields__"] = names
    body["__record_specs__"] = specs
    body["__dataclass_fields__"] = _DataclassFields(specs, own.get("__annotations__", {}))
    made = type(cls)(cls.__name__, cls.__bases__, body)
    made.__qualname__ = cls.__qualname__
    return made
