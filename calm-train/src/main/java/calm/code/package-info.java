/**
 * The code experiment of CALM (arXiv 2401.02412, section 4.3) at CPU scale, on real Java sources:
 * Apache-2.0 libraries' {@code -sources.jar} files, fetched with Maven into a checksummed cache
 * ({@link calm.code.SourcesCache}), parsed with JavaParser ({@link calm.code.MethodExtractor}) and
 * split by library ({@link calm.code.CodeDatasets}): m_A learns the training libraries' methods, m_B
 * English prose, D_C pairs a share of m_A's methods with their documentation, and the held-out
 * library's methods, near duplicates of training code left out ({@link calm.code.NearDuplicates}),
 * are the evaluation. docs/code.md describes the data, the formats and the results.
 */
package calm.code;
