# Shared by the scripts: build the server when its jars are missing or older than the main sources
# (test sources do not change a jar, and an unchanged jar is not rewritten, so they would look stale).
server_jar() { ls modules/server/target/lanes-server-*.jar 2>/dev/null | head -1; }
server_classpath() { echo "$(server_jar):modules/server/target/lib/*"; }
ensure_built() {
  local jar; jar=$(server_jar)
  if [ -z "$jar" ] || [ ! -d modules/server/target/lib ] || \
     [ -n "$(find pom.xml modules -newer "$jar" \( -name '*.java' -o -name '*.conf' -o -name 'pom.xml' -o -name '*.xml' \) -not -path '*/target/*' -not -path '*/src/test/*' \
          -not -path 'modules/client/*' -not -path 'modules/bench/*' -print -quit)" ]; then
    # (client and bench are not part of the server: a change there needs no server rebuild)
    echo "Building Lanes (first run or sources changed)..." >&2
    mvn -B -q -DskipTests install >&2
  fi
}
