#!/usr/bin/env bash
# Submit varpart's job to a Spark cluster (YARN, standalone, Kubernetes) with spark-submit.
#
#   submit/spark-submit.sh [spark-submit options] -- [varpart run options]
#
# e.g.
#   submit/spark-submit.sh --master yarn --deploy-mode cluster --num-executors 20 \
#       --executor-memory 4g -- --samples=hdfs:///study/samples.tsv \
#       --assay.rna=hdfs:///study/rna.tsv.gz --formula="~ age + (1 | patient) + (1 | batch)" \
#       --output=hdfs:///results/study1
#
# Everything before "--" goes to spark-submit, everything after it to `varpart run` (without
# "--", everything goes to varpart). spark-submit is found from SPARK_HOME, else on the PATH.
# The jar keeps Spark "provided": the cluster's Spark runs it, and the master is the one given
# to spark-submit (varpart sets one only when nothing else does).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

spark_args=()
app_args=()
if printf '%s\n' "$@" | grep -qx -- '--'; then
  in_app=0
  for a in "$@"; do
    if [ "$in_app" = 0 ] && [ "$a" = "--" ]; then in_app=1; continue; fi
    if [ "$in_app" = 0 ]; then spark_args+=("$a"); else app_args+=("$a"); fi
  done
else
  app_args=("$@")
fi

if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  submit="$SPARK_HOME/bin/spark-submit"
elif command -v spark-submit > /dev/null 2>&1; then
  submit="$(command -v spark-submit)"
else
  echo "spark-submit.sh: no Spark found: set SPARK_HOME or put spark-submit on the PATH." >&2
  exit 2
fi

jar="$(ls "$root"/target/varpart-*.jar 2>/dev/null | head -n 1 || true)"
if [ -z "$jar" ]; then
  echo "spark-submit.sh: building the jar (mvn package, tests skipped)..." >&2
  (cd "$root" && mvn -q -B -DskipTests package) >&2
  jar="$(ls "$root"/target/varpart-*.jar | head -n 1)"
fi

exec "$submit" --class org.varpart.cli.Main ${spark_args[@]+"${spark_args[@]}"} "$jar" run ${app_args[@]+"${app_args[@]}"}
