package jcipa.tensor.io;

/**
 * A pickle that the restricted unpickler refuses: malformed bytes, an opcode outside the supported
 * set, a global outside the allowed set, or arguments that do not fit their builder.
 */
final class PickleError extends Exception {
    PickleError(String message) {
        super(message);
    }
}
