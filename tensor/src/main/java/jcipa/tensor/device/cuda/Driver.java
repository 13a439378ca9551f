package jcipa.tensor.device.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The few CUDA driver API calls jcipa needs, bound with the FFM API on {@code libcuda.so.1} (the
 * driver itself, present wherever the NVIDIA driver is; no toolkit or runtime library needed).
 * Device pointers are {@code long}s (CUdeviceptr). Every call checks its CUresult.
 */
final class Driver {
    private final MethodHandle cuInit, cuDriverGetVersion, cuDeviceGetCount, cuDeviceGet, cuDeviceGetName,
            cuDevicePrimaryCtxRetain, cuCtxSetCurrent, cuCtxSynchronize, cuModuleLoadData, cuModuleGetFunction,
            cuLaunchKernel, cuMemAlloc, cuMemFree, cuMemcpyHtoD, cuMemcpyDtoH, cuMemsetD32, cuGetErrorName,
            cuDeviceComputeCapability;
    private MemorySegment context = MemorySegment.NULL;

    /** Binds libcuda.so.1; throws UnsatisfiedLinkError-like CudaException when absent. */
    Driver() {
        Native lib = new Native(SymbolLookup.libraryLookup("libcuda.so.1", Arena.global()), "libcuda.so.1");
        FunctionDescriptor i_i = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
        FunctionDescriptor i_p = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        cuInit = lib.fn("cuInit", i_i);
        cuDriverGetVersion = lib.fn("cuDriverGetVersion", i_p);
        cuDeviceGetCount = lib.fn("cuDeviceGetCount", i_p);
        cuDeviceGet = lib.fn("cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuDeviceGetName = lib.fn("cuDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        cuDeviceComputeCapability = lib.fn("cuDeviceComputeCapability", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        cuDevicePrimaryCtxRetain = lib.fn("cuDevicePrimaryCtxRetain", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cuCtxSetCurrent = lib.fn("cuCtxSetCurrent", i_p);
        cuCtxSynchronize = lib.fn("cuCtxSynchronize", FunctionDescriptor.of(JAVA_INT));
        cuModuleLoadData = lib.fn("cuModuleLoadData", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        cuModuleGetFunction = lib.fn("cuModuleGetFunction", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        cuLaunchKernel = lib.fn("cuLaunchKernel", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        cuMemAlloc = lib.fn("cuMemAlloc_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        cuMemFree = lib.fn("cuMemFree_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        cuMemcpyHtoD = lib.fnHeap("cuMemcpyHtoD_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG));
        cuMemcpyDtoH = lib.fnHeap("cuMemcpyDtoH_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        cuMemsetD32 = lib.fn("cuMemsetD32_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG));
        cuGetErrorName = lib.fn("cuGetErrorName", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    /** cuInit, then the primary context of GPU {@code ordinal}, made current. Returns "name (sm_XY), driver A.B". */
    String open(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            check("cuInit", (int) cuInit.invokeExact(0));
            MemorySegment n = a.allocate(JAVA_INT);
            check("cuDeviceGetCount", (int) cuDeviceGetCount.invokeExact(n));
            int count = n.get(JAVA_INT, 0);
            if (count <= ordinal) throw new CudaException("no CUDA GPU " + ordinal + " (the driver sees " + count + ")");
            MemorySegment dev = a.allocate(JAVA_INT);
            check("cuDeviceGet", (int) cuDeviceGet.invokeExact(dev, ordinal));
            int device = dev.get(JAVA_INT, 0);
            MemorySegment name = a.allocate(256);
            check("cuDeviceGetName", (int) cuDeviceGetName.invokeExact(name, 256, device));
            MemorySegment major = a.allocate(JAVA_INT), minor = a.allocate(JAVA_INT);
            check("cuDeviceComputeCapability", (int) cuDeviceComputeCapability.invokeExact(major, minor, device));
            MemorySegment ver = a.allocate(JAVA_INT);
            check("cuDriverGetVersion", (int) cuDriverGetVersion.invokeExact(ver));
            MemorySegment ctx = a.allocate(ADDRESS);
            check("cuDevicePrimaryCtxRetain", (int) cuDevicePrimaryCtxRetain.invokeExact(ctx, device));
            context = ctx.get(ADDRESS, 0);
            makeCurrent();
            int v = ver.get(JAVA_INT, 0);
            return name.getString(0) + " (sm_" + major.get(JAVA_INT, 0) + minor.get(JAVA_INT, 0) + "), CUDA driver "
                    + v / 1000 + "." + v % 1000 / 10;
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("CUDA driver: " + t);
        }
    }

    /** Makes the retained context current on the calling thread. */
    void makeCurrent() {
        try {
            check("cuCtxSetCurrent", (int) cuCtxSetCurrent.invokeExact(context));
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** Loads a PTX module (JIT-compiled by the driver for this GPU). */
    MemorySegment loadModule(String ptx) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mod = a.allocate(ADDRESS);
            int r = (int) cuModuleLoadData.invokeExact(mod, a.allocateFrom(ptx));
            check("cuModuleLoadData", r);
            return mod.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    MemorySegment function(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(ADDRESS);
            check("cuModuleGetFunction(" + name + ")", (int) cuModuleGetFunction.invokeExact(f, module, a.allocateFrom(name)));
            return f.get(ADDRESS, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** Launches on the default stream; {@code params} is the void*[] of pointers to each argument. */
    void launch(String name, MemorySegment f, int gridX, int blockX, MemorySegment params) {
        launch(name, f, gridX, 1, 1, blockX, params);
    }

    /** A 3-D grid of 1-D blocks on the default stream. */
    void launch(String name, MemorySegment f, int gridX, int gridY, int gridZ, int blockX, MemorySegment params) {
        try {
            check("cuLaunchKernel(" + name + ")", (int) cuLaunchKernel.invokeExact(f, gridX, gridY, gridZ, blockX, 1, 1, 0,
                    MemorySegment.NULL, params, MemorySegment.NULL));
        } catch (Throwable t) { throw rethrow(t); }
    }

    long alloc(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(JAVA_LONG);
            check("cuMemAlloc(" + bytes + " bytes)", (int) cuMemAlloc.invokeExact(p, Math.max(bytes, 4L)));
            return p.get(JAVA_LONG, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    void free(long ptr) {
        try {
            check("cuMemFree", (int) cuMemFree.invokeExact(ptr));
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** dst[0, len) on the device = src[off, off+len). */
    void copyIn(long dst, float[] src, int off, int len) {
        if (len == 0) return;
        try {
            MemorySegment s = MemorySegment.ofArray(src).asSlice(4L * off, 4L * len);
            check("cuMemcpyHtoD", (int) cuMemcpyHtoD.invokeExact(dst, s, 4L * len));
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** dst[off, off+len) = src[0, len) on the device (waits for the work before it). */
    void copyOut(float[] dst, int off, int len, long src) {
        if (len == 0) return;
        try {
            MemorySegment d = MemorySegment.ofArray(dst).asSlice(4L * off, 4L * len);
            check("cuMemcpyDtoH", (int) cuMemcpyDtoH.invokeExact(d, src, 4L * len));
        } catch (Throwable t) { throw rethrow(t); }
    }

    void zero(long dst, long floats) {
        try {
            check("cuMemsetD32", (int) cuMemsetD32.invokeExact(dst, 0, floats));
        } catch (Throwable t) { throw rethrow(t); }
    }

    void synchronize() {
        try {
            check("cuCtxSynchronize", (int) cuCtxSynchronize.invokeExact());
        } catch (Throwable t) { throw rethrow(t); }
    }

    private void check(String what, int result) {
        if (result == 0) return;
        String name = "CUresult " + result;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            if ((int) cuGetErrorName.invokeExact(result, p) == 0)
                name = p.get(ADDRESS, 0).reinterpret(128).getString(0) + " (" + result + ")";
        } catch (Throwable ignored) {
            // keep the number
        }
        throw new CudaException(what + " failed: " + name);
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new CudaException(t.toString());
    }
}
