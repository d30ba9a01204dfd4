# shellcheck shell=bash disable=SC2034 # (variables are read by the other files of install.sh)
# Helpers shared by deploy/install.sh (sourced, bash). Steps are numbered as they print; under
# --dry-run nothing is written or run, and secrets are never printed either way.

DRY_RUN=${DRY_RUN:-0}
step=0
# Whether anything the running service reads changed in this run (decides the restart).
RELAY_CHANGED=0
# Whether anything at all changed (for the final "nothing changed" line).
ANY_CHANGED=0
# What changed, for the restart message.
CHANGES=()

# say TEXT: starts a numbered step.
say() {
  step=$((step + 1))
  printf '[%d] %s\n' "$step" "$*"
}

# note TEXT: a detail of the current step.
note() { printf '    %s\n' "$*"; }

# die TEXT: stops with a message that says what to do (exit 1).
die() {
  printf 'install.sh: %s\n' "$*" >&2
  exit 1
}

# usage_error TEXT: a bad or missing flag (exit 2).
usage_error() {
  printf 'install.sh: %s (see --help)\n' "$*" >&2
  exit 2
}

# done_note VERB TEXT: "VERBed TEXT", or "would VERB TEXT" under --dry-run (VERB without -d/-ed).
done_note() {
  if [ "$DRY_RUN" = 1 ]; then note "would $1 $2"; else note "${3:-${1%e}ed}: $2"; fi
}

# act CMD...: runs CMD unless --dry-run. Never prints CMD (it may carry a secret).
act() {
  if [ "$DRY_RUN" = 1 ]; then return 0; fi
  "$@"
}

# changed WHAT [relay]: records a change; with "relay", the service must restart to see it.
changed() {
  ANY_CHANGED=1
  CHANGES+=("$1")
  if [ "${2:-}" = relay ]; then RELAY_CHANGED=1; fi
}

# replace_literal TEXT TOKEN VALUE: TEXT with every TOKEN replaced by VALUE, both taken literally.
# Not sed (a value with & | \ / would be mangled) and not ${text//t/v} (bash 5.2's
# patsub_replacement turns & in the replacement into the match).
replace_literal() {
  local text=$1 token=$2 value=$3 out=''
  while [[ $text == *"$token"* ]]; do
    out+=${text%%"$token"*}$value
    text=${text#*"$token"}
  done
  printf '%s' "$out$text"
}

# put_file DEST MODE OWNER:GROUP [relay] < CONTENT: installs CONTENT at DEST unless DEST already has
# exactly that content, mode and owner. Prints created/updated/unchanged; records the change.
# The new file is written next to DEST and renamed over it, so a reader never sees half a file.
put_file() {
  local dest=$1 mode=$2 owner=$3 affects=${4:-} tmp state
  tmp=$(umask 077 && mktemp "${TMPDIR:-/tmp}/eventsub-install.XXXXXX")
  cat >"$tmp"
  if [ ! -e "$dest" ]; then
    state=created
  elif [ ! -r "$dest" ]; then
    state='updated (could not read the current file)'
  elif cmp -s "$tmp" "$dest" && [ "$(stat -c '%a %U:%G' "$dest")" = "${mode#0} $owner" ]; then
    state=unchanged
  else
    state=updated
  fi
  if [ "$state" = unchanged ]; then
    note "unchanged: $dest"
    rm -f "$tmp"
    return 0
  fi
  if [ "$DRY_RUN" = 1 ]; then
    note "would write $dest ($mode $owner)"
    rm -f "$tmp"
    return 0
  fi
  local next
  next=$(umask 077 && mktemp "$(dirname "$dest")/.$(basename "$dest").XXXXXX")
  cat "$tmp" >"$next"
  rm -f "$tmp"
  chown "$owner" "$next"
  chmod "$mode" "$next"
  mv -f "$next" "$dest"
  note "$state: $dest ($mode $owner)"
  changed "$dest" "$affects"
}

# version_at_least HAVE NEED: true if dotted version HAVE >= NEED (numeric parts only).
version_at_least() {
  local -a have need
  local i
  IFS=. read -ra have <<<"$1"
  IFS=. read -ra need <<<"$2"
  for i in 0 1 2; do
    local h=${have[i]:-0} n=${need[i]:-0}
    h=${h%%[!0-9]*} n=${n%%[!0-9]*}
    if [ "${h:-0}" -gt "${n:-0}" ]; then return 0; fi
    if [ "${h:-0}" -lt "${n:-0}" ]; then return 1; fi
  done
  return 0
}
