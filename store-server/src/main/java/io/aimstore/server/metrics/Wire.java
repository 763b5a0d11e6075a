package io.aimstore.server.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** How the endpoint reads a request from and writes an answer to one non-blocking connection. */
interface Wire {

  /**
   * Reads what has arrived, adding the request's bytes to {@code request}; -1 when the peer closed
   * the connection.
   */
  int read(SocketChannel ch, ByteBuffer request) throws IOException;

  /**
   * Writes what it can of {@code answer}; true when all of it is out (the connection may close).
   */
  boolean write(SocketChannel ch, ByteBuffer answer) throws IOException;

  /** Bytes of its own (a TLS handshake) wait for the channel to be writable. */
  boolean pendingWrite();

  /** Writes those bytes; true when none are left. */
  boolean flush(SocketChannel ch) throws IOException;

  /** Plain HTTP. */
  Wire PLAIN =
      new Wire() {
        @Override
        public int read(SocketChannel ch, ByteBuffer request) throws IOException {
          return ch.read(request);
        }

        @Override
        public boolean write(SocketChannel ch, ByteBuffer answer) throws IOException {
          ch.write(answer);
          return !answer.hasRemaining();
        }

        @Override
        public boolean pendingWrite() {
          return false;
        }

        @Override
        public boolean flush(SocketChannel ch) {
          return true;
        }
      };
}
