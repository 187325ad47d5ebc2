#!/bin/sh
# deb post-install: installs the systemd user unit for every graphical session, so the player starts at
# login and is restarted by systemd. Also an XDG autostart entry for sessions without systemd --user.
set -e
install -D -m 0644 /opt/bangtin-player/resources/linux/bangtin-player.service /usr/lib/systemd/user/bangtin-player.service
systemctl --global enable bangtin-player.service >/dev/null 2>&1 || true
mkdir -p /etc/xdg/autostart
cat > /etc/xdg/autostart/bangtin-player.desktop <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Bảng tin điện tử
Exec=sh -c 'systemctl --user is-enabled -q bangtin-player.service 2>/dev/null || exec /opt/bangtin-player/bangtin-player'
X-GNOME-Autostart-enabled=true
NoDisplay=true
DESKTOP
# chrome-sandbox must be setuid root for Chromium's sandbox where user namespaces are disabled.
chmod 4755 /opt/bangtin-player/chrome-sandbox 2>/dev/null || true
