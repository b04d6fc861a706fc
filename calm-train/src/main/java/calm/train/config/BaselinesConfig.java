package calm.train.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The baselines trained beside CALM, on the same D_C with the same {@code training} settings.
 *
 * @param finetune fine-tune every parameter of m_B
 * @param lora train LoRA adapters on m_B's projections
 * @param loraRank the adapters' rank; 0 picks the rank whose trainable parameter count is closest
 *     to the composition's
 * @param loraTargets which projections get an adapter: suffixes of their dotted block names, e.g.
 *     {@code attn.qkv} matches {@code layers.0.attn.qkv}
 */
public record BaselinesConfig(boolean finetune, boolean lora, int loraRank, List<String> loraTargets) {

    /** GPT's attention (fused QKV and output) and MLP (in and out) projections. */
    public static final List<String> GPT_PROJECTIONS = List.of("attn.qkv", "attn.proj", "mlp.fc", "mlp.proj");

    /** Checks the fields. */
    public BaselinesConfig {
        Objects.requireNonNull(loraTargets, "loraTargets");
        if (loraRank < 0 || loraRank > 4096) {
            throw new IllegalArgumentException("loraRank must be in [0, 4096] (0 = match CALM's trainable parameters), got "
                    + loraRank);
        }
        if (loraTargets.isEmpty()) {
            throw new IllegalArgumentException("loraTargets must name at least one projection, e.g. " + GPT_PROJECTIONS);
        }
        if (loraTargets.stream().anyMatch(t -> t == null || t.isBlank()) || new HashSet<>(loraTargets).size() != loraTargets.size()) {
            throw new IllegalArgumentException("loraTargets must be distinct non-empty names, got " + loraTargets);
        }
        loraTargets = List.copyOf(loraTargets);
    }

    /** @return both baselines on, the LoRA rank matched to CALM, every GPT projection adapted */
    public static BaselinesConfig defaults() {
        return new BaselinesConfig(true, true, 0, GPT_PROJECTIONS);
    }
}
