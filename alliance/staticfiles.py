"""Static files storage for production: WhiteNoise's compressed, hashed files.

GOV.UK Frontend's stylesheet (vendored, built from static/vendor/govuk-frontend/build.scss) names the GOV.UK crest
in three rules of its header. The crest is reserved for GOV.UK services (docs/architecture.md), so it is not shipped and
no page uses those rules; Django's manifest storage would otherwise refuse to build (collectstatic fails on a
reference it cannot hash). A reference that names a missing file is left as written; every other one is hashed.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def convert_or_keep(matchobj):
            try:
                return convert(matchobj)
            except ValueError:  # "The file ... could not be found": an asset we do not ship
                return matchobj.group(0)

        return convert_or_keep
