# Shared by the scripts: sourced, not run.
# Picks a JDK >= 25 (the machine's default java is 17) and exports JAVA_HOME and PATH for it.

morgana_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

java_major() { # prints the feature version of the JDK at $1, or nothing
  local release="$1/release"
  [ -x "$1/bin/javac" ] && [ -f "$release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

pick_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -d "$candidate" ] || continue
    major="$(java_major "$candidate")"
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "morgana: no JDK 25 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm/*)." >&2
  echo "morgana: install Temurin 25 under /usr/lib/jvm, or point JAVA_HOME at a JDK 25." >&2
  return 1
}

# Maven, quiet about downloads, batch mode.
# Maven's own guava touches sun.misc.Unsafe; JDK 25 warns about it on every run.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn_b() { mvn -B -ntp -Dstyle.color=never "$@"; }
