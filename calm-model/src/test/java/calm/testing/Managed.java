package calm.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an {@code NDManager} field that {@link ManagedExtension} fills with a fresh base manager
 * before each test (before the class's own {@code @BeforeEach} methods) and closes after it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Managed {}
