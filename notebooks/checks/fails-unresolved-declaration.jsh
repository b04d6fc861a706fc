// Must fail: a method that calls a method never declared. JShell accepts the declaration
// ("cannot be invoked until ...") and goes on; batch mode fails at the end.
void report() { helperNeverDeclared(); }
System.out.println("the last line runs");
