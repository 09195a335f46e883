# Shared by deploy/local/run, bench/run and .ci/run: pick a JDK 21 or newer.
#   . deploy/lib/jdk.sh && use_jdk_21 || exit 1
# Major version of the JDK at $1 ("17.0.12" -> 17, "25" -> 25, "1.8.0_392" -> 8), empty if not a JDK.
java_major() {
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }' | sed -E 's/^1\.//; s/[^0-9].*//'
}

pick_jdk() {
  local major
  if [ -n "${JAVA_HOME:-}" ]; then
    major="$(java_major "$JAVA_HOME")"
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then echo "$JAVA_HOME"; return; fi
  fi
  # The newest 21+ installed where Linux packages and macOS installers put JDKs.
  local best="" best_major=0 home
  for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    major="$(java_major "$home")"
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$home"; best_major="$major"
    fi
  done
  if [ -n "$best" ]; then echo "$best"; return; fi
  # Last, whatever `java` on the PATH is (its java.home, since /usr/bin/java is often a link or a stub).
  if command -v java >/dev/null 2>&1; then
    home="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/^ *java.home =/ { print $2; exit }')"
    major="$(java_major "$home")"
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then echo "$home"; return; fi
  fi
}

# Exports JAVA_HOME and PATH for a JDK 21+, or explains what to install and fails.
use_jdk_21() {
  local home
  home="$(pick_jdk)"
  if [ -z "$home" ]; then
    echo "no JDK 21 or newer found (looked at \$JAVA_HOME, /usr/lib/jvm, /Library/Java/JavaVirtualMachines" \
      "and \`java\` on the PATH). Install a JDK 21+ (e.g. Temurin 21 or 25) and run this again, or point" \
      "JAVA_HOME at one." >&2
    return 1
  fi
  export JAVA_HOME="$home"
  export PATH="$JAVA_HOME/bin:$PATH"
}
