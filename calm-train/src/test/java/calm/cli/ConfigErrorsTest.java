package calm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import calm.compose.CrossAttention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of config error reaches the user through the CLI as one clear line and exit code 2. */
class ConfigErrorsTest {

    @TempDir
    Path folder;

    private CalmRunner.Result pretrainWith(String yaml) throws IOException {
        Path config = folder.resolve("bad.yaml");
        // Errors are found before anything is written; the output goes to the test's folder regardless.
        Files.writeString(config, yaml.contains("output:") ? yaml : yaml + "output: " + folder.resolve("out") + "\n");
        return CalmRunner.run("pretrain", config.toString(), "--model", "a");
    }

    private void assertConfigError(CalmRunner.Result result, String expected) {
        assertEquals(2, result.exitCode(), result.err());
        assertEquals("calm: config error: " + folder.resolve("bad.yaml") + expected, result.err().strip());
    }

    @Test
    void anUnknownFieldNamesTheFieldItsLineAndTheAllowedOnes() throws IOException {
        assertConfigError(pretrainWith("training:\n  steps: 10\n  warmupSteps: 5\n  learnignRate: 0.1\n"),
                ":4: training.learnignRate: unknown field 'learnignRate' in training; allowed: steps, batchSize, "
                        + "gradientAccumulation, learningRate, minLearningRate, warmupSteps, weightDecay, beta1, beta2, "
                        + "epsilon, clipNorm, evalInterval, evalExamples, checkpointInterval, logInterval, seed, predictTokens, positionShift");
    }

    @Test
    void anEncoderAblationOfAnEncoderCompositionIsRefused() throws IOException {
        assertConfigError(pretrainWith("composition:\n  mode: encoder\nablations:\n  encoderAugmenting: true\n"),
                ":4: ablations.encoderAugmenting: must be false when composition.mode is ENCODER: the ablation composes "
                        + "m_A as an encoder, which is then CALM itself");
    }

    @Test
    void anUnknownResultRangeNamesTheAllowedOnes() throws IOException {
        assertConfigError(pretrainWith("data:\n  expressions: {results: positive}\n"),
                ":2: data.expressions.results: expected one of [ANY, NON_NEGATIVE], got the text \"positive\"");
    }

    @Test
    void anUnknownSectionIsNamedToo() throws IOException {
        assertConfigError(pretrainWith("data:\n  numKeys: 100\ncompositon:\n  heads: 2\n"),
                ":3: compositon: unknown field 'compositon' in the top level; allowed: experiment, data, models, composition, training, selection, baselines, ablations, variants, merging, evaluation, execution, "
                        + "output");
    }

    @Test
    void aWrongTypeNamesWhatWasExpectedAndWhatWasFound() throws IOException {
        assertConfigError(pretrainWith("models:\n  a:\n    training:\n      batchSize: lots\n"),
                ":4: models.a.training.batchSize: expected a whole number, got the text \"lots\"");
        assertConfigError(pretrainWith("training:\n  steps: 2.5\n"),
                ":2: training.steps: expected a whole number, got the number 2.5");
        assertConfigError(pretrainWith("composition:\n  mode: sideways\n"),
                ":2: composition.mode: expected one of [LOCKSTEP, ENCODER], got the text \"sideways\"");
    }

    @Test
    void aValueOutOfRangeNamesTheRangeAllowed() throws IOException {
        assertConfigError(pretrainWith("data:\n  numKeys: 100\ntraining:\n  learningRate: -0.5\n"),
                ":4: training.learningRate: learningRate must be in (0, 10], got -0.5");
        assertConfigError(pretrainWith("models:\n  b:\n    architecture:\n      hiddenSize: 30\n      numHeads: 4\n"),
                ":4: models.b.architecture.hiddenSize: hiddenSize (30) must be a multiple of numHeads (4)");
    }

    @Test
    void multiTokenPredictionIsForPretrainingOnly() throws IOException {
        assertConfigError(pretrainWith("models:\n  a:\n    training: {predictTokens: 17}\n"),
                ":3: models.a.training.predictTokens: predictTokens must be in [1, 16], got 17");
        assertConfigError(pretrainWith("training:\n  predictTokens: 3\n"),
                ":2: training.predictTokens: must be 1: this section trains compositions and the baselines beside them, "
                        + "which predict the next token only; multi-token prediction is for pretraining "
                        + "(models.a.training, models.b.training), got 3");
        assertConfigError(pretrainWith("training:\n  positionShift: 4\n"),
                ":2: training.positionShift: must be 0: this section trains compositions and the baselines beside them, "
                        + "which read every sequence from position 0; random start positions are for pretraining "
                        + "(models.a.training, models.b.training), got 4");
    }

    @Test
    void aShiftThatPushesTheLongestSequenceOutOfTheContextNamesTheContext() throws IOException {
        CalmRunner.Result result = pretrainWith("data:\n  numKeys: 20\n  expressions: {minOperands: 2, maxOperands: 2}\n"
                + "  sizes: {substitutionTrain: 50, numericTrain: 50, compositionTrain: 20, evalPerSplit: 5}\n"
                + "models:\n  a:\n    architecture: {contextLength: 32}\n    training: {positionShift: 20}\n");
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().matches("(?s)calm: config error: .*bad\\.yaml:7: models\\.a\\.architecture\\.contextLength: must be at "
                + "least (\\d+) \\((\\d+) tokens moved by up to positionShift 20 positions\\), the longest sequence of "
                + "train-kv-substitution \\(BOS \\+ prompt \\+ target \\+ EOS\\), got 32\\s*"), result.err());
    }

    @Test
    void aPrefixStageWhosePrefixesOutgrowTheContextNamesItsLongest() throws IOException {
        Path config = folder.resolve("bad.yaml");
        Files.writeString(config, "data:\n  numKeys: 20\n  expressions: {minOperands: 2, maxOperands: 2}\n"
                + "  sizes: {substitutionTrain: 50, numericTrain: 50, compositionTrain: 20, evalPerSplit: 5}\n"
                + "models:\n  b:\n    architecture: {contextLength: 24}\n    prefixStage: {steps: 10, longest: 20}\n"
                + "output: " + folder.resolve("out") + "\n");
        CalmRunner.Result result = CalmRunner.run("pretrain", config.toString(), "--model", "b");
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().matches("(?s)calm: config error: .*bad\\.yaml:8: models\\.b\\.prefixStage\\.longest: must be at "
                + "most (\\d+): behind a longer prefix the longest sequence of train-numeric-arithmetic \\((\\d+) tokens\\) "
                + "outgrows models\\.b\\.architecture\\.contextLength 24, got 20\\s*"), result.err());
        assertTrue(Files.notExists(folder.resolve("out").resolve("model-b")), "nothing is trained");
        assertConfigError(pretrainWith("models:\n  b:\n    prefixStage: {steps: -1}\n"),
                ":3: models.b.prefixStage.steps: steps must be in [0, 10000000] (0 = no prefix stage), got -1");
    }

    @Test
    void aVanillaAugmentingModelTakenFromTheAnchorNeedsTheSameArchitecture() throws IOException {
        CalmRunner.Result result = pretrainWith("models:\n  a:\n    architecture: {hiddenSize: 64}\n"
                + "ablations:\n  vanillaData: anchor\n");
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().startsWith("calm: config error: " + folder.resolve("bad.yaml") + ":5: ablations.vanillaData: "
                + "ANCHOR composes m_B as the vanilla m_A, so models.a.architecture and models.b.architecture must be equal"),
                result.err());
    }

    @Test
    void anUnknownExperimentIsNamedWithTheKindsThereAre() throws IOException {
        CalmRunner.Result result = pretrainWith("experiment: translatoin\n");
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().startsWith("calm: config error: " + folder.resolve("bad.yaml") + ":1: experiment: unknown "
                + "experiment 'translatoin'; allowed: kv-arithmetic (key-value arithmetic, the paper's section 4.1)"),
                result.err());
        assertConfigError(pretrainWith("experiment: [kv-arithmetic]\n"),
                ":1: experiment: expected the name of an experiment, got a list");
    }

    @Test
    void theScratchpadCompositionNeedsTheScratchpadSplits() throws IOException {
        Path config = folder.resolve("bad.yaml");
        Files.writeString(config, "data:\n  scratchpad: false\noutput: " + folder.resolve("out") + "\n");
        assertConfigError(CalmRunner.run("compose", config.toString(), "--scratchpad"),
                ":2: data.scratchpad: must be true for --scratchpad (it builds the scratchpad splits), got false");
    }

    @Test
    void aDefaultThatNoLongerFitsSaysItIsADefault() throws IOException {
        assertConfigError(pretrainWith("training:\n  steps: 50\n"),
                ":1: training.warmupSteps: warmupSteps must be in [0, 50], got 100 (warmupSteps is not in the file: 100 is its default)");
    }

    @Test
    void aMissingFileIsAConfigError() {
        Path missing = folder.resolve("nowhere.yaml");
        CalmRunner.Result result = CalmRunner.run("compose", missing.toString());
        assertEquals(2, result.exitCode());
        assertEquals("calm: config error: " + missing + ": no such config file", result.err().strip());
    }

    @Test
    void aWiringThatDoesNotFitTheModelsNamesThePair() throws IOException {
        assertConfigError(pretrainWith("composition:\n  wiring: [[2, 1], [9, 4]]\n"),
                ":2: composition.wiring: connection (9, 4): augmenting layer 9 is out of range [0, 4] "
                        + "(m_A has 4 layers, m_B 4; layer 0 is the embeddings)");
        assertConfigError(pretrainWith("composition:\n  wiring: [[2, 3], [4, 3]]\n"),
                ":2: composition.wiring: connections (2, 3) and (4, 3) both write anchor layer 3 (the default wiring "
                        + "needs at least as many anchor layers as connections) (m_A has 4 layers, m_B 4; layer 0 is the embeddings)");
        assertConfigError(pretrainWith("composition:\n  wiring: every-other\n"),
                ":2: composition.wiring: wiring must be \"default\" or a list of [augmenting layer, anchor layer] pairs, "
                        + "e.g. [[2, 1], [4, 2]], got \"every-other\"");
    }

    @Test
    void furtherCalmRowsNeedTheOtherReadingAFittingWiringAndNewSeeds() throws IOException {
        assertConfigError(pretrainWith("variants: {layerOutputs: true}\n"),
                ":1: variants.layerOutputs: trains the paper's reading beside one that reads m_A's predictions; with "
                        + "composition.reads STATES it is CALM itself: leave it out");
        assertConfigError(pretrainWith("composition: {reads: predictions, wiring: [[5, 1]]}\n"
                        + "variants: {layerOutputs: true, layerOutputsWiring: [[5, 1]]}\n"),
                ":2: variants.layerOutputsWiring: connection (5, 1): augmenting layer 5 is out of range [0, 4] (m_A has "
                        + "4 layers, m_B 4; layer 0 is the embeddings)");
        assertConfigError(pretrainWith("variants: {seeds: [1234, 5]}\n"),
                ":1: variants.seeds: must not repeat training.seed 1234, the seed CALM itself trains with; got [1234, 5]");
        assertConfigError(pretrainWith("variants: {seeds: [4, 4]}\n"),
                ":1: variants.seeds: seeds must not repeat a value, got [4, 4]");
        assertConfigError(pretrainWith("experiment: translation\nvariants: {seeds: [4]}\n"),
                ":2: variants: the translation experiment trains no further CALM rows yet (the key-value experiment does); "
                        + "leave layerOutputs and seeds out");
    }

    @Test
    void aKeyValueGridNeedsDcsValidationSplit() throws IOException {
        assertConfigError(pretrainWith("selection: {learningRates: [0.01], updates: [10]}\n"),
                ": data.sizes.compositionValidation: must be at least 1 with a grid (selection): the grid chooses by the "
                        + "loss on D_C's validation split, which this many examples make; got 0");
    }

    @Test
    void crossAttentionHeadsAreCheckedByTheRuleTheConnectionsUse() throws IOException {
        // The message is CrossAttention.checkHeads's own, the check a composition's builder runs.
        assertConfigError(pretrainWith("composition:\n  heads: 5\n"),
                ":2: composition.heads: cross-attention heads (5) must be a positive divisor of the anchor width 128 "
                        + "(or 0 for the anchor's 4 heads)");
        IllegalArgumentException built = assertThrows(IllegalArgumentException.class,
                () -> CrossAttention.checkHeads(5, 128));
        assertEquals("cross-attention heads (5) must be a positive divisor of the anchor width 128", built.getMessage());
    }

    @Test
    void readingPredictionsNeedsEveryConnectionOnThePredictionsLayerAndAVocabularyToken() throws IOException {
        assertConfigError(pretrainWith("composition:\n  reads: predictions\n  wiring: [[5, 1], [4, 2]]\n"),
                ":3: composition.wiring: connection (4, 2) reads layer 4 of a model read through its predictions: layer 5 "
                        + "(its 4 layers plus one) is the only one a connection reads (m_A has 4 layers, m_B 4; layer 0 is "
                        + "the embeddings)");
        assertConfigError(pretrainWith("composition:\n  reads: predictions\n  wiring: [[6, 1]]\n"),
                ":3: composition.wiring: connection (6, 1): augmenting layer 6 is out of range [0, 5] of a model read "
                        + "through its predictions: layer 5 (its 4 layers plus one) is the only one a connection reads (m_A "
                        + "has 4 layers, m_B 4; layer 0 is the embeddings)");
        assertConfigError(pretrainWith("composition:\n  wiring: [[5, 1]]\n"),
                ":2: composition.wiring: connection (5, 1): augmenting layer 5 is out of range [0, 4] "
                        + "(m_A has 4 layers, m_B 4; layer 0 is the embeddings)");
        assertConfigError(pretrainWith("composition:\n  reads: predictions\n  predictionsFrom: \"#\"\n  wiring: [[5, 1]]\n"),
                ":3: composition.predictionsFrom: '#' is not a token of the kv-arithmetic experiment's vocabulary");
        assertConfigError(pretrainWith("composition:\n  reads: predictions\n  predictionsFrom: \"=+\"\n  wiring: [[5, 1]]\n"),
                ":3: composition.predictionsFrom: predictionsFrom must be one character, or empty for every position, "
                        + "got \"=+\"");
        assertConfigError(pretrainWith("composition:\n  reads: outputs\n"),
                ":2: composition.reads: expected one of [STATES, PREDICTIONS], got the text \"outputs\"");
    }

    @Test
    void brokenYamlNamesItsLine() throws IOException {
        CalmRunner.Result result = pretrainWith("training:\n  steps: 10\n    batchSize: 3\n");
        assertEquals(2, result.exitCode());
        assertEquals("calm: config error: " + folder.resolve("bad.yaml") + ":3: not valid YAML: mapping values are not "
                + "allowed here; batchSize: 3", result.err().strip());
    }

    @Test
    void aSizeTheDataCannotFillIsAConfigError() throws IOException {
        assertConfigError(pretrainWith("data:\n  numKeys: 10\n  expressions: {minOperands: 1, maxOperands: 1}\n"
                        + "  sizes: {compositionTrain: 5, evalPerSplit: 0}\noutput: " + folder.resolve("out") + "\n"),
                ":4: data.sizes: could draw only 10 of 20000 distinct expressions for train-kv-substitution in 2000000 "
                        + "attempts; use more keys, a larger compositionFraction, more operands or fewer examples");
    }

    @Test
    void anEmptyOrCommentOnlyConfigIsAConfigErrorAndNothingIsWritten() throws IOException {
        for (String text : List.of("", "\n\n", "# only a comment\n  # and another\n")) {
            Path config = folder.resolve("bad.yaml");
            Files.writeString(config, text);
            CalmRunner.Result result = CalmRunner.run("pretrain", config.toString(), "--model", "a", "--output",
                    folder.resolve("out").toString());
            assertConfigError(result, ": the config is empty (nothing but blank lines and comments); it must name at least "
                    + "its experiment, e.g. `experiment: kv-arithmetic` (configs/ has one per experiment; every field is in "
                    + "docs/configs.md)");
            assertTrue(Files.notExists(folder.resolve("out")), "nothing written for " + text);
        }
    }

    @Test
    void aBinaryFileGivenAsAConfigIsNamedAsNotText() throws IOException {
        Path config = folder.resolve("bad.yaml");
        Files.write(config, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, (byte) 0xfe, 10});
        assertConfigError(CalmRunner.run("pretrain", config.toString(), "--model", "a"), ": not a config: the file is not "
                + "UTF-8 text (a binary file?); a config is a YAML file such as configs/kv-arithmetic.yaml");
    }

    @Test
    void anOptionErrorIsOneLineAndAPointerToTheHelp() {
        CalmRunner.Result typo = CalmRunner.run("pretrain", "configs/demo.yaml", "--model", "a", "--outptu", "x");
        assertEquals(2, typo.exitCode());
        assertEquals(List.of("calm: Unknown options: '--outptu', 'x'", "Possible solutions: --output",
                "Try 'calm pretrain --help' for more information."), typo.err().lines().toList());
    }

    @Test
    void anOutputThatCannotBeWrittenNamesThePathAndWhy() throws IOException {
        Path file = Files.writeString(folder.resolve("a-file"), "not a folder");
        Path config = folder.resolve("tiny.yaml");
        Files.writeString(config, """
                data:
                  numKeys: 30
                  expressions: {minOperands: 2, maxOperands: 2}
                  sizes: {substitutionTrain: 40, numericTrain: 40, compositionTrain: 20, evalPerSplit: 4}
                models:
                  a:
                    architecture: {hiddenSize: 16, numLayers: 1, numHeads: 2, contextLength: 24}
                    training: {steps: 2, batchSize: 4, warmupSteps: 1, evalExamples: 2}
                """);
        CalmRunner.Result result = CalmRunner.run("pretrain", config.toString(), "--model", "a", "-o",
                file.resolve("out").toString());
        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.err().startsWith("calm: pretrain failed: " + file), result.err());
        assertTrue(result.err().contains(": ") && !result.err().strip().endsWith(file.resolve("out").toString()),
                "a reason follows the path: " + result.err());
    }
}
