# Shared by the scripts: build the server when its jars are missing or older than the main sources
# (test sources do not change a jar, and an unchanged jar is not rewritten, so they would look stale;
# the dashboard's files count: they are in the http jar).
server_jar() { ls modules/server/target/lanes-server-*.jar 2>/dev/null | head -1; }
server_classpath() { echo "$(server_jar):modules/server/target/lib/*"; }
ensure_built() {
  local jar; jar=$(server_jar)
  if [ -z "$jar" ] || [ ! -d modules/server/target/lib ] || \
     [ -n "$(find pom.xml modules -newer "$jar" \( -name '*.java' -o -name '*.conf' -o -name 'pom.xml' -o -name '*.xml' -o -path '*/src/main/resources/dashboard/*' \) -not -path '*/target/*' -not -path '*/src/test/*' \
          -not -path 'modules/client/*' -not -path 'modules/bench/*' -print -quit)" ]; then
    # (client and bench are not part of the server: a change there needs no server rebuild)
    echo "Building Lanes (first run or sources changed)..." >&2
    mvn -B -q -DskipTests install >&2
  fi
}

# The node's JVM options; scripts/run and scripts/bench put LANES_JAVA_OPTS after them, and the
# last occurrence of a JVM flag wins, so a user can override any of them.
# - The common ForkJoin pool: on 2 cores its parallelism is 1, and CompletableFuture then starts a
#   new thread for every async step of every request: give it a real pool.
# - On 2 CPUs or fewer, C1 only (-XX:TieredStopAtLevel=1). Measured on 2 vCPU (BENCHMARKS.md):
#   C2 keeps compiling Akka, akka-http, H2 and Slick for minutes, its thread taking up to a whole
#   core, and the lanes' timers and actors wait for CPU behind it; with C1 alone the node is
#   faster from the start and no slower after 100,000 jobs. More cores: the JVM's default
#   (tiered) is kept. LANES_JAVA_OPTS=-XX:TieredStopAtLevel=4 brings C2 back.
node_java_options() {
  local opts="-Djava.util.concurrent.ForkJoinPool.common.parallelism=4"
  if [ "$(nproc 2>/dev/null || echo 4)" -le 2 ]; then
    opts="$opts -XX:TieredStopAtLevel=1"
  fi
  echo "$opts"
}
