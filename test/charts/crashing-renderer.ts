// A chart renderer that dies before it is ready: what a broken install (sharp's native library
// missing) looks like from the bot process.
process.exit(3);
