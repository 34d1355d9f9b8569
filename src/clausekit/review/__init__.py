"""The review workflow: version discipline, locks, review reports and redlines.

Everything here reads git through `gitrev`; the rest of clausekit never needs git,
so a library that is not (yet) a git repository still checks and builds.
"""
