// Must fail: an exception in a snippet.
System.out.println("before the exception");
Integer.parseInt("not a number");
System.out.println("never printed");
