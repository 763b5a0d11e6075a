package io.aimstore.ops.cli;

import com.google.gson.JsonElement;
import com.google.protobuf.MessageOrBuilder;
import io.aimstore.client.AimStoreClient;
import io.aimstore.ops.Aimctl;
import io.aimstore.ops.ClusterTarget;
import io.aimstore.ops.output.Format;
import io.aimstore.ops.output.Json;
import io.aimstore.ops.output.Table;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every aimctl command shares: the client, the cluster it talks to, the output format and
 * streams, and what the error report needs to know about it (does it write? how to check?).
 */
public abstract class CommandBase implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  protected Aimctl root() {
    return (Aimctl) spec.root().userObject();
  }

  public AimStoreClient client() {
    return root().client();
  }

  /** Which cluster the command talks to, and where that was found. */
  public ClusterTarget target() {
    return root().target();
  }

  public boolean json() {
    return root().format() == Format.JSON;
  }

  public PrintStream out() {
    return root().out();
  }

  public PrintStream err() {
    return root().err();
  }

  /**
   * Whether the command changes state: a failure then says whether the change applied. False for
   * reads.
   */
  public boolean writes() {
    return false;
  }

  /**
   * How to find out whether a write whose outcome is unknown applied (e.g. "aimctl get KEY"), or
   * null.
   */
  public String howToCheck() {
    return null;
  }

  protected <T> T await(CompletableFuture<T> f) {
    return AimStoreClient.await(f);
  }

  public void print(Table table) {
    table.print(out());
  }

  /** Prints {@code table}, or the line {@code ifEmpty} when it has no rows. */
  public void print(Table table, String ifEmpty) {
    if (table.isEmpty()) {
      out().println(ifEmpty);
    } else {
      print(table);
    }
  }

  public void print(JsonElement json) {
    out().println(Json.pretty(json));
  }

  /**
   * The usual ending of a command: with {@code -o json} prints {@code json}, else lets {@code text}
   * print the result for people; returns exit code 0.
   */
  protected int show(JsonElement json, Runnable text) {
    if (json()) {
      print(json);
    } else {
      text.run();
    }
    return 0;
  }

  /** {@link #show(JsonElement, Runnable)} for a message shown by the JSON convention. */
  protected int show(MessageOrBuilder message, Runnable text) {
    return show(Json.proto(message), text);
  }
}
