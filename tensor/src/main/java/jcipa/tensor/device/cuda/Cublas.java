package jcipa.tensor.device.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * cuBLAS single-precision GEMM through the FFM API. The library is looked up where CUDA toolkits and
 * the NVIDIA Python wheels put it (see {@link #candidates()}), or at {@code $JCIPA_CUBLAS}. Math mode
 * is left at CUBLAS_DEFAULT_MATH (plain float32, no TF32), and {@code NVIDIA_TF32_OVERRIDE=0} is
 * documented for machines that force TF32.
 */
final class Cublas {
    private static final int OP_N = 0, OP_T = 1;
    private final MethodHandle sgemmStridedBatched;
    private final MemorySegment handle;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment one, zero;
    final String library;

    /** Opens cuBLAS in the current context; the message of a failure lists where it looked. */
    Cublas() {
        List<String> tried = new ArrayList<>();
        SymbolLookup found = null;
        String where = null;
        for (String c : candidates()) {
            try {
                Path p = Path.of(c);
                if (p.isAbsolute()) {
                    if (!Files.exists(p)) continue;
                    Path lt = p.resolveSibling(p.getFileName().toString().replace("libcublas.", "libcublasLt."));
                    if (Files.exists(lt)) SymbolLookup.libraryLookup(lt, Arena.global());   // its dependency, from the same folder
                    found = SymbolLookup.libraryLookup(p, Arena.global());
                } else {
                    found = SymbolLookup.libraryLookup(c, Arena.global());
                }
                where = c;
                break;
            } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
                tried.add(c);
            }
        }
        if (found == null) throw new CudaException("cuBLAS not found (tried " + String.join(", ", tried)
                + "; set JCIPA_CUBLAS to the path of libcublas.so.13 or .12)");
        library = where;
        Native lib = new Native(found, where);
        MethodHandle create = lib.fn("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        // (handle, transa, transb, m, n, k, *alpha, A, lda, strideA, B, ldb, strideB, *beta, C, ldc, strideC, batch);
        // A, B, C are device pointers, passed as 64-bit integers
        sgemmStridedBatched = lib.fn("cublasSgemmStridedBatched", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG,
                ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(ADDRESS);
            int r = (int) create.invokeExact(h);
            if (r != 0) throw new CudaException("cublasCreate failed: status " + r + " (" + where + ")");
            handle = h.get(ADDRESS, 0);
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw Driver.rethrow(t);
        }
        one = arena.allocate(JAVA_FLOAT);
        one.set(JAVA_FLOAT, 0, 1f);
        zero = arena.allocate(JAVA_FLOAT);
        zero.set(JAVA_FLOAT, 0, 0f);
    }

    /**
     * Row-major C_t (M,N) (=, or += with accumulate) op(A_t)·op(B_t) for t &lt; batch, on device
     * pointers; A is (M,K) or stored (K,M) when transA, B is (K,N) or stored (N,K) when transB. A
     * row-major matrix is the column-major transpose, so this is the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ.
     */
    void gemm(int batch, boolean transA, boolean transB, int m, int n, int k, long a, long aStride, long b, long bStride,
              long c, long cStride, boolean accumulate) {
        MemorySegment beta = accumulate ? one : zero;
        try {
            int r = (int) sgemmStridedBatched.invokeExact(handle, transB ? OP_T : OP_N, transA ? OP_T : OP_N, n, m, k, one,
                    b, transB ? k : n, bStride, a, transA ? m : k, aStride, beta, c, n, cStride, batch);
            if (r != 0) throw new CudaException("cublasSgemmStridedBatched failed: status " + r + " (batch=" + batch + " M=" + m
                    + " N=" + n + " K=" + k + ")");
        } catch (Throwable t) { throw Driver.rethrow(t); }
    }

    /** $JCIPA_CUBLAS, the loader's own search by soname, then toolkit and Python-wheel folders. */
    static List<String> candidates() {
        List<String> out = new ArrayList<>();
        String env = System.getenv("JCIPA_CUBLAS");
        if (env != null && !env.isBlank()) out.add(env);
        out.add("libcublas.so.13");
        out.add("libcublas.so.12");
        List<Path> dirs = new ArrayList<>(List.of(Path.of("/usr/local/cuda/lib64"), Path.of("/usr/local/cuda/targets/x86_64-linux/lib")));
        dirs.addAll(glob(Path.of("/usr/local"), "cuda-*", "targets/x86_64-linux/lib"));
        for (Path root : List.of(Path.of("/opt"), Path.of("/usr/local/lib"), Path.of("/usr/lib"))) {
            for (Path sp : sitePackages(root)) {
                for (String sub : List.of("nvidia/cu13/lib", "nvidia/cublas/lib", "nvidia/cu12/lib")) dirs.add(sp.resolve(sub));
            }
        }
        for (Path d : dirs) for (String so : List.of("libcublas.so.13", "libcublas.so.12")) out.add(d.resolve(so).toString());
        return out;
    }

    private static List<Path> glob(Path dir, String pattern, String sub) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (var s = Files.newDirectoryStream(dir, pattern)) {
            for (Path p : s) out.add(p.resolve(sub));
        } catch (IOException ignored) {
            // nothing there
        }
        return out;
    }

    /** site-packages / dist-packages folders at most five levels under root (virtual environments included). */
    private static List<Path> sitePackages(Path root) {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.find(root, 5, (p, a) -> a.isDirectory()
                && (p.getFileName().toString().equals("site-packages") || p.getFileName().toString().equals("dist-packages")))) {
            return s.toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
