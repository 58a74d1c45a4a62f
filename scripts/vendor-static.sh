#!/usr/bin/env bash
# Vendors the front-end packages from the npm registry into src/motcua/static/vendor/.
# Government networks often have no CDN access, so every asset is served by MotCua itself.
# The output is committed; run this script again only to change a version below.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/motcua/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
packages=(bootstrap@5.3.9 htmx.org@2.0.11 chart.js@4.5.0 @fontsource/be-vietnam-pro@5.2.8)
(cd "$work" && npm pack --silent "${packages[@]}" > /dev/null)
for tgz in "$work"/*.tgz; do mkdir -p "$work/x" && tar -xzf "$tgz" -C "$work/x" && mv "$work/x/package" "$work/$(basename "$tgz" .tgz)" && rm -rf "$work/x"; done
rm -rf "$dest" && mkdir -p "$dest"/{bootstrap,htmx,chartjs,fonts}
cp "$work"/bootstrap-*/dist/css/bootstrap.min.css "$work"/bootstrap-*/dist/js/bootstrap.bundle.min.js "$dest/bootstrap/"
cp "$work"/bootstrap-*/LICENSE "$dest/bootstrap/LICENSE"
cp "$work"/htmx.org-*/dist/htmx.min.js "$dest/htmx/" && cp "$work"/htmx.org-*/LICENSE "$dest/htmx/LICENSE"
cp "$work"/chart.js-*/dist/chart.umd.min.js "$dest/chartjs/" 2>/dev/null || cp "$work"/chart.js-*/dist/chart.umd.js "$dest/chartjs/chart.umd.min.js"
cp "$work"/chart.js-*/LICENSE.md "$dest/chartjs/LICENSE.md"
font="$work"/fontsource-be-vietnam-pro-*
for w in 400 500 600 700; do
  for s in vietnamese latin latin-ext; do cp $font/files/be-vietnam-pro-$s-$w-normal.woff2 "$dest/fonts/"; done
done
cp $font/LICENSE "$dest/fonts/LICENSE-OFL.txt" 2>/dev/null || true
printf '%s\n' "${packages[@]}" > "$dest/VERSIONS.txt"
echo "vendored: ${packages[*]}"
du -sh "$dest"
