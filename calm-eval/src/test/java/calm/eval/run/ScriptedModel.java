package calm.eval.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import calm.data.CharVocabulary;
import calm.model.Batch;
import calm.model.Decoding;
import calm.model.LanguageModel;
import java.util.List;
import java.util.Map;

/**
 * A model that writes a scripted answer for each prompt, then EOS: evaluation tests know exactly
 * what each example's output is. A prompt without a script is answered with EOS at once.
 */
final class ScriptedModel implements LanguageModel {

    private static final CharVocabulary VOCABULARY = CharVocabulary.standard();
    private final Map<String, String> answers;

    ScriptedModel(Map<String, String> answers) {
        this.answers = answers;
    }

    @Override
    public int vocabSize() {
        return VOCABULARY.size();
    }

    @Override
    public int contextLength() {
        return 48;
    }

    @Override
    public NDArray logits(Batch batch) {
        throw new UnsupportedOperationException("a scripted model only generates");
    }

    @Override
    public Decoding startDecoding(NDArray tokens, NDArray mask, int capacity) {
        int rows = (int) tokens.getShape().get(0);
        int columns = (int) tokens.getShape().get(1);
        long[] ids = tokens.toLongArray();
        float[] real = mask.toFloatArray();
        int[][] scripts = new int[rows][];
        for (int row = 0; row < rows; row++) {
            StringBuilder prompt = new StringBuilder();
            for (int column = 0; column < columns; column++) {
                int id = (int) ids[row * columns + column];
                if (real[row * columns + column] == 1 && !VOCABULARY.isSpecial(id)) {
                    prompt.append(VOCABULARY.token(id));
                }
            }
            scripts[row] = VOCABULARY.encode(answers.getOrDefault(prompt.toString(), ""));
        }
        return new Script(tokens.getManager().newSubManager(), scripts, columns);
    }

    @Override
    public List<Parameter> trainableParameters() {
        return List.of();
    }

    /** Emits token k of each row's script at step k, EOS after it. */
    private static final class Script implements Decoding {
        private final NDManager manager;
        private final int[][] scripts;
        private int step;
        private int length;
        private NDArray last;

        Script(NDManager manager, int[][] scripts, int promptLength) {
            this.manager = manager;
            this.scripts = scripts;
            this.length = promptLength;
            emit();
        }

        private void emit() {
            int vocabulary = VOCABULARY.size();
            float[] logits = new float[scripts.length * vocabulary];
            for (int row = 0; row < scripts.length; row++) {
                int next = step < scripts[row].length ? scripts[row][step] : CharVocabulary.EOS;
                logits[row * vocabulary + next] = 1;
            }
            if (last != null) {
                last.close();
            }
            last = manager.create(logits, new Shape(scripts.length, vocabulary));
        }

        @Override
        public NDArray lastLogits() {
            return last;
        }

        @Override
        public void feed(NDArray tokens) {
            step++;
            length++;
            emit();
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
