package jcipa.tensor.device;

/** The device asked for cannot be used here; the message says why (no driver, no GPU, no cuBLAS, ...). */
public final class DeviceUnavailableException extends Exception {
    public DeviceUnavailableException(String message) { super(message); }
    public DeviceUnavailableException(String message, Throwable cause) { super(message, cause); }
}
