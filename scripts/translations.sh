#!/usr/bin/env bash
# Regenerate every Vietnamese catalogue from the code and fill it from scripts/vi_messages.py:
# each app's django.po, and the project's own (src/motcua/locale: third-party messages listed in
# conf/vendor_messages.*). Prints each msgid that still has no Vietnamese, and fails then.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/.venv/bin"
for dir in src/motcua/*/locale; do
  app="$(dirname "$dir")"
  (cd "$app" && "$bin/motcua" makemessages -l vi --no-obsolete --no-location --no-wrap --verbosity 0)
done
(cd src/motcua/conf && "$bin/motcua" makemessages -l vi --no-obsolete --no-location --no-wrap --verbosity 0 \
  && "$bin/motcua" makemessages -l vi -d djangojs --no-obsolete --no-location --no-wrap --verbosity 0)
"$bin/python" scripts/vi_messages.py src/motcua/*/locale/vi/LC_MESSAGES/django.po src/motcua/locale/vi/LC_MESSAGES/*.po
(cd src/motcua && "$bin/motcua" compilemessages --verbosity 0)
