"""What a new library pins: this clausekit release and the actions its CI uses.

`ACTION_REPOSITORY` is the one place that names where clausekit is published
on GitHub: the init'ed workflows use the composite action `action.yml` of that
repository, and `.pre-commit-config.yaml` its hooks, both at the tag of this
release (`v<version>`).  A fork that publishes its own releases changes it
here.

Every third-party action is pinned to a full commit hash, with the release it
is in a comment: a tag can be moved to other code, a commit cannot.  Each hash
below was read from the tag in the action's repository; update them together
(the tests check that every workflow and `action.yml` use exactly these).
"""

from __future__ import annotations

from dataclasses import dataclass

from clausekit import __version__

ACTION_REPOSITORY = "clausekit/clausekit"


@dataclass(frozen=True)
class Pin:
    action: str
    commit: str
    version: str

    @property
    def uses(self) -> str:
        """The `uses:` value with its comment: `owner/name@<commit> # vX.Y.Z`."""
        return f"{self.action}@{self.commit} # {self.version}"


PINS = {
    pin.action: pin
    for pin in (
        Pin("actions/checkout", "3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
        Pin("actions/setup-python", "5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
        Pin("actions/upload-artifact", "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0"),
        Pin("actions/download-artifact", "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "v8.0.1"),
        Pin("actions/upload-pages-artifact", "fc324d3547104276b827a68afc52ff2a11cc49c9", "v5.0.0"),
        Pin("actions/deploy-pages", "cd2ce8fcbc39b97be8ca5fce6e763baed58fa128", "v5.0.0"),
        # Only this repository's release workflow publishes to the package index.
        Pin("pypa/gh-action-pypi-publish", "81e9d935c883d0b210363ab89cf05f3894778450", "v1.8.14"),
    )
}


def release_tag() -> str:
    """The git tag of this release, which the action and the hooks are used at."""
    return f"v{__version__}"


def substitutions() -> dict[str, str]:
    """The `@@NAME@@` placeholders of the starter files and their values."""
    values = {
        "VERSION": __version__,
        "TAG": release_tag(),
        "REPOSITORY": ACTION_REPOSITORY,
        "ACTION": f"{ACTION_REPOSITORY}@{release_tag()}",
    }
    for pin in PINS.values():
        values["USES_" + pin.action.split("/")[1].upper().replace("-", "_")] = pin.uses
    return values
