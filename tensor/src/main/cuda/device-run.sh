#!/usr/bin/env bash
# Runs the CUDA checks on a GPU machine that has no Java: a jlink runtime and the jars travel
# packed in .dev/ (see docs/cuda.md, "Running on a machine without Java"). From the repo root:
#   tensor/src/main/cuda/device-run.sh selfcheck|tiny|mini|scan|bench|profile|verify:DEVICE:FILE ...   (in order)
# .dev/ holds jrt.tar.xz (jlink runtime), app.tar.xz (jars) and golden files as NAME.xz.
# Logs go to $OUT (default /tmp/out); a summary goes to stdout.
set -u
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
export NVIDIA_TF32_OVERRIDE=0      # plain float32 in cuBLAS even where TF32 is forced
dev=$(pwd)/.dev
[ -x /tmp/jrt/bin/java ] || tar -C /tmp -xJf "$dev/jrt.tar.xz"
mkdir -p /tmp/app /tmp/g && tar -C /tmp/app -xJf "$dev/app.tar.xz"
for f in "$dev"/*.xz; do
  case "$f" in *jrt.tar.xz|*app.tar.xz) continue;; esac
  b=$(basename "$f" .xz); [ -s "/tmp/g/$b" ] || xz -dc "$f" > "/tmp/g/$b"
done
J=(/tmp/jrt/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=75 -cp '/tmp/app/*')
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee -a "$OUT/summary.txt"
echo "cores $(nproc)" | tee -a "$OUT/summary.txt"
summary() { grep -E "FAIL|passed|failed|not checked|device|Exception|error|Error|^forward|^official|^bench|run [0-9]|warm-up|timing|scan |linear |conv fwd|CUDA" "$1" | grep -v "^ok " | tail -40 | tee -a "$OUT/summary.txt"; }
verify() {   # verify DEVICE FILE
  local log="$OUT/verify-$1-$(basename "$2" .safetensors).txt" t0=$(date +%s)
  "${J[@]}" jcipa.cli.SlimMain verify --device "$1" "/tmp/g/$2" > "$log" 2>&1; local rc=$?
  echo "== verify --device $1 $2: rc=$rc, $(( $(date +%s) - t0 )) s" | tee -a "$OUT/summary.txt"; summary "$log"
}
for mode in "$@"; do
  case $mode in
    selfcheck) "${J[@]}" jcipa.tensor.device.cuda.CudaSelfCheck --timing > "$OUT/selfcheck.txt" 2>&1
               echo "== selfcheck rc=$?" | tee -a "$OUT/summary.txt"; summary "$OUT/selfcheck.txt";;
    tiny) verify cuda cipa-tiny-512.safetensors;;
    mini) verify cuda cipa-mini.safetensors;;
    scan) verify cuda ops-selective-scan.safetensors;;
    profile) for d in cuda cpu; do
               "${J[@]}" jcipa.cli.SlimMain bench --device $d --warmup 1 --runs 2 --profile > "$OUT/profile-$d.txt" 2>&1
               echo "== bench --profile --device $d rc=$?" | tee -a "$OUT/summary.txt"; grep -v WARNING "$OUT/profile-$d.txt" | tee -a "$OUT/summary.txt"
             done;;
    verify:*) IFS=: read -r _ d f <<< "$mode"; verify "$d" "$f";;
    bench) for d in cuda cuda-fast cpu; do   # cuda-fast: JCIPA_CUDA_FAST=1 (cuBLAS for products and dense convs)
             if [ $d = cuda-fast ]; then export JCIPA_CUDA_FAST=1; dd=cuda; else unset JCIPA_CUDA_FAST; dd=$d; fi
             "${J[@]}" jcipa.cli.SlimMain bench --device $dd --warmup 1 --runs 3 > "$OUT/bench-$d.txt" 2>&1
             echo "== bench --device $dd ($d) rc=$?" | tee -a "$OUT/summary.txt"; summary "$OUT/bench-$d.txt"
           done; unset JCIPA_CUDA_FAST;;
  esac
done
