# shellcheck shell=bash
# TLS for deploy/install.sh (sourced, bash): the first certificate through the port-80-only
# bootstrap site, the certbot deploy hook, and the TLS site. nginx is reloaded only when its
# config changed, and only after `nginx -t` passed.

SITE=/etc/nginx/sites-available/eventsub.conf
SITE_LINK=/etc/nginx/sites-enabled/eventsub.conf
WEBROOT=/var/www/eventsub-acme
HOOK=/etc/letsencrypt/renewal-hooks/deploy/eventsub-relay-reload-nginx.sh
LIVE_DIR=/etc/letsencrypt/live

# render_site FILE: an nginx/ file with the placeholder name replaced by --domain.
render_site() { printf '%s\n' "$(replace_literal "$(<"$SRC/nginx/$1")" eventsub.example.com "$DOMAIN")"; }

# enable_site: links $SITE, checks the whole nginx config, reloads nginx (starts it if stopped).
enable_site() {
  act ln -sfn "$SITE" "$SITE_LINK"
  # Debian's default site answers port 80 for every other name; only this one should.
  act rm -f /etc/nginx/sites-enabled/default
  act nginx -t -q || die "nginx -t failed (see above): fix the config; nginx was not reloaded"
  act systemctl reload-or-restart nginx
  done_note reload nginx reloaded
}

install_certificate() {
  say "first certificate for $DOMAIN (certbot --webroot $WEBROOT) and the certbot deploy hook"
  act install -d -m 0755 "$WEBROOT"
  act install -d -m 0755 "$(dirname "$HOOK")"
  put_file "$HOOK" 0755 root:root <"$SRC/deploy/certbot/deploy-hook.sh"
  if [ -e "$LIVE_DIR/$DOMAIN/fullchain.pem" ]; then
    note "unchanged: $LIVE_DIR/$DOMAIN/ exists (certbot.timer renews it)"
    return 0
  fi
  note "enable the bootstrap nginx site (port 80 only: nginx cannot start the TLS site without a cert)"
  put_file "$SITE" 0644 root:root < <(render_site eventsub-bootstrap.conf)
  enable_site
  done_note run "deploy/certbot/issue.sh $DOMAIN $EMAIL ${EVENTSUB_CERTBOT_ARGS:-}" ran
  # Word-split on purpose: extra certbot flags such as --staging or --server <ACME directory>.
  # shellcheck disable=SC2086
  act "$SRC/deploy/certbot/issue.sh" "$DOMAIN" "$EMAIL" ${EVENTSUB_CERTBOT_ARGS:-} || die "the first certificate for $DOMAIN was not issued.
  The bootstrap site (port 80 only) stays enabled; nothing else of nginx changed. Check, then re-run install.sh:
    dig +short $DOMAIN            must print your public IP (ddclient, docs/deploy.md step 2)
    curl -I http://$DOMAIN/.well-known/acme-challenge/x   from outside must reach this host (404 from nginx): port 80 forwarded?
    sudo tail -n 50 /var/log/letsencrypt/letsencrypt.log
  Let's Encrypt allows 5 failed validations per name per hour: fix first, then retry."
  changed "$LIVE_DIR/$DOMAIN"
}

install_nginx_site() {
  say "enable TLS nginx site for $DOMAIN ($SITE)"
  local before=$ANY_CHANGED
  ANY_CHANGED=0
  put_file "$SITE" 0644 root:root < <(render_site eventsub.conf)
  if [ "$ANY_CHANGED" = 1 ] || [ "$(readlink "$SITE_LINK" 2>/dev/null)" != "$SITE" ]; then
    enable_site
    ANY_CHANGED=1
  else
    note "nginx not reloaded (nothing changed)"
  fi
  ANY_CHANGED=$((before | ANY_CHANGED))
}
