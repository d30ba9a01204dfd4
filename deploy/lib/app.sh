# shellcheck shell=bash
# The relay's code in $PREFIX for deploy/install.sh (sourced, bash): a self-contained copy of the
# build and its production dependencies, owned by root and readable by the service user. Nothing
# points back into the checkout: the unit's ProtectHome=yes hides /home and /root from the service,
# and the checkout may be deleted or rebuilt at any time.

# Whether $PREFIX/DIR matches $SRC/DIR exactly (files, links, contents).
same_tree() { [ -d "$PREFIX/$1" ] && diff -r -q --no-dereference "$SRC/$1" "$PREFIX/$1" >/dev/null 2>&1; }

# replace_dir NAME SOURCE_DIR [move]: puts a copy of SOURCE_DIR (or SOURCE_DIR itself, with
# "move") at $PREFIX/NAME, renamed into place so the old tree is replaced in one step.
replace_dir() {
  local name=$1 from=$2
  # NAME may be nested (src/dashboard): the staging copies sit beside it, in its parent folder.
  local parent base
  parent=$(dirname "$PREFIX/$name")
  base=$(basename "$name")
  install -d -m 0755 "$parent"
  rm -rf "$parent/.$base.new" "$parent/.$base.old"
  if [ "${3:-}" = move ]; then mv "$from" "$parent/.$base.new"; else cp -R "$from" "$parent/.$base.new"; fi
  if [ -e "$PREFIX/$name" ]; then mv "$PREFIX/$name" "$parent/.$base.old"; fi
  mv "$parent/.$base.new" "$PREFIX/$name"
  rm -rf "$parent/.$base.old"
}

# install_app: copies package.json, package-lock.json, dist/, examples/ and src/dashboard/ (the
# dashboard's browser files, served as they are) to $PREFIX and installs
# the production dependencies there with `npm ci --omit=dev` (only when the lockfile or
# package.json changed: better-sqlite3 compiles for a minute where no prebuilt binary is found).
install_app() {
  say "install the relay into $PREFIX: dist/, examples/, src/dashboard/, package.json, package-lock.json + npm ci --omit=dev"
  [ -f "$SRC/dist/cli/main.js" ] ||
    die "$SRC/dist/cli/main.js is missing: build first (cd $SRC && npm ci && npm run build), then re-run"
  [ -f "$SRC/package-lock.json" ] || die "$SRC/package-lock.json is missing: use a full clone of the repository"
  command -v npm >/dev/null ||
    die "npm not found: it comes with NodeSource's nodejs package; on Debian 13 run: apt-get install -y npm"
  local deps_current=0
  if [ -f "$PREFIX/node_modules/.package-lock.json" ] &&
    cmp -s "$SRC/package.json" "$PREFIX/package.json" &&
    cmp -s "$SRC/package-lock.json" "$PREFIX/package-lock.json"; then
    deps_current=1
  fi
  local stale=()
  for dir in dist examples src/dashboard; do same_tree "$dir" || stale+=("$dir"); done
  if [ "$DRY_RUN" = 1 ]; then
    if [ "$deps_current" = 1 ]; then note "dependencies: unchanged"; else note "would run npm ci --omit=dev in $PREFIX"; fi
    if [ ${#stale[@]} -gt 0 ]; then note "would copy: ${stale[*]}"; else note "dist/, examples/, src/dashboard/: unchanged"; fi
    return 0
  fi
  (
    umask 022
    install -d -m 0755 -o root -g root "$PREFIX"
    if [ "$deps_current" = 0 ]; then
      stage="$PREFIX/.deps"
      rm -rf "$stage"
      install -d -m 0755 "$stage"
      cp "$SRC/package.json" "$SRC/package-lock.json" "$stage/"
      note "npm ci --omit=dev (production dependencies from package-lock.json; may take a minute)"
      (cd "$stage" && npm ci --omit=dev --no-audit --no-fund --loglevel=error) >&2 ||
        die "npm ci --omit=dev failed in $stage (see above); fix it and re-run install.sh"
      replace_dir node_modules "$stage/node_modules" move
      cp "$stage/package.json" "$stage/package-lock.json" "$PREFIX/"
      rm -rf "$stage"
    fi
    for dir in "${stale[@]}"; do replace_dir "$dir" "$SRC/$dir"; done
    chown -R root:root "$PREFIX"
    chmod -R u=rwX,go=rX "$PREFIX"
  )
  if [ "$deps_current" = 0 ]; then
    note "installed: production dependencies in $PREFIX/node_modules"
    changed "$PREFIX/node_modules" relay
  else
    note "unchanged: $PREFIX/node_modules (package.json and package-lock.json are the same)"
  fi
  for dir in "${stale[@]}"; do
    note "updated: $PREFIX/$dir"
    changed "$PREFIX/$dir" relay
  done
  if [ ${#stale[@]} -eq 0 ]; then note "unchanged: $PREFIX/dist, $PREFIX/examples, $PREFIX/src/dashboard"; fi
}
