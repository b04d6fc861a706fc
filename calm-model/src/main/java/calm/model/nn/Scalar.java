package calm.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * Scalar operands for differentiable arithmetic.
 *
 * <p>On the PyTorch engine {@code x.mul(2f)} wraps the 2 in an array that points at a Java direct
 * buffer and closes it as soon as the call returns, but autograd keeps that array for the backward
 * pass of a multiplication or division. Once the garbage collector reclaims the buffer the
 * backward pass reads freed memory: gradients turn random or NaN, now and then, depending on GC
 * timing. A scalar made here is attached to the manager of the array it scales, so it lives until
 * that scope is closed, after the backward pass.
 */
public final class Scalar {

    private Scalar() {}

    /** @return the value as a float32 scalar on the manager of {@code x} */
    public static NDArray like(NDArray x, float value) {
        return x.getManager().create(value);
    }
}
