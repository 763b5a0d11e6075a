# Sourced by the scripts in ops/bin (with ROOT set to the checkout): builds the jars a script runs
# when they are missing or older than the sources they come from — on first use, and after a
# 'git pull' or an edit, so that nobody runs yesterday's code by accident.

# aimstore_build WHO JAR MODULE... — WHO names the script in messages; JAR is the jar the script
# runs; the MODULEs are the source modules it is built from, the last one the module to build.
aimstore_build() {
  local who=$1 jar=$2 why="" m
  shift 2
  local target=${*: -1}
  if [[ ! -f "$jar" || ! -d "$(dirname "$jar")/lib" ]]; then
    why="first use"
  else
    for m in "$@"; do
      if [[ -n "$(find "$ROOT/$m/src/main" "$ROOT/$m/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
        why="$m changed"
        break
      fi
    done
    [[ -z $why && "$ROOT/pom.xml" -nt "$jar" ]] && why="pom.xml changed"
  fi
  [[ -z $why ]] && return 0
  echo "$who: building ($why; about a minute)..." >&2
  (cd "$ROOT" && mvn -q -B -DskipTests -Dspotless.check.skip=true package -pl "$target" -am) >&2 || {
    echo "$who: build failed; run 'mvn -B -DskipTests package -pl $target -am' to see why" >&2
    exit 1
  }
  touch "$jar"
}
