package calm.io.hf;

/** The element types a safetensors header may name, with their sizes in bytes. */
public enum Dtype {
    /** Boolean, one byte. */
    BOOL(1),
    /** Unsigned 8-bit integer. */
    U8(1),
    /** Signed 8-bit integer. */
    I8(1),
    /** 8-bit float, 4 exponent bits. */
    F8_E4M3(1),
    /** 8-bit float, 5 exponent bits. */
    F8_E5M2(1),
    /** Signed 16-bit integer. */
    I16(2),
    /** Unsigned 16-bit integer. */
    U16(2),
    /** IEEE half precision. */
    F16(2),
    /** bfloat16: the upper half of a float32. */
    BF16(2),
    /** Signed 32-bit integer. */
    I32(4),
    /** Unsigned 32-bit integer. */
    U32(4),
    /** IEEE single precision. */
    F32(4),
    /** IEEE double precision. */
    F64(8),
    /** Signed 64-bit integer. */
    I64(8),
    /** Unsigned 64-bit integer. */
    U64(8);

    private final int size;

    Dtype(int size) {
        this.size = size;
    }

    /** @return bytes per element */
    public int size() {
        return size;
    }

    /** @return whether {@link SafetensorsFile#read} widens this type to float32 */
    public boolean widensToFloat32() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** @return the type named in a header, or null when the name is unknown */
    static Dtype parse(String name) {
        for (Dtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return dtype;
            }
        }
        return null;
    }
}
