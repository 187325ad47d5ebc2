#!/bin/sh
# deb post-remove: takes away the unit and the autostart entry the post-install put in place.
set -e
systemctl --global disable bangtin-player.service >/dev/null 2>&1 || true
rm -f /usr/lib/systemd/user/bangtin-player.service /etc/xdg/autostart/bangtin-player.desktop
