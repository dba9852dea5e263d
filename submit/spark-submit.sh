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
# In cluster deploy mode the driver runs on a cluster node, which cannot see this machine's disk:
# a config file given as a local path is shipped with the application (spark-submit --files) and
# passed by its name, which the driver finds in its working directory. The paths inside it must
# then be ones the cluster reaches (hdfs://, s3://, s3a://, ...). A config already on the cluster's
# file system (hdfs:///study/varpart.conf, s3a://bucket/study/varpart.conf) is passed as it is.
#   submit/spark-submit.sh --master yarn --deploy-mode cluster -- conf/study.conf
#
# Everything before "--" goes to spark-submit, everything after it to `varpart run` (without
# "--", everything goes to varpart). spark-submit is found from SPARK_HOME, else on the PATH.
# The jar keeps Spark "provided": the cluster's Spark runs it, and the master is the one given
# to spark-submit (varpart sets one only when nothing else does). The jar is target/varpart-*.jar
# (built with mvn package if missing), or the one VARPART_JAR names.
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

# cluster deploy mode: ship a local config file with the application
cluster=0
for ((i = 0; i < ${#spark_args[@]}; i++)); do
  case "${spark_args[$i]}" in
    --deploy-mode=cluster) cluster=1 ;;
    --deploy-mode) [ "${spark_args[$((i + 1))]:-}" = cluster ] && cluster=1 ;;
  esac
done
if [ "$cluster" = 1 ]; then
  for ((i = 0; i < ${#app_args[@]}; i++)); do
    a="${app_args[$i]}"
    case "$a" in --*) continue ;; esac
    if [[ "$a" != *://* ]] && [[ "$a" != *:/* ]] && [ -f "$a" ]; then
      name="$(basename "$a")"
      shipped=0
      for ((j = 0; j < ${#spark_args[@]}; j++)); do
        if [ "${spark_args[$j]}" = --files ] && [ $((j + 1)) -lt ${#spark_args[@]} ]; then
          spark_args[$((j + 1))]="${spark_args[$((j + 1))]},$a"; shipped=1
        fi
      done
      [ "$shipped" = 1 ] || spark_args+=(--files "$a")
      app_args[$i]="$name"
      echo "spark-submit.sh: shipping the config file $a with the application (--files); the driver reads it as $name" >&2
    fi
    break
  done
fi

if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  submit="$SPARK_HOME/bin/spark-submit"
elif command -v spark-submit > /dev/null 2>&1; then
  submit="$(command -v spark-submit)"
else
  echo "spark-submit.sh: no Spark found: set SPARK_HOME or put spark-submit on the PATH." >&2
  exit 2
fi

jar="${VARPART_JAR:-$(ls "$root"/target/varpart-*.jar 2>/dev/null | head -n 1 || true)}"
if [ -z "$jar" ]; then
  echo "spark-submit.sh: building the jar (mvn package, tests skipped)..." >&2
  (cd "$root" && mvn -q -B -DskipTests package) >&2
  jar="$(ls "$root"/target/varpart-*.jar | head -n 1)"
fi

exec "$submit" --class org.varpart.cli.Main ${spark_args[@]+"${spark_args[@]}"} "$jar" run ${app_args[@]+"${app_args[@]}"}
