"""``help()`` of each mlmath module reads as that module's own documentation (issue 7).

``help(mlmath.linalg)`` used to be 1,652 lines, 870 of them torch's documentation of
``nn.Module`` inherited by ``LoRALinear``, and ``help(LoRALinear.__init__)`` showed torch's text.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import pydoc

import pytest

import mlmath
import mlmath.linalg
from mlmath.linalg import LoRALinear

#: Every public module of the package (new modules are covered without editing this file).
MODULES = [
    importlib.import_module(f"mlmath.{m.name}")
    for m in pkgutil.iter_modules(mlmath.__path__)
    if not m.name.startswith("_")
]


def rendered(module) -> str:
    return pydoc.render_doc(module, renderer=pydoc.plaintext)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_help_documents_every_public_name_and_nothing_from_torch(module):
    text = rendered(module)
    for name in getattr(module, "__all__", []):
        assert f"class {name}(" in text or f"{name}(" in text or f"{name} = " in text, name
    assert "inherited from torch" not in text
    for torch_method in ("register_forward_hook", "load_state_dict", "zero_grad"):
        assert torch_method not in text


def test_help_of_linalg_is_short():
    assert len(rendered(mlmath.linalg).splitlines()) < 800  # was 1,652


def test_lora_methods_show_their_own_documentation():
    for name in ("__init__", "forward", "merge", "delta_weight", "extra_repr"):
        doc = inspect.getdoc(getattr(LoRALinear, name))
        assert doc and "Module" not in doc.split("\n")[0], name
    assert inspect.getdoc(LoRALinear.__init__).startswith("Wrap ``base``")
    text = pydoc.render_doc(LoRALinear, renderer=pydoc.plaintext)
    assert "Methods inherited from" not in text and "Initialize internal Module state" not in text


def test_lora_instances_still_list_every_attribute():
    """Tab completion on a layer keeps nn.Module's methods (only the class's help is trimmed)."""
    layer = LoRALinear(mlmath.linalg.nn.Linear(4, 3), r=2)
    names = dir(layer)
    for name in ("parameters", "state_dict", "to", "merge", "A", "B", "base", "scaling"):
        assert name in names
    assert callable(layer.parameters) and callable(LoRALinear.train)  # lookup is unchanged


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_public_method_has_its_own_docstring(module):
    for name in getattr(module, "__all__", []):
        value = getattr(module, name)
        if not inspect.isclass(value):
            assert value.__doc__, name
            continue
        for attribute, member in vars(value).items():
            special = {"__init__", "__call__", "__repr__", "__setattr__", "__iter__", "__dir__"}
            if not inspect.isfunction(member) or member.__code__.co_filename.startswith("<"):
                continue  # not a function, or written by @dataclass
            if not attribute.startswith("_") or attribute in special:
                assert member.__doc__, f"{name}.{attribute}"
