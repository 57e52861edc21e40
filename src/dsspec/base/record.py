"""Records: classes of named fields declared by annotation, the dataclass subset dsspec's own classes use.

A warm ``check`` answers from the cache, and its findings, configuration and results are the only classes
it makes. As dataclasses they cost it more than anything else it imported: ``dataclasses`` loads ``inspect``
(with ``ast``, ``dis`` and ``tokenize``), about a tenth of a warm run over a thousand specs; a compiling run
declares some twenty such classes. ``record`` gives them what a dataclass gives, the same way where it
matters: ``__init__`` compiled from generated source (defaults, factories, ``__post_init__``), equality over
the ``compare`` fields, a hash over the ``hash`` fields when frozen (``dataclasses.FrozenInstanceError`` on
assignment), the dataclass ``repr``, ``__match_args__``, ``__slots__`` (the class is then made anew, with its
``super()`` cells pointed at it) and pickling; a class without slots is changed in place and keeps plain
defaults as class attributes. ClassVars are not fields, and a record extending a record has its fields first.
``dataclasses.replace``, ``fields``, ``asdict`` and ``is_dataclass`` take a record (its
``__dataclass_fields__`` is made when first asked); ``replace`` and ``fields`` here do the same without loading
``dataclasses``. ``named`` is ``typing.NamedTuple`` without importing ``typing``.
"""

from __future__ import annotations


class _Sentinel:
    def __init__(self, shown: str):
        self.shown = shown

    def __repr__(self) -> str:
        return self.shown


_MISSING = _Sentinel("<missing>")
_FACTORY = _Sentinel("<factory>")
"""The default ``__init__`` gives a field made by a factory, as ``inspect.signature`` shows a dataclass's."""


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
    _rebind(made, cls)
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
    return _rebuild, (self.__class__, self.__record_values__(self))


def _rebuild(cls, values: tuple):
    """Make a pickled slots record again, field by field, as a dataclass's ``__setstate__`` does: without
    ``__init__`` (``__post_init__`` ran when it was first made)."""
    made = object.__new__(cls)
    for name, value in zip(cls.__record_fields__, values):
        object.__setattr__(made, name, value)
    return made


def _setattr(self, name, value):
    from dataclasses import FrozenInstanceError  # dataclasses' own, so code written for them catches it

    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self, name):
    from dataclasses import FrozenInstanceError

    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _rebind(made, old) -> None:
    """Point the ``__class__`` cells of ``made``'s functions (``super()``, ``__class__``) at ``made``, not at
    the class ``old`` it was made from (a class with slots is made anew, as a dataclass with slots is)."""
    for value in made.__dict__.values():
        value = getattr(value, "__func__", value)  # classmethod, staticmethod
        functions = (value.fget, value.fset, value.fdel) if isinstance(value, property) else (value,)
        for function in functions:
            for cell in getattr(function, "__closure__", None) or ():
                try:
                    if cell.cell_contents is old:
                        cell.cell_contents = made
                except ValueError:  # an empty cell
                    pass


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
    scope: dict = {"_MISSING": _MISSING, "_FACTORY": _FACTORY, "_set": object.__setattr__}
    params, lines, defaulted = [], [], False
    for name, spec in specs.items():
        if spec.factory is not _MISSING:
            scope[f"_factory_{name}"] = spec.factory
            params.append(f"{name}=_FACTORY")
            defaulted = True
            value = f"_factory_{name}() if {name} is _FACTORY else {name}"
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
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {name: annotations.get(name, "object") for name in names} | {"return": "None"}
    # Only __init__ is compiled (as dataclasses does, from source: it runs for every instance). The other
    # methods are shared and read the class's field getters: compiling them for each class cost a compiling run
    # more than a millisecond.
    added = {
        "__record_fields__": names,
        "__record_specs__": specs,
        "__record_shown__": tuple(name for name, spec in specs.items() if spec.repr),
        "__record_compared__": staticmethod(_getter(tuple(name for name, spec in specs.items() if spec.compare))),
        "__dataclass_fields__": _DataclassFields(specs, annotations),
        "__match_args__": names,
    }
    methods = {"__init__": init, "__repr__": _repr, "__eq__": _eq}
    if slots:  # no __dict__ to pickle, and a frozen record refuses the setattr that would restore its slots
        added["__record_values__"] = staticmethod(_getter(names))
        methods["__reduce__"] = _reduce
    # a __hash__ the class wrote is kept; the None Python sets beside an __eq__ the class wrote is not one
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    if frozen:
        added["__record_hashed__"] = staticmethod(_getter(tuple(name for name, spec in specs.items() if spec.hash)))
        methods.update(__setattr__=_setattr, __delattr__=_delattr)
        if not explicit_hash:
            methods["__hash__"] = _hash
    elif not explicit_hash:
        methods["__hash__"] = None  # equal by value and mutable: unhashable, as a dataclass is
    for method, function in methods.items():
        if method not in own or (method == "__hash__" and not explicit_hash):
            added[method] = function  # else the class wrote its own
    if not slots:  # changed in place, as a dataclass is: a plain default stays a class attribute
        for key, value in added.items():
            setattr(cls, key, value)
        for name, spec in specs.items():
            if name in own and isinstance(own[name], _Field):
                if spec.factory is _MISSING and spec.default is not _MISSING:
                    setattr(cls, name, spec.default)
                else:
                    delattr(cls, name)
        return cls
    body = {key: value for key, value in own.items() if key not in names and key not in ("__dict__", "__weakref__")}
    body.update(added)
    body["__slots__"] = tuple(name for name in names if name not in inherited)
    made = type(cls)(cls.__name__, cls.__bases__, body)
    made.__qualname__ = cls.__qualname__
    _rebind(made, cls)
    return made
