package io.aimstore.server.raft;

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * Mutual TLS for the Raft transport: this member's certificate (through a key manager that picks up
 * renewed files) and the verifier of its peers' certificates (issued by the cluster CA).
 */
public record RaftTls(KeyManager keyManager, TrustManager trustManager) {}
