package io.aimstore.server.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * One HTTPS connection over a non-blocking channel: the TLS handshake and records through an {@link
 * SSLEngine}, driven by the endpoint's selector thread. Bytes that cannot be written at once wait
 * in {@code netOut} until the channel is writable again ({@link #pendingWrite()}).
 */
final class TlsWire implements Wire {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final SSLEngine engine;
  private final ByteBuffer netIn;
  private final ByteBuffer netOut;
  private final ByteBuffer plain;
  private boolean closing;

  TlsWire(SSLContext context) throws SSLException {
    engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.beginHandshake();
    int packet = engine.getSession().getPacketBufferSize();
    netIn = ByteBuffer.allocate(packet);
    netOut = ByteBuffer.allocate(packet);
    plain = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
  }

  @Override
  public int read(SocketChannel ch, ByteBuffer request) throws IOException {
    if (ch.read(netIn) < 0) {
      return -1;
    }
    return advance(ch, request) ? request.position() : -1;
  }

  /**
   * Runs the engine as far as the bytes at hand allow: answers the handshake, decrypts records into
   * {@code request}. False when the peer closed the connection.
   */
  private boolean advance(SocketChannel ch, ByteBuffer request) throws IOException {
    while (true) {
      HandshakeStatus hs = engine.getHandshakeStatus();
      if (hs == HandshakeStatus.NEED_TASK) {
        for (Runnable t; (t = engine.getDelegatedTask()) != null; ) {
          t.run();
        }
        continue;
      }
      if (hs == HandshakeStatus.NEED_WRAP) {
        if (!flush(ch)) {
          return true; // the rest when the channel is writable
        }
        if (engine.wrap(EMPTY, netOut).getStatus() == SSLEngineResult.Status.CLOSED) {
          flush(ch);
          return false;
        }
        continue;
      }
      netIn.flip();
      SSLEngineResult r = engine.unwrap(netIn, plain);
      netIn.compact();
      plain.flip();
      int room = Math.min(plain.remaining(), request.remaining());
      request.put(plain.array(), plain.position(), room);
      plain.position(plain.position() + room);
      boolean overflow = plain.hasRemaining();
      plain.clear();
      if (overflow) {
        return true; // the request is larger than the endpoint takes: the caller refuses it
      }
      switch (r.getStatus()) {
        case CLOSED -> {
          return false;
        }
        case BUFFER_UNDERFLOW -> {
          flush(ch);
          return true; // wait for more bytes
        }
        case BUFFER_OVERFLOW -> throw new SSLException("record larger than the application buffer");
        default -> {
          if (r.bytesConsumed() == 0
              && r.bytesProduced() == 0
              && engine.getHandshakeStatus() != HandshakeStatus.NEED_TASK
              && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
            flush(ch);
            return true;
          }
        }
      }
    }
  }

  @Override
  public boolean write(SocketChannel ch, ByteBuffer answer) throws IOException {
    while (true) {
      if (!flush(ch)) {
        return false;
      }
      if (answer.hasRemaining()) {
        engine.wrap(answer, netOut);
        continue;
      }
      if (!closing) {
        engine.closeOutbound();
        closing = true;
      }
      if (!engine.isOutboundDone()) {
        engine.wrap(EMPTY, netOut);
        continue;
      }
      return true;
    }
  }

  @Override
  public boolean pendingWrite() {
    return netOut.position() > 0;
  }

  @Override
  public boolean flush(SocketChannel ch) throws IOException {
    netOut.flip();
    ch.write(netOut);
    netOut.compact();
    return netOut.position() == 0;
  }
}
