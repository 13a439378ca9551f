#!/usr/bin/env bash
# Compiles jcipa_kernels.cu to the PTX that CudaBackend loads (checked in, so the Maven build needs
# no CUDA toolkit). Run after editing the .cu, where nvcc (CUDA 12.x or 13.x) exists:
#   tensor/src/main/cuda/build-ptx.sh
# compute_75 (Turing and newer, the oldest target of CUDA 13): the driver JIT-compiles the PTX for
# the GPU it finds. -fmad=false: no a*b+c contraction into fma (Java never contracts), so the
# forward kernels give the CPU kernels' bits. The first line of the PTX records the SHA-256 of the
# source; PtxFreshnessTest checks it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/jcipa_kernels.cu"
out="$here/../resources/jcipa/tensor/device/cuda/jcipa_kernels.ptx"
mkdir -p "$(dirname "$out")"
tmp="$(mktemp)"
nvcc -ptx -arch=compute_75 -O3 -fmad=false -o "$tmp" "$src"
{ echo "// source-sha256 $(sha256sum "$src" | cut -d' ' -f1)"; cat "$tmp"; } > "$out"
rm -f "$tmp"
echo "wrote $out"
