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
 *
 * <p>{@link jcipa.tensor.io.TorchCheckpoint#read} reads PyTorch {@code .pth} checkpoints (the
 * torch.save zip format) without executing anything: a restricted pickle machine maps the few
 * globals checkpoints name to its own builders and refuses every other global. Problems are
 * {@link jcipa.tensor.io.TorchCheckpointException}s naming the file.
 */
package jcipa.tensor.io;
