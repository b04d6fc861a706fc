package calm.eval.run;

import calm.train.experiment.Experiment;

/**
 * The evaluation half of a kind of experiment ({@link calm.train.experiment.ExperimentKind} is
 * the training half), found through {@link java.util.ServiceLoader} by the kind's name.
 */
public interface EvaluationKind {

    /** @return the name of the experiment kind it evaluates, e.g. {@code kv-arithmetic} */
    String experiment();

    /** @return the evaluation of an experiment of that kind */
    ExperimentEvaluation of(Experiment experiment);
}
