// Must fail: the last snippet is never complete, so the notebook never reaches its end.
void unfinished() {
    System.out.println("no closing brace");
