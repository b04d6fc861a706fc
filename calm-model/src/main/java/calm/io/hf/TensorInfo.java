package calm.io.hf;

import ai.djl.ndarray.types.Shape;

/**
 * One tensor of a safetensors file, as its header describes it.
 *
 * @param name the tensor's name
 * @param dtype its element type
 * @param shape its shape (empty for a scalar)
 * @param begin offset of its first byte in the data section (after the header)
 * @param end offset one past its last byte in the data section
 */
public record TensorInfo(String name, Dtype dtype, Shape shape, long begin, long end) {}
