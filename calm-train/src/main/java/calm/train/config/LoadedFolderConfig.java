package calm.train.config;

import java.nio.file.Path;

/**
 * A folder composition's configuration and where it came from.
 *
 * @param config the parsed configuration, defaults filled in
 * @param source the file it was read from, as given
 * @param name the configuration's name: the file name without {@code .yaml}
 * @param text the file's exact text
 * @param sha256 the SHA-256 of the text
 * @param lines the line of every field, for errors found after parsing
 */
public record LoadedFolderConfig(FolderCompositionConfig config, String source, String name, String text, String sha256,
        YamlLines lines) {

    /**
     * An error about one field, for problems found after parsing (a folder that holds no model,
     * tokenizers that differ, an example too long for the models).
     *
     * @param field the field's dotted path, e.g. {@code models.a.folder}
     * @param problem what is wrong and what is allowed
     */
    public ConfigException error(String field, String problem) {
        int line = lines == null ? -1 : lines.lineOf("/" + field.replace('.', '/'));
        return new ConfigException(source + (line > 0 ? ":" + line : "") + ": " + field + ": " + problem);
    }

    /**
     * @param folder where everything goes instead of the config's {@code output} (a command's
     *     {@code --output}); null keeps the config's
     * @return the same configuration with that output
     */
    public LoadedFolderConfig withOutput(Path folder) {
        if (folder == null) {
            return this;
        }
        FolderCompositionConfig c = config;
        return new LoadedFolderConfig(new FolderCompositionConfig(c.data(), c.models(), c.composition(), c.training(),
                folder.toString()), source, name, text, sha256, lines);
    }
}
