// Must pass: forward references that later snippets resolve, output without a newline, and DJL
// printing array values (it prints none unless the launcher passes -Djshell=true).
void greet() { System.out.println(greeting()); }
String greeting() { return "hello"; }
greet();
class Holder { Later later = new Later(); }
class Later {}
System.out.print("no newline, then ");
String shown = ai.djl.ndarray.NDManager.newBaseManager().create(new float[] {1, 2}).toString();
System.out.println(shown);
if (!shown.contains("[1., 2.]")) throw new AssertionError("DJL printed no array values: is -Djshell=true set?");
