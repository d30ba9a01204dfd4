# shellcheck shell=bash
# ddclient for deploy/install.sh (sourced, bash): which values each provider needs, and the
# rendering of deploy/ddclient/<provider>.conf with those values taken literally.

# The provider's update server (ddclient's `server=`) and the "what is my IP" URL. The
# EVENTSUB_DDNS_SERVER / EVENTSUB_DDNS_WEB_URL overrides exist for the tests' fake provider.
ddns_server() {
  case "$1" in
    namecheap) echo dynamicdns.park-your-domain.com ;;
    cloudflare) echo api.cloudflare.com/client/v4 ;;
    duckdns) echo www.duckdns.org ;;
  esac
}
DDNS_WEB_URL_DEFAULT=https://api.ipify.org

LABEL_RE='^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$'
DOMAIN_RE='^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$'

# ddns_validate: checks the --ddns* values for the chosen provider; exits 2 saying what is missing.
ddns_validate() {
  case "$DDNS" in
    namecheap | cloudflare | duckdns) ;;
    *) usage_error "--ddns must be namecheap, cloudflare or duckdns (got '$DDNS')" ;;
  esac
  local need=()
  [ -n "$DDNS_HOST" ] || need+=(--ddns-host)
  if [ "$DDNS" != duckdns ] && [ -z "$DDNS_DOMAIN" ]; then need+=(--ddns-domain); fi
  [ -n "$DDNS_PASSWORD" ] || need+=(--ddns-password)
  if [ ${#need[@]} -gt 0 ]; then
    case "$DDNS" in
      namecheap) usage_error "--ddns namecheap needs ${need[*]}: e.g. --ddns-host relay --ddns-domain example.net --ddns-password <Dynamic DNS password from Advanced DNS>" ;;
      cloudflare) usage_error "--ddns cloudflare needs ${need[*]}: e.g. --ddns-host relay --ddns-domain example.net (the zone) --ddns-password <API token with Zone:DNS:Edit>" ;;
      duckdns) usage_error "--ddns duckdns needs ${need[*]}: e.g. --ddns-host myrelay (for myrelay.duckdns.org) --ddns-password <your DuckDNS token>" ;;
    esac
  fi
  case "$DDNS" in
    namecheap)
      # Namecheap's host is one label, @ (the bare domain) or * (wildcard).
      [[ $DDNS_HOST =~ $LABEL_RE || $DDNS_HOST == @ || $DDNS_HOST == '*' ]] ||
        usage_error "--ddns-host '$DDNS_HOST' must be the host part only (relay for relay.example.net), @ or *"
      ;;
    cloudflare)
      [[ $DDNS_HOST =~ $LABEL_RE ]] ||
        usage_error "--ddns-host '$DDNS_HOST' must be the host part only (relay for relay.example.net)"
      ;;
    duckdns)
      [[ $DDNS_HOST != *.duckdns.org ]] ||
        usage_error "--ddns-host '$DDNS_HOST': give only the subdomain (${DDNS_HOST%.duckdns.org})"
      [[ $DDNS_HOST =~ $LABEL_RE ]] ||
        usage_error "--ddns-host '$DDNS_HOST' must be your DuckDNS subdomain (letters, digits, -)"
      ;;
  esac
  if [ "$DDNS" != duckdns ]; then
    [[ $DDNS_DOMAIN =~ $DOMAIN_RE ]] || usage_error "--ddns-domain '$DDNS_DOMAIN' is not a domain name (e.g. example.net)"
  fi
  # ddclient reads a quoted password up to the end of its line and cannot take whitespace.
  [[ $DDNS_PASSWORD != *[[:space:]]* ]] ||
    usage_error "--ddns-password contains whitespace, which ddclient cannot read: regenerate it"
}

# url_encode VALUE: percent-encodes every byte but A-Z a-z 0-9 - . _ ~.
url_encode() {
  local LC_ALL=C value=$1 out='' i c
  for ((i = 0; i < ${#value}; i++)); do
    c=${value:i:1}
    case "$c" in
      [A-Za-z0-9._~-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

# ddns_render: prints /etc/ddclient.conf for $DDNS with the values taken literally.
ddns_render() {
  local text password=$DDNS_PASSWORD
  text=$(<"$SRC/deploy/ddclient/$DDNS.conf")
  # Namecheap and DuckDNS put the password into the update URL's query unescaped: a & or # in it
  # would cut the request short. Percent-encoded, the provider decodes it back to the original.
  case "$DDNS" in namecheap | duckdns) password=$(url_encode "$password") ;; esac
  text=$(replace_literal "$text" @HOST@ "$DDNS_HOST")
  text=$(replace_literal "$text" @DOMAIN@ "$DDNS_DOMAIN")
  text=$(replace_literal "$text" @SERVER@ "${EVENTSUB_DDNS_SERVER:-$(ddns_server "$DDNS")}")
  text=$(replace_literal "$text" @WEB_URL@ "${EVENTSUB_DDNS_WEB_URL:-$DDNS_WEB_URL_DEFAULT}")
  text=$(replace_literal "$text" @PASSWORD@ "$password")
  printf '%s\n' "$text"
}
