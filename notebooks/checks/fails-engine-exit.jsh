// Must fail: the JVM running the snippets exits; JShell starts a new one and goes on.
System.exit(0);
