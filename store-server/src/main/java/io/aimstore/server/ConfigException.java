package io.aimstore.server;

/** The member's configuration or data directory is unusable; the message says what to fix. */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }
}
