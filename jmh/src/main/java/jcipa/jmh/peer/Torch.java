package jcipa.jmh.peer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;

/**
 * PyTorch on the CPU through DJL, loaded offline.
 *
 * <p>How libtorch is found without a network: the {@code pytorch-native-cpu} jar (classifier
 * {@code linux-x86_64}) on the classpath carries libtorch and a {@code native/lib/pytorch.properties}
 * that names its version, flavour and files. DJL's {@code LibUtils} sees that file, so the platform
 * is not a placeholder and it copies the libraries out of the jar into its engine cache
 * ({@code ~/.djl.ai/pytorch/<version>-cpu-linux-x86_64}, or under {@code ENGINE_CACHE_DIR}); the JNI
 * glue {@code libdjl_torch.so} comes out of the {@code pytorch-jni} jar the same way. Nothing is
 * downloaded. {@code ai.djl.offline=true} makes any attempt to download fail instead of fetching.
 */
final class Torch {
    private Torch() {}

    /**
     * Loads the engine with {@code threads} intra-op threads and one inter-op thread. Must run
     * before anything else touches DJL: PyTorch reads the thread counts once, at engine start.
     */
    static Engine start(int threads) {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("slf4j.internal.verbosity", "ERROR");   // DJL logs through SLF4J; no binding here, and none needed
        setIfAbsent("ai.djl.pytorch.num_threads", String.valueOf(threads));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        Engine engine = Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
        if (JniUtils.getNumThreads() != threads)
            throw new IllegalStateException("PyTorch runs " + JniUtils.getNumThreads() + " intra-op threads, wanted " + threads);
        return engine;
    }

    /** One line saying which libtorch runs and how. */
    static String describe(Engine engine) {
        return "PyTorch " + engine.getVersion() + " (DJL " + Engine.getDjlVersion() + ", libtorch from " + LibUtils.getLibtorchPath()
                + "), intra-op threads " + JniUtils.getNumThreads() + ", inter-op threads " + JniUtils.getNumInteropThreads();
    }

    /** A float32 CPU array holding a copy of {@code data}, shape {@code dims}. */
    static NDArray array(NDManager m, float[] data, long... dims) {
        return m.create(data, new Shape(dims));
    }

    static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
