# shellcheck shell=bash
# The steps of deploy/install.sh that are a few commands each (sourced, bash). The larger ones
# live in app.sh (code), env-file.sh (settings), nginx.sh (certificate, site) and ddclient.sh.

SERVICE_USER=eventsub-relay
STATE_DIR=/var/lib/eventsub-relay
ENV_FILE=/etc/eventsub-relay/env
UNIT_NAME=eventsub-relay.service
UNIT_PATH=/etc/systemd/system/$UNIT_NAME
WRAPPER=/usr/local/bin/eventsub-relay
UNIT_CHANGED=0

NODE_HELP='Install Node.js 20 LTS from NodeSource (Debian 12, Ubuntu 24.04):
    curl -fsSL https://deb.nodesource.com/setup_20.x -o /tmp/nodesource_setup.sh
    sudo bash /tmp/nodesource_setup.sh && sudo apt-get install -y nodejs
  or, on Debian 13, Debian'"'"'s own: sudo apt-get install -y nodejs npm   (20.19)'

# check_node: the unit runs $NODE_BIN; it must be Node >= 20.18 (process.loadEnvFile, the engines field).
check_node() {
  local version
  if ! version=$("$NODE_BIN" --version 2>/dev/null); then
    die "Node.js >= $NODE_MIN is required at $NODE_BIN (the unit runs it), and none was found there.
$NODE_HELP"
  fi
  version=${version#v}
  version_at_least "$version" "$NODE_MIN" ||
    die "Node.js $version at $NODE_BIN is too old: eventsub-relay needs >= $NODE_MIN (Debian 12's and Ubuntu 24.04's own nodejs are 18.x).
$NODE_HELP"
}

# package_version PKG: the installed Debian package version, empty if not installed.
package_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true; }

# require_package_version PKG MIN WHY: stops if PKG is installed but older than MIN.
require_package_version() {
  local have
  have=$(package_version "$1")
  have=${have#*:}
  [ -z "$have" ] || version_at_least "$have" "$2" ||
    die "$1 $have is too old: the shipped config needs >= $2 ($3). Use Debian 12+ or Ubuntu 24.04+."
}

install_packages() {
  local pkgs=(nginx certbot openssl curl)
  if [ -n "$DDNS" ]; then pkgs+=(ddclient libio-socket-ssl-perl); fi
  say "install packages: ${pkgs[*]}"
  act apt-get update -qq
  act env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
  require_package_version nginx 1.19.4 "ssl_reject_handshake"
  if [ -n "$DDNS" ]; then require_package_version ddclient 3.10 "usev4=webv4 in the Cloudflare template"; fi
}

install_user() {
  say "create system user $SERVICE_USER and its state dir $STATE_DIR (0700)"
  if id -u "$SERVICE_USER" >/dev/null 2>&1; then
    note "unchanged: user $SERVICE_USER exists"
  else
    act useradd --system --home-dir "$STATE_DIR" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
    done_note create "user $SERVICE_USER"
    changed "user $SERVICE_USER"
  fi
  # systemd's StateDirectory= would create it too, but the CLI wrapper may run before the first start.
  if [ ! -d "$STATE_DIR" ]; then
    act install -d -m 0700 -o "$SERVICE_USER" -g "$SERVICE_USER" "$STATE_DIR"
    done_note create "$STATE_DIR"
    changed "$STATE_DIR"
  fi
}

# render_with_paths FILE: FILE with the code prefix and node path this install uses.
render_with_paths() {
  local text
  text=$(<"$1")
  text=$(replace_literal "$text" /opt/eventsub-relay "$PREFIX")
  text=$(replace_literal "$text" /usr/bin/node "$NODE_BIN")
  printf '%s\n' "$text"
}

install_unit() {
  say "install systemd unit $UNIT_PATH"
  local before=$ANY_CHANGED
  ANY_CHANGED=0
  put_file "$UNIT_PATH" 0644 root:root relay < <(render_with_paths "$SRC/deploy/systemd/$UNIT_NAME")
  UNIT_CHANGED=$ANY_CHANGED
  ANY_CHANGED=$((before | ANY_CHANGED))
}

install_wrapper() {
  say "install the CLI wrapper $WRAPPER (runs as $SERVICE_USER with $ENV_FILE and DATA_DIR=$STATE_DIR)"
  local text
  text=$(render_with_paths "$SRC/deploy/eventsub-relay-cli.sh")
  text=$(replace_literal "$text" @PREFIX@ "$PREFIX")
  text=$(replace_literal "$text" @NODE@ "$NODE_BIN")
  text=$(replace_literal "$text" @USER@ "$SERVICE_USER")
  text=$(replace_literal "$text" @ENV_FILE@ "$ENV_FILE")
  text=$(replace_literal "$text" @STATE_DIR@ "$STATE_DIR")
  put_file "$WRAPPER" 0755 root:root < <(printf '%s\n' "$text")
}

install_ddclient() {
  say "write /etc/ddclient.conf for ${DDNS:-no provider} (0600) and (re)start ddclient"
  if [ -z "$DDNS" ]; then
    note "skipped: no --ddns (keep your DNS name on your IP some other way)"
    return 0
  fi
  local before=$ANY_CHANGED
  ANY_CHANGED=0
  put_file /etc/ddclient.conf 0600 root:root < <(ddns_render)
  if [ "$DRY_RUN" = 1 ]; then
    note "would enable ddclient and restart it if its config changed"
    return 0
  fi
  act systemctl enable --quiet ddclient
  if [ "$ANY_CHANGED" = 1 ]; then
    act systemctl restart ddclient
    done_note restart ddclient restarted
  else
    act systemctl start ddclient
    note "ddclient not restarted (nothing changed)"
  fi
  ANY_CHANGED=$((before | ANY_CHANGED))
}

# relay_port: the PORT the service listens on (env file, else the unit's 8080).
relay_port() { local p; p=$(env_get "$ENV_FILE" PORT); echo "${p:-8080}"; }

start_service() {
  say "start eventsub-relay: daemon-reload if the unit changed, restart if anything it reads changed"
  if [ "$DRY_RUN" = 1 ]; then
    note "would run: systemctl daemon-reload (if needed), enable, start or restart $UNIT_NAME"
    return 0
  fi
  if [ "$UNIT_CHANGED" = 1 ]; then
    systemctl daemon-reload
    note "systemctl daemon-reload"
  fi
  systemctl enable --quiet "$UNIT_NAME"
  if ! systemctl is-active --quiet "$UNIT_NAME"; then
    systemctl start "$UNIT_NAME"
    note "started $UNIT_NAME"
    ANY_CHANGED=1
  elif [ "$RELAY_CHANGED" = 1 ]; then
    systemctl restart "$UNIT_NAME"
    note "restarted $UNIT_NAME (changed: ${CHANGES[*]})"
  else
    note "unchanged: $UNIT_NAME is running and nothing it reads changed (not restarted)"
    return 0
  fi
  local port url
  port=$(relay_port)
  url="http://127.0.0.1:$port/healthz"
  for _ in $(seq 1 40); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then
      note "healthy: GET $url answered 200"
      return 0
    fi
    sleep 0.5
  done
  die "$UNIT_NAME did not answer $url within 20 s: see journalctl -u eventsub-relay -n 50"
}
