# Shared by the scripts: build what is missing or older than its main sources. Each module is
# compared with its own jar: an unchanged jar is not rewritten, so a change in one module (a
# dashboard file in http, a client class) leaves the others' jars as they were. Test sources do not
# change a jar; bench is built by scripts/bench itself.
server_jar() { ls modules/server/target/lanes-server-*.jar 2>/dev/null | head -1; }
server_classpath() { echo "$(server_jar):modules/server/target/lib/*"; }
module_jar() { ls modules/"$1"/target/lanes-"$1"-*.jar 2>/dev/null | head -1; }
module_stale() {
  local jar; jar=$(module_jar "$1")
  [ -z "$jar" ] || [ -n "$(find modules/"$1"/src/main modules/"$1"/pom.xml -newer "$jar" -type f -print -quit)" ]
}
ensure_built() {
  local m stale=""
  for m in core actors http server client; do
    if module_stale "$m"; then stale="$m"; fi
  done
  if [ -n "$stale" ] || [ ! -d modules/server/target/lib ] || [ -n "$(find pom.xml -newer "$(server_jar)" -print -quit)" ]; then
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
