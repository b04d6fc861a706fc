package calm.testing;

import ai.djl.ndarray.NDManager;
import java.lang.reflect.Field;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives every {@link Managed} field of a test class a new {@code NDManager.newBaseManager()} before
 * each test and closes it once the test and its {@code @AfterEach} methods have run, so no test
 * class writes that set-up and tear-down itself:
 *
 * <pre>{@code
 * @ExtendWith(ManagedExtension.class)
 * class SomethingTest {
 *     @Managed
 *     private NDManager manager;
 * }
 * }</pre>
 */
public final class ManagedExtension implements BeforeEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ManagedExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        Object test = context.getRequiredTestInstance();
        for (Class<?> type = test.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (!field.isAnnotationPresent(Managed.class)) {
                    continue;
                }
                if (field.getType() != NDManager.class) {
                    throw new IllegalStateException("@Managed field " + type.getSimpleName() + "." + field.getName()
                            + " must be an NDManager");
                }
                NDManager manager = NDManager.newBaseManager();
                // The store closes its resources when the test's context ends, after @AfterEach.
                context.getStore(NAMESPACE).put(field, (ExtensionContext.Store.CloseableResource) manager::close);
                field.setAccessible(true);
                field.set(test, manager);
            }
        }
    }
}
