/**
 * Output ensembles: models that share a vocabulary, run side by side, their next-token
 * distributions averaged. With weight merging ({@code calm merge}) the other way to combine models
 * without training, and a baseline for composition.
 */
package calm.ensemble;
