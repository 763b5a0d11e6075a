package io.aimstore.ops.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aimstore.api.v1.HashKVResponse;
import io.aimstore.client.AimStoreClient;
import io.aimstore.client.AimStoreException;
import io.aimstore.ops.Aimctl.CommandFailure;
import io.aimstore.ops.ClusterTarget;
import io.aimstore.ops.ExitCodes;
import io.aimstore.ops.output.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "check",
    description = {"Consistency checks across the members (docs/operations.md, 'Corruption')."},
    subcommands = {CheckCommand.HashCommand.class})
public final class CheckCommand {

  @Command(
      name = "hash",
      description = {
        "Ask every member for the hash of its own keyspace at one revision (etcd's 'endpoint"
            + " hashkv') and compare: members that applied the same log agree. Admins only.",
        "Without --revision, the revision is the lowest current revision of the members that"
            + " answer, so each of them has applied it."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:every member answered and the hashes agree",
        "1:a member's hash differs (or no member answered)",
        "3:the members that could be compared agree, but some member did not answer or had"
            + " compacted differently"
      })
  public static final class HashCommand extends CommandBase {
    @Option(names = "--revision", paramLabel = "REV", description = "Hash the keyspace as of REV.")
    long revision;

    @Option(
        names = "--member-timeout",
        paramLabel = "DURATION",
        defaultValue = "30s",
        description = "How long a member may take to answer. Default: ${DEFAULT-VALUE}.")
    Duration memberTimeout;

    /** One member's answer, or why there is none. */
    private record Answer(String endpoint, HashKVResponse hash, String error) {}

    @Override
    public Integer call() {
      ClusterTarget target = target();
      target.checkResolvable();
      List<String> endpoints = target.endpoints();
      AimStoreClient client = client();
      long rev = revision;
      if (rev == 0) {
        rev =
            ask(client, endpoints, 0).stream()
                .filter(a -> a.hash() != null)
                .mapToLong(a -> a.hash().getRevision())
                .min()
                .orElseThrow(
                    () ->
                        new CommandFailure(
                            "no member answered at " + String.join(",", endpoints),
                            ExitCodes.FAILED));
      }
      List<Answer> answers = ask(client, endpoints, rev);
      Verdict v = Verdict.of(answers);
      if (json()) {
        print(json(rev, answers, v));
      } else {
        Table t = new Table("MEMBER", "ENDPOINT", "REVISION", "COMPACT", "HASH");
        for (Answer a : answers) {
          if (a.hash() == null) {
            t.row("-", a.endpoint(), "-", "-", "no answer: " + a.error());
          } else {
            HashKVResponse h = a.hash();
            t.row(
                h.getMember(),
                a.endpoint(),
                h.getRevision(),
                h.getCompactRevision(),
                Integer.toUnsignedLong(h.getHash()));
          }
        }
        print(t);
        out().println(v.summary(rev));
      }
      return v.exitCode();
    }

    private List<Answer> ask(AimStoreClient client, List<String> endpoints, long rev) {
      List<CompletableFuture<HashKVResponse>> calls = new ArrayList<>();
      for (String e : endpoints) {
        calls.add(client.maintenance().hashAt(e, rev, memberTimeout));
      }
      List<Answer> out = new ArrayList<>();
      for (int i = 0; i < endpoints.size(); i++) {
        try {
          out.add(new Answer(endpoints.get(i), calls.get(i).join(), null));
        } catch (CompletionException e) {
          Throwable c = e.getCause() == null ? e : e.getCause();
          if (c instanceof AimStoreException a
              && a.code() == AimStoreException.Code.PERMISSION_DENIED) {
            throw a;
          }
          out.add(new Answer(endpoints.get(i), null, c.getMessage()));
        }
      }
      return out;
    }

    private static JsonObject json(long rev, List<Answer> answers, Verdict v) {
      JsonObject o = new JsonObject();
      o.addProperty("revision", rev);
      o.addProperty("consistent", v.mismatched().isEmpty());
      JsonArray members = new JsonArray();
      for (Answer a : answers) {
        JsonObject m = new JsonObject();
        m.addProperty("client_address", a.endpoint());
        if (a.hash() == null) {
          m.addProperty("error", a.error());
        } else {
          m.addProperty("name", a.hash().getMember());
          m.addProperty("revision", a.hash().getRevision());
          m.addProperty("compact_revision", a.hash().getCompactRevision());
          m.addProperty("hash", Integer.toUnsignedLong(a.hash().getHash()));
        }
        members.add(m);
      }
      o.add("members", members);
      JsonArray differing = new JsonArray();
      v.mismatched().forEach(differing::add);
      o.add("differing", differing);
      return o;
    }

    /**
     * The comparison: members are grouped by compact revision (only members that compacted at the
     * same revision can agree); in the group most members are in, the hash most of them have is the
     * reference, and every member of that group with another hash differs.
     */
    private record Verdict(Set<String> mismatched, int uncompared, int answered) {
      static Verdict of(List<Answer> answers) {
        Map<Long, List<HashKVResponse>> byCompact = new LinkedHashMap<>();
        int answered = 0;
        for (Answer a : answers) {
          if (a.hash() != null) {
            answered++;
            byCompact
                .computeIfAbsent(a.hash().getCompactRevision(), k -> new ArrayList<>())
                .add(a.hash());
          }
        }
        List<HashKVResponse> group =
            byCompact.values().stream().max((x, y) -> x.size() - y.size()).orElse(List.of());
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        group.forEach(h -> counts.merge(h.getHash(), 1, Integer::sum));
        int reference =
            counts.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(0);
        Set<String> mismatched = new LinkedHashSet<>();
        group.stream()
            .filter(h -> h.getHash() != reference)
            .forEach(h -> mismatched.add(h.getMember()));
        return new Verdict(mismatched, answers.size() - group.size(), answered);
      }

      int exitCode() {
        if (answered == 0 || !mismatched.isEmpty()) {
          return ExitCodes.FAILED;
        }
        return uncompared > 0 ? ExitCodes.DEGRADED : ExitCodes.OK;
      }

      String summary(long rev) {
        if (answered == 0) {
          return "no member answered";
        }
        if (!mismatched.isEmpty()) {
          return "MISMATCH at revision "
              + rev
              + ": "
              + String.join(", ", mismatched)
              + " differ from the others: rebuild "
              + (mismatched.size() == 1 ? "it" : "them")
              + " (docs/operations.md, 'Corruption')";
        }
        return "the hashes agree at revision "
            + rev
            + (uncompared > 0
                ? " (" + uncompared + " member(s) could not be compared: see above)"
                : "");
      }
    }
  }
}
