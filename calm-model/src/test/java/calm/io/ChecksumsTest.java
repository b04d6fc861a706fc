package calm.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import calm.model.DecoderLM;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.Tiny;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ManagedExtension.class)
class ChecksumsTest {

    /** FIPS 180-2, appendix B.1: the SHA-256 of "abc". */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    /** The SHA-256 of "{}", as sha256sum prints it. */
    private static final String BRACES = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    /** The SHA-256 of no bytes. */
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir
    Path folder;
    @Managed
    private NDManager manager;

    @Test
    void aFolderWrittenAtOnceRecordsItsFilesInSha256sumFormat() throws Exception {
        Path saved = folder.resolve("saved");
        Folders.writeAtomically(saved, staging -> {
            Files.writeString(staging.resolve("b.safetensors"), "abc");
            Files.writeString(staging.resolve("a.safetensors"), "");
            Files.writeString(staging.resolve("config.json"), "{}");
        });
        assertEquals(EMPTY + "  a.safetensors\n" + ABC + "  b.safetensors\n" + BRACES + "  config.json\n",
                Files.readString(saved.resolve(Checksums.FILE)));
        assertNull(Checksums.problem(saved));
        Path none = folder.resolve("none");
        Folders.writeAtomically(none, staging -> Files.createDirectories(staging.resolve("empty")));
        assertFalse(Files.exists(none.resolve(Checksums.FILE)), "a folder without files records nothing");
    }

    @Test
    void aChangedOrMissingFileIsNamedWithBothDigests() throws Exception {
        Path saved = folder.resolve("saved");
        Folders.writeAtomically(saved, staging -> Files.writeString(staging.resolve("w.safetensors"), "abc"));
        Files.writeString(saved.resolve("w.safetensors"), "abd");
        DamagedFileException changed = assertThrows(DamagedFileException.class, () -> Checksums.verify(saved));
        assertTrue(changed.getMessage().startsWith(saved.resolve("w.safetensors") + ": its SHA-256 is "
                + Sha256.of("abd".getBytes()) + ", not the " + ABC + " recorded in " + saved.resolve(Checksums.FILE)
                + " when it was saved; the file was changed or damaged since"), changed.getMessage());
        assertThrows(DamagedFileException.class, () -> Checksums.verifyFile(saved.resolve("w.safetensors")));
        Files.delete(saved.resolve("w.safetensors"));
        assertEquals(saved.resolve("w.safetensors") + ": missing (" + saved.resolve(Checksums.FILE) + " records it)",
                Checksums.problem(saved));
    }

    @Test
    void aDamagedRecordIsNamedAndNoPathOutsideTheFolderIsRead() throws Exception {
        Path saved = folder.resolve("saved");
        Files.createDirectories(saved);
        Files.writeString(saved.resolve(Checksums.FILE), ABC + "  ../outside.safetensors\n");
        assertEquals(saved.resolve(Checksums.FILE) + ": line 1 is not \"<64 hex digits>  <file name>\" (damaged)",
                Checksums.problem(saved));
        Files.writeString(saved.resolve(Checksums.FILE), "");
        assertEquals(saved.resolve(Checksums.FILE) + ": records no file (damaged)", Checksums.problem(saved));
        Files.write(saved.resolve(Checksums.FILE), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertEquals(saved.resolve(Checksums.FILE) + ": not text (damaged)", Checksums.problem(saved));
    }

    @Test
    void aFolderWithoutARecordIsNotChecked() throws Exception {
        Path hf = folder.resolve("hf");
        Files.createDirectories(hf);
        Files.writeString(hf.resolve("model.safetensors"), "anything");
        assertNull(Checksums.problem(hf));
        assertDoesNotThrow(() -> Checksums.verifyFile(hf.resolve("model.safetensors")));
    }

    @Test
    void theHintNamesTheCommandThatMakesTheFolderAgain() throws Exception {
        Path run = folder.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve(ModelFolder.PROVENANCE), "{\"job\": \"pretrain-b\", \"configSource\": \"configs/x.yaml\", "
                + "\"config\": {\"output\": \"runs/x\"}}");
        assertEquals("; make it again with: calm run configs/x.yaml --output runs/x --retrain=pretrain-b",
                Checksums.retrainHint(run));
        Files.writeString(run.resolve(ModelFolder.PROVENANCE), "{\"job\": \"merge\", \"mergeMethod\": \"ties\", "
                + "\"configSource\": \"m.yaml\"}");
        assertEquals("; make it again with: calm merge m.yaml --output " + run + " --overwrite", Checksums.retrainHint(run));
        Files.writeString(run.resolve(ModelFolder.PROVENANCE), "{\"job\": \"compose\", \"configSource\": \"c.yaml\", "
                + "\"models\": {\"a\": {}}}");
        assertEquals("; make it again with: calm compose c.yaml", Checksums.retrainHint(run));
        Files.writeString(run.resolve(ModelFolder.PROVENANCE), "{\"job\": ");
        assertEquals("", Checksums.retrainHint(run));
    }

    @Test
    void loadingASavedModelWithOneChangedByteFails() throws Exception {
        DecoderLM model = Tiny.gpt(manager, 16, 8, 1, 2, 1);
        Path saved = folder.resolve("model");
        ModelFolder.save(model, saved, Map.of("job", "pretrain-a", "configSource", "c.yaml"));
        assertDoesNotThrow(() -> ModelFolder.load(saved, manager));
        byte[] bytes = Files.readAllBytes(saved.resolve(ModelFolder.WEIGHTS));
        bytes[bytes.length - 5] ^= 0x01; // the last float's bits: the file stays well-formed
        Files.write(saved.resolve(ModelFolder.WEIGHTS), bytes);
        DamagedFileException damaged = assertThrows(DamagedFileException.class, () -> ModelFolder.load(saved, manager));
        assertTrue(damaged.getMessage().contains(saved.resolve(ModelFolder.WEIGHTS) + ": its SHA-256 is "), damaged.getMessage());
        assertTrue(damaged.getMessage().endsWith("; make it again with: calm run c.yaml --retrain=pretrain-a"),
                damaged.getMessage());
    }
}
