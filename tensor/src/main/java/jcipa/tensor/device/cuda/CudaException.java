package jcipa.tensor.device.cuda;

/** A CUDA driver or cuBLAS call returned an error; the message names the call and the error. */
public final class CudaException extends RuntimeException {
    public CudaException(String message) { super(message); }
}
