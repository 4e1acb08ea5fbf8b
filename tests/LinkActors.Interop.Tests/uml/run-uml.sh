#!/bin/sh
# Runs the guest: its /dev/ttyS1 is this process's stdin/stdout (socat bridges it to a pty), its
# console (pppd's log) goes to stderr. The environment says what to run (see guest-init.sh):
#   LA_UML_DIR (the image, from build-uml.sh), LA_WORK_DIR (scratch for this run),
#   LA_ROLE, LA_OPTS, LA_PAP, LA_CHAP, LA_PING, LA_STOP_AFTER, LA_TERM_AFTER.
# The kernel command line strips the quotes around LA_OPTS; values must not contain quotes.
exec "$LA_UML_DIR/linux.uml" mem=128M initrd="$LA_UML_DIR/initrd-uml.gz" quiet \
  console=ttyS0 con=null ssl0=null,fd:2 ssl1=fd:0,fd:1 umid="la-$$" uml_dir="$LA_WORK_DIR/umldir" \
  "LA_ROLE=${LA_ROLE:-server}" "LA_OPTS=\"${LA_OPTS:-}\"" "LA_PAP=${LA_PAP:-}" "LA_CHAP=${LA_CHAP:-}" \
  "LA_PING=${LA_PING:-}" "LA_STOP_AFTER=${LA_STOP_AFTER:-}" "LA_TERM_AFTER=${LA_TERM_AFTER:-}"
