// Must fail: a statement naming something never declared.
System.out.println(undeclaredVariable);
