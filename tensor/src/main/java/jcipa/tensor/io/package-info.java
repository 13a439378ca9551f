/**
 * Safetensors files on plain arrays and shapes, independent of any tensor class.
 *
 * <p>{@link jcipa.tensor.io.SafeTensors#open} maps a file read-only and validates its whole header
 * eagerly; {@link jcipa.tensor.io.SafeTensors.Writer} writes one deterministically and atomically,
 * byte-identical to the Python reference implementation for the same tensors in its order.
 * Format problems are {@link jcipa.tensor.io.SafeTensorsFormatException}s naming the file.
 *
 * <p>One deliberate difference from the reference reader: gaps between tensors (and unused bytes
 * after the last one) are accepted; overlapping tensors are rejected.
 */
package jcipa.tensor.io;
