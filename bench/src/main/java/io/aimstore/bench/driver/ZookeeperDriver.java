package io.aimstore.bench.driver;

import io.aimstore.bench.SystemKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * ZooKeeper through its own client: one session, one TCP connection to one member (writes are
 * forwarded to the leader by that member), asynchronous calls answered in order. Locks through
 * Curator's {@code InterProcessMutex}.
 */
public final class ZookeeperDriver
    implements Driver, EphemeralDriver, LockDriver, SessionKeyDriver, WatchDriver {
  /** Session timeout of the driver's own sessions (and of watch and ephemeral sessions). */
  private static final int SESSION_TIMEOUT_MS = 30_000;

  private final String connectString;
  private final Duration connectTimeout;
  private final ZooKeeper zk;

  /**
   * @param connectString {@code host:port,host:port,...}
   */
  public ZookeeperDriver(String connectString, Duration connectTimeout) throws Exception {
    this.connectString = connectString;
    this.connectTimeout = connectTimeout;
    this.zk = session(connectString, SESSION_TIMEOUT_MS, connectTimeout, null);
  }

  /** A connected session; {@code watcher} also receives the connection events if not null. */
  private static ZooKeeper session(
      String connectString, int timeoutMs, Duration connectTimeout, Watcher watcher)
      throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper z =
        new ZooKeeper(
            connectString,
            timeoutMs,
            event -> {
              if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
              }
              if (watcher != null) {
                watcher.process(event);
              }
            });
    boolean ok;
    try {
      ok = connected.await(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      z.close();
      throw e;
    }
    if (!ok) {
      z.close();
      throw new IllegalStateException("no ZooKeeper session within " + connectTimeout);
    }
    return z;
  }

  @Override
  public SystemKind system() {
    return SystemKind.ZOOKEEPER;
  }

  @Override
  public void prepare(String namespace) throws Exception {
    try {
      zk.create(namespace, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    } catch (KeeperException.NodeExistsException e) {
      // already there
    }
  }

  @Override
  public CompletableFuture<Long> put(String key, byte[] value) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    setOrCreate(key, value, f, 3);
    return f;
  }

  private void setOrCreate(String key, byte[] value, CompletableFuture<Long> f, int triesLeft) {
    zk.setData(
        key,
        value,
        -1,
        (rc, path, ctx, stat) -> {
          KeeperException.Code code = KeeperException.Code.get(rc);
          if (code == KeeperException.Code.OK) {
            f.complete((long) stat.getVersion());
          } else if (code == KeeperException.Code.NONODE && triesLeft > 0) {
            zk.create(
                key,
                value,
                ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT,
                (AsyncCallback.StringCallback)
                    (rc2, path2, ctx2, name) -> {
                      KeeperException.Code code2 = KeeperException.Code.get(rc2);
                      if (code2 == KeeperException.Code.OK) {
                        f.complete(0L);
                      } else if (code2 == KeeperException.Code.NODEEXISTS) {
                        setOrCreate(key, value, f, triesLeft - 1);
                      } else {
                        f.completeExceptionally(KeeperException.create(code2, path2));
                      }
                    },
                null);
          } else {
            f.completeExceptionally(KeeperException.create(code, path));
          }
        },
        null);
  }

  @Override
  public CompletableFuture<Versioned> get(String key, ReadConsistency consistency) {
    CompletableFuture<Versioned> f = new CompletableFuture<>();
    if (consistency == ReadConsistency.LINEARIZABLE) {
      // Requests of one session are answered in order, so the read below is served after the sync
      // has brought this member up to the leader's commit point: one pipelined round trip pair.
      zk.sync(
          key,
          (rc, path, ctx) -> {
            if (rc != KeeperException.Code.OK.intValue()) {
              f.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), path));
            }
          },
          null);
    }
    zk.getData(
        key,
        false,
        (rc, path, ctx, data, stat) -> {
          KeeperException.Code code = KeeperException.Code.get(rc);
          if (code == KeeperException.Code.OK) {
            f.complete(new Versioned(data, stat.getVersion()));
          } else if (code == KeeperException.Code.NONODE) {
            f.complete(new Versioned(null, 0));
          } else {
            f.completeExceptionally(KeeperException.create(code, path));
          }
        },
        null);
    return f;
  }

  @Override
  public CompletableFuture<CasOutcome> cas(String key, long expectedVersion, byte[] newValue) {
    CompletableFuture<CasOutcome> f = new CompletableFuture<>();
    zk.setData(
        key,
        newValue,
        (int) expectedVersion,
        (rc, path, ctx, stat) -> {
          KeeperException.Code code = KeeperException.Code.get(rc);
          if (code == KeeperException.Code.OK) {
            f.complete(new CasOutcome(true, stat.getVersion()));
          } else if (code == KeeperException.Code.BADVERSION) {
            f.complete(CasOutcome.CONFLICT);
          } else {
            f.completeExceptionally(KeeperException.create(code, path));
          }
        },
        null);
    return f;
  }

  @Override
  public EphemeralSession openEphemeralSession() throws Exception {
    ZooKeeper own = session(connectString, SESSION_TIMEOUT_MS, connectTimeout, null);
    return new EphemeralSession() {
      @Override
      public CompletableFuture<Long> create(String key, byte[] value) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        own.create(
            key,
            value,
            ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.EPHEMERAL,
            (AsyncCallback.Create2Callback)
                (rc, path, ctx, name, stat) -> {
                  KeeperException.Code code = KeeperException.Code.get(rc);
                  if (code == KeeperException.Code.OK) {
                    f.complete(stat.getCzxid());
                  } else {
                    f.completeExceptionally(KeeperException.create(code, path));
                  }
                },
            null);
        return f;
      }

      @Override
      public void close() {
        closeQuietly(own);
      }
    };
  }

  @Override
  public SessionKey holdKey(String key, byte[] value, Duration ttl) throws Exception {
    ZooKeeper own = session(connectString, (int) ttl.toMillis(), connectTimeout, null);
    try {
      own.create(key, value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    } catch (Exception e) {
      closeQuietly(own);
      throw e;
    }
    return SessionKey.of(own.getSessionTimeout(), () -> closeQuietly(own));
  }

  /** Where Curator keeps lock {@code name}'s nodes. */
  public static String lockPath(String name) {
    return "/bench/locks/" + name;
  }

  @Override
  public LockClient newLockClient(Duration ttl) throws Exception {
    CuratorFramework curator =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs((int) ttl.toMillis())
            .connectionTimeoutMs((int) Math.min(ttl.toMillis(), 15_000))
            .retryPolicy(new ExponentialBackoffRetry(100, 5))
            .build();
    curator.start();
    if (!curator.blockUntilConnected((int) connectTimeout.toSeconds(), TimeUnit.SECONDS)) {
      curator.close();
      throw new IllegalStateException("Curator: no ZooKeeper session within " + connectTimeout);
    }
    Map<String, InterProcessMutex> mutexes = new ConcurrentHashMap<>();
    return new LockClient() {
      @Override
      public Held acquire(String name, Duration wait) throws Exception {
        InterProcessMutex m =
            mutexes.computeIfAbsent(name, n -> new InterProcessMutex(curator, lockPath(n)));
        if (!m.acquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new TimeoutException("lock " + name + " not acquired within " + wait);
        }
        return m::release;
      }

      @Override
      public long sessionTtlMs() {
        try {
          return curator.getZookeeperClient().getZooKeeper().getSessionTimeout();
        } catch (Exception e) {
          return -1;
        }
      }

      @Override
      public void close() {
        curator.close();
      }
    };
  }

  @Override
  public Watchers watchers(String address, int count) throws Exception {
    List<ZooKeeper> sessions = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sessions.add(session(address, SESSION_TIMEOUT_MS, connectTimeout, null));
      }
    } catch (Exception e) {
      sessions.forEach(ZookeeperDriver::closeQuietly);
      throw e;
    }
    return new Watchers() {
      @Override
      public int clients() {
        return sessions.size();
      }

      @Override
      public void watch(int client, String key, WatchListener listener) {
        ZooKeeper z = sessions.get(Math.floorMod(client, sessions.size()));
        z.exists(key, new Rearming(z, key, listener), (rc, path, ctx, stat) -> {}, null);
      }

      @Override
      public void close() {
        sessions.forEach(ZookeeperDriver::closeQuietly);
      }
    };
  }

  /** A one-shot ZooKeeper watch that reports a change and sets itself again. */
  private static final class Rearming implements Watcher {
    private final ZooKeeper zk;
    private final String key;
    private final Watchers.WatchListener listener;

    Rearming(ZooKeeper zk, String key, Watchers.WatchListener listener) {
      this.zk = zk;
      this.key = key;
      this.listener = listener;
    }

    @Override
    public void process(WatchedEvent event) {
      Event.EventType type = event.getType();
      if (type == Event.EventType.None) {
        return; // connection state; the client re-sets its watches after a reconnect
      }
      long now = System.nanoTime();
      if (type == Event.EventType.NodeCreated || type == Event.EventType.NodeDataChanged) {
        listener.changed(key, -1, now);
      }
      zk.exists(key, this, (rc, path, ctx, stat) -> {}, null);
    }
  }

  private static void closeQuietly(ZooKeeper z) {
    try {
      z.close(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closeQuietly(zk);
  }
}
