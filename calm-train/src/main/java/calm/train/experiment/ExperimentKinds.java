package calm.train.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The {@link ExperimentKind}s on the class path, by the name a config's {@code experiment} field gives. */
public final class ExperimentKinds {

    /** The kind of a config that does not name one: the key-value experiment, the first there was. */
    public static final String DEFAULT = "kv-arithmetic";

    private ExperimentKinds() {}

    /** @return every kind found, in class-path order */
    public static List<ExperimentKind> all() {
        List<ExperimentKind> kinds = new ArrayList<>();
        ServiceLoader.load(ExperimentKind.class, ExperimentKinds.class.getClassLoader()).forEach(kinds::add);
        return kinds;
    }

    /**
     * @param name a config's {@code experiment} value
     * @return the kind of that name
     * @throws IllegalArgumentException listing the kinds there are when none has the name
     */
    public static ExperimentKind of(String name) {
        List<ExperimentKind> kinds = all();
        for (ExperimentKind kind : kinds) {
            if (kind.name().equals(name)) {
                return kind;
            }
        }
        List<String> known = kinds.stream().map(kind -> kind.name() + " (" + kind.description() + ")").toList();
        throw new IllegalArgumentException("unknown experiment '" + name + "'; allowed: " + String.join(", ", known));
    }
}
