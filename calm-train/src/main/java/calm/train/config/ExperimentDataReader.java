package calm.train.config;

import calm.train.experiment.ExperimentData;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;

/**
 * Binds a config's {@code data} section to the record of its experiment's kind, which
 * {@link ConfigLoader} puts in the reader's attributes under {@link #TYPE} (the kind is known
 * only once the {@code experiment} field is read).
 */
final class ExperimentDataReader extends JsonDeserializer<ExperimentData> {

    /** The attribute holding the data section's record type. */
    static final String TYPE = "calm.experiment.dataType";

    @Override
    public ExperimentData deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        Object type = context.getAttribute(TYPE);
        if (!(type instanceof Class<?> record) || !ExperimentData.class.isAssignableFrom(record)) {
            throw new IllegalStateException("an experiment config is read by ConfigLoader, which names the data section's type");
        }
        return (ExperimentData) context.readValue(parser, record);
    }
}
