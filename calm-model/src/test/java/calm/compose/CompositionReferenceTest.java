package calm.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import calm.io.ModelFolder;
import calm.io.ParameterNames;
import calm.io.hf.HfFolder;
import calm.io.hf.SafetensorsFile;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.Decoding;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.Tiny;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The composed forward pass and cached decoding against a composition computed by an independent
 * implementation from the same saved weights (src/test/resources/composition/make_reference.py,
 * PyTorch, written from the paper; its GPT-2 is checked against the transformers logits of the
 * anchor fixture hf/gpt2-tiny before anything else). Cases: several connections, two into one
 * anchor layer and one from m_A's embeddings, 8 heads over an anchor of 4, normalize and ALiBi
 * ("explicit"); the paper's default wiring and heads ("default"); m_A as an encoder with ALiBi
 * ("encoder"). Rows are unpadded, left-padded and right-padded; only real tokens are compared.
 */
@ExtendWith(ManagedExtension.class)
class CompositionReferenceTest {

    private static final float TOLERANCE = 1e-4f;
    private static final int PROMPT = 6;

    @Managed
    private NDManager manager;

    private static Path folder() throws URISyntaxException {
        return Path.of(CompositionReferenceTest.class.getResource("/composition").toURI());
    }

    /** The case's composition, built by the project's builder, its connections read from the case's file. */
    private ComposedModel composition(String name) throws Exception {
        DecoderLM anchor = HfFolder.load(Tiny.fixture("gpt2-tiny"), manager);
        DecoderLM a = HfFolder.load(folder().resolve("augmenting-a"), manager);
        DecoderLM b = HfFolder.load(folder().resolve("augmenting-b"), manager);
        ComposedModel.Builder builder = ComposedModel.builder(anchor);
        switch (name) {
            case "explicit" -> builder
                    .augment(a, Wiring.of(3, 2, List.of(new Connection(1, 1), new Connection(3, 2), new Connection(0, 0))),
                            Augmentation.Mode.LOCKSTEP)
                    .augment(b, Wiring.of(2, 2, List.of(new Connection(2, 1))), Augmentation.Mode.LOCKSTEP)
                    .heads(8).normalize(true).positionBias(PositionBias.ALIBI);
            case "default" -> builder.augment(a);
            case "encoder" -> builder
                    .augment(b, Wiring.of(2, 2, List.of(new Connection(1, 2), new Connection(2, 1))), Augmentation.Mode.ENCODER)
                    .heads(2).positionBias(PositionBias.ALIBI);
            default -> throw new IllegalArgumentException(name);
        }
        ComposedModel model = builder.build(manager);
        ModelFolder.readWeights(ParameterNames.of(model.compositionBlock()), folder().resolve("connections-" + name
                + ".safetensors"), manager);
        return model;
    }

    /** The real tokens of each row up to column {@code prompt}: the prompt mask of an encoder composition. */
    private static NDArray promptOf(NDArray mask) {
        NDArray prompt = mask.duplicate();
        prompt.set(new NDIndex(":, {}:", PROMPT), 0);
        return prompt;
    }

    /** One input of reference.safetensors and the case's logits over it. */
    private record Reference(NDArray tokens, NDArray mask, NDArray logits) {}

    /** @param input "" for the batch, "decode_" for the decoding rows */
    private Reference reference(String input, String name) throws Exception {
        try (SafetensorsFile file = SafetensorsFile.open(folder().resolve("reference.safetensors"))) {
            return new Reference(file.read(input + "tokens", manager), file.read(input + "mask", manager),
                    file.read(input + "logits_" + name, manager));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"explicit", "default", "encoder"})
    void logitsMatchTheIndependentImplementation(String name) throws Exception {
        ComposedModel model = composition(name);
        Reference reference = reference("", name);
        NDArray logits = model.logits(new Batch(reference.tokens(), reference.mask(), promptOf(reference.mask())));
        assertCloseWhereReal(reference.logits(), logits, reference.mask(), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"explicit", "default", "encoder"})
    void cachedDecodingMatchesTheIndependentImplementationAtEveryStep(String name) throws Exception {
        ComposedModel model = composition(name);
        Reference reference = reference("decode_", name);
        NDArray tokens = reference.tokens();
        NDArray mask = reference.mask();
        NDArray expected = reference.logits();
        int columns = (int) tokens.getShape().get(1);
        try (Decoding decoding = model.startDecoding(tokens.get(":, :{}", PROMPT), mask.get(":, :{}", PROMPT), columns)) {
            for (int column = PROMPT - 1; column < columns; column++) {
                if (column >= PROMPT) {
                    decoding.feed(tokens.get(":, {}:{}", column, column + 1));
                }
                NDArray step = expected.get(":, {}, :", column);
                assertClose(step, decoding.lastLogits(), name + " decoding, column " + column);
            }
        }
    }

    private static void assertCloseWhereReal(NDArray expected, NDArray actual, NDArray mask, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what + " shape");
        NDArray real = mask.toType(DataType.FLOAT32, false).expandDims(2);
        float gap = expected.sub(actual).abs().mul(real).max().getFloat();
        assertTrue(gap <= TOLERANCE, what + ": max |difference| over real tokens " + gap + " > " + TOLERANCE);
    }

    private static void assertClose(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what + " shape");
        float gap = expected.sub(actual).abs().max().getFloat();
        assertTrue(gap <= TOLERANCE, what + ": max |difference| " + gap + " > " + TOLERANCE);
    }
}
