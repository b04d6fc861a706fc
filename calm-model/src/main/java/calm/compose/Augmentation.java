package calm.compose;

/**
 * One augmenting model m_A, what its connections read of it, how it is wired into the anchor, and
 * how it reads the sequence.
 *
 * @param source the frozen augmenting model as its connections read it
 * @param wiring its connections into the anchor
 * @param mode lockstep (the paper's setting) or encoder-only (an ablation)
 */
public record Augmentation(CompositionSource source, Wiring wiring, Mode mode) {

    /** How the augmenting model reads the sequence. */
    public enum Mode {
        /** m_A reads every token the anchor reads, including each newly generated one. */
        LOCKSTEP,
        /** m_A reads the prompt only; its states are not updated while decoding ("m_A as encoder"). */
        ENCODER
    }
}
