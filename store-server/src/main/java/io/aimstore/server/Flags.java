package io.aimstore.server;

/** Reads command-line flags, {@code --key value} or {@code --key=value}, in order. */
final class Flags {
  private Flags() {}

  /** Told each argument in order. */
  interface Handler {
    /** A flag: its key (without the dashes) and its value. */
    void flag(String key, String value) throws ConfigException;

    /** An argument that is no flag. */
    void argument(String arg) throws ConfigException;
  }

  /**
   * Tells {@code handler} each of {@code args}.
   *
   * @throws ConfigException from {@code handler}, or for a last flag without a value
   */
  static void read(String[] args, Handler handler) throws ConfigException {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        handler.argument(a);
        continue;
      }
      String key = a.substring(2);
      String value;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new ConfigException("flag --" + key + " needs a value");
      }
      handler.flag(key, value);
    }
  }
}
