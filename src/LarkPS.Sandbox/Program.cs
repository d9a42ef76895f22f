// Placeholder: the sandbox is built in its own change.
return 0;
