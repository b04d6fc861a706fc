/**
 * LoRA (Hu et al., arXiv 2106.09685) on a frozen decoder, the paper's parameter-matched baseline:
 * each chosen projection W gains a trainable low-rank term, y = W x + B A x with B zero at the
 * start ({@link calm.train.lora.LoraModel}, {@link calm.train.lora.LoraFolder}).
 */
package calm.train.lora;
