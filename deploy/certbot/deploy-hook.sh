#!/bin/sh
# certbot deploy hook: reload nginx onto a renewed certificate only if the certificate is sane and
# `nginx -t` passes, so a bad renewal never takes the callback down. certbot sets RENEWED_LINEAGE.
# Exit status is non-zero on refusal (certbot still reports success, so this logs to stderr too).
set -eu
lineage="${RENEWED_LINEAGE:?RENEWED_LINEAGE is not set: run this from certbot --deploy-hook}"
nginx_bin="${NGINX_BIN:-nginx}"
# Tests point these at a non-system nginx; production uses the defaults.
nginx_test="${NGINX_TEST_CMD:-$nginx_bin -t -q}"
nginx_reload="${NGINX_RELOAD_CMD:-systemctl reload nginx}"

fail() { echo "eventsub-relay deploy hook: $1; nginx NOT reloaded" >&2; exit 1; }

cert="$lineage/fullchain.pem"
key="$lineage/privkey.pem"
[ -r "$cert" ] || fail "$cert is missing or unreadable"
[ -r "$key" ] || fail "$key is missing or unreadable"
openssl x509 -in "$cert" -noout -checkend 0 >/dev/null || fail "$cert is expired or not a certificate"
cert_pub=$(openssl x509 -in "$cert" -noout -pubkey)
key_pub=$(openssl pkey -in "$key" -pubout)
[ "$cert_pub" = "$key_pub" ] || fail "$key does not match $cert"
$nginx_test || fail "nginx -t failed (fix the config, then run: systemctl reload nginx)"
$nginx_reload || fail "reload failed"
echo "eventsub-relay deploy hook: nginx reloaded onto $cert"
