// Must fail: a snippet that does not compile.
int count = 1;
String text = count;
