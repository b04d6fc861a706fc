/**
 * The key-value arithmetic experiment ({@code experiment: kv-arithmetic}, {@link calm.kv.KvArithmetic}):
 * its config's data section ({@link calm.kv.KvDataConfig}) and its jobs ({@link calm.kv.KvExperiment}:
 * pretraining m_A and m_B, the composition and its scratchpad variant, the fine-tuned anchor;
 * {@link calm.kv.KvBaselines}: LoRA and the ablations' models and compositions).
 */
package calm.kv;
