"""The public surface is exactly `__all__`; everything else lives in private modules, but for the
`integrations` package of optional framework hooks (`kalmia_sdk.integrations.openai_agents`)."""
from __future__ import annotations

import pkgutil

import kalmia_sdk

# Imported by name only when a framework is used, never by `import kalmia_sdk`.
PUBLIC_SUBPACKAGES = {"integrations"}


def test_all_names_every_public_member_and_nothing_else():
    public = {name for name in dir(kalmia_sdk) if not name.startswith("_")} - PUBLIC_SUBPACKAGES
    assert set(kalmia_sdk.__all__) - {"__version__"} == public


def test_every_exported_member_comes_from_a_private_module_and_says_what_it_does():
    for name in kalmia_sdk.__all__:
        member = getattr(kalmia_sdk, name)
        if name == "__version__":
            assert isinstance(member, str)
            continue
        assert member.__module__.startswith("kalmia_sdk._"), name
        assert member.__doc__, f"{name} has no doc comment"


def test_all_submodules_are_private():
    names = [m.name for m in pkgutil.iter_modules(kalmia_sdk.__path__)]
    assert names and all(name.startswith("_") or name in PUBLIC_SUBPACKAGES for name in names)


def test_the_sdk_never_imports_the_provider_packages():
    import subprocess
    import sys

    code = "import sys, kalmia_sdk; print(sorted(m for m in ('openai', 'anthropic') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
