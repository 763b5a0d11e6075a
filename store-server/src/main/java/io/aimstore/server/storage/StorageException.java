package io.aimstore.server.storage;

/** The disk failed us: the node cannot continue safely and must stop. */
public final class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
