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

# The benchmarks' two posts, in directory $1: a small one (about 2 KB of HTML once built) and a typical one
# (about 30 KB), the same words every time.
bench_posts() {
  printf -- '---\ntitle: Small\ndate: 2026-01-01\n---\n%s\n' "$(printf 'A short note on packets. %.0s' $(seq 1 30))" >"$1/small.md"
  python3 - "$1/typical.md" <<'PY'
import random, sys
random.seed(7)
words = "packet stack kernel socket frame window segment buffer latency header option handshake route".split()
para = lambda: " ".join(random.choice(words) for _ in range(random.randint(60, 120))).capitalize() + "."
body = []
for i in range(40):
    body += ["## Part %d" % i, "", para(), ""]
open(sys.argv[1], "w").write("---\ntitle: Typical\ndate: 2026-01-02\n---\n" + "\n".join(body) + "\n")
PY
}

# Writes the Markdown file $1 (which starts with its "## heading") as that section of docs/benchmarks.md:
# replaces the section of the same heading (up to the next "## "), or appends it; the others stay.
write_bench_section() {
  mkdir -p "$morgana_root/docs"
  python3 - "$1" "$morgana_root/docs/benchmarks.md" <<'PY'
import os, re, sys
section = open(sys.argv[1]).read().rstrip("\n") + "\n"
heading = re.escape(re.sub(r" \(.*", "", section.split("\n", 1)[0]))
text = open(sys.argv[2]).read() if os.path.exists(sys.argv[2]) else ""
pattern = re.compile(r"^" + heading + r".*?(?=^## |\Z)", re.S | re.M)
if pattern.search(text):
    text = pattern.sub(lambda m: section + ("\n" if m.end() < len(text) else ""), text, count=1)
else:
    text = text.rstrip("\n") + ("\n\n" if text else "") + section
open(sys.argv[2], "w").write(text)
PY
}
